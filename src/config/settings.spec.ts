import { IsBoolean, IsIn, IsInt, IsString, Min } from 'class-validator';
import { AsBool, AsInt, AsIntList, ConfigError, loadSettings, readSettings, Trimmed } from './settings';

class ExampleSettings {
  @AsInt()
  @IsInt()
  @Min(1)
  EXAMPLE_PORT = 9999;

  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  EXAMPLE_ENABLED = false;

  @AsIntList()
  @IsInt({ each: true })
  EXAMPLE_DELAYS = [1, 2];

  @Trimmed()
  @IsIn(['a', 'b'])
  EXAMPLE_MODE = 'a';

  @IsString()
  EXAMPLE_SECRET = '';
}

describe('settings', () => {
  it('takes the initializers as defaults, and an empty variable as unset', () => {
    expect(loadSettings(ExampleSettings, {})).toEqual(new ExampleSettings());
    expect(loadSettings(ExampleSettings, { EXAMPLE_PORT: '', EXAMPLE_MODE: '' })).toEqual(new ExampleSettings());
  });

  it('reads text as the field asks, and typed values as they are', () => {
    expect(loadSettings(ExampleSettings, { EXAMPLE_PORT: ' 80 ', EXAMPLE_ENABLED: 'On', EXAMPLE_DELAYS: '5, 10', EXAMPLE_MODE: ' b ' })).toMatchObject({
      EXAMPLE_PORT: 80,
      EXAMPLE_ENABLED: true,
      EXAMPLE_DELAYS: [5, 10],
      EXAMPLE_MODE: 'b',
    });
    expect(loadSettings(ExampleSettings, { EXAMPLE_PORT: 81, EXAMPLE_ENABLED: true, EXAMPLE_DELAYS: [7] })).toMatchObject({
      EXAMPLE_PORT: 81,
      EXAMPLE_ENABLED: true,
      EXAMPLE_DELAYS: [7],
    });
  });

  it('ignores what is not one of its variables', () => {
    const settings = loadSettings(ExampleSettings, { PATH: '/bin', OTHER_SECRET: 'x' });
    expect(Object.keys(settings).sort()).toEqual(Object.keys(new ExampleSettings()).sort());
  });

  it.each([
    ['EXAMPLE_PORT', '80.5'],
    ['EXAMPLE_PORT', '0x50'],
    ['EXAMPLE_PORT', '0'],
    ['EXAMPLE_ENABLED', 'maybe'],
    ['EXAMPLE_DELAYS', '5,soon'],
    ['EXAMPLE_MODE', 'c'],
  ])('refuses %s=%s, naming the variable and never the value', (name, value) => {
    const { problems } = readSettings(ExampleSettings, { [name]: value, EXAMPLE_SECRET: 'hidden-value' });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.startsWith(`${name}: `)).toBe(true);
      expect(problem).not.toContain('hidden-value');
    }
    expect(() => loadSettings(ExampleSettings, { [name]: value })).toThrow(ConfigError);
  });

  it('lists every problem in one error', () => {
    const error = (() => {
      try {
        loadSettings(ExampleSettings, { EXAMPLE_PORT: 'x', EXAMPLE_ENABLED: 'x' });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('no error');
    })();
    expect([...new Set(error.problems.map((problem) => problem.split(':')[0]))]).toEqual(['EXAMPLE_PORT', 'EXAMPLE_ENABLED']);
    expect(error.message).toContain('EXAMPLE_PORT');
  });
});
