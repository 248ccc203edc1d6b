import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The floors of src/, from the ground up (docs/architecture.md). A folder imports only from
 * floors below its own; `<root>` is the composition in src/*.ts. Folders on one floor do
 * not import each other.
 */
const FLOORS: string[][] = [
  ['common'],
  ['config'],
  ['sign', 'observability'],
  ['database'],
  ['order'],
  ['refund'],
  ['outbox'],
  ['anomaly'],
  ['channel'],
  ['sync'],
  ['notify'],
  ['sweep'],
  ['admin'],
  ['sandbox'],
  ['<root>'],
  ['cli', 'emulator'],
];

const SRC = join(__dirname, '..', 'src');

interface Import {
  file: string;
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every relative import of src/, as paths relative to src/. */
function imports(): Import[] {
  return sourceFiles(SRC).flatMap((path) => {
    const file = relative(SRC, path);
    const text = readFileSync(path, 'utf8');
    return [...text.matchAll(/(?:from|import\(|require\()\s*'(\.[^']+)'/g)].map((match) => ({
      file,
      target: normalize(join(dirname(file), match[1])),
    }));
  });
}

/** The top folder of a path under src/, or `<root>` for src/*.ts. */
function folderOf(path: string): string {
  return path.includes('/') ? path.split('/')[0] : '<root>';
}

function floorOf(folder: string): number {
  const floor = FLOORS.findIndex((names) => names.includes(folder));
  if (floor < 0) throw new Error(`src/${folder} is on no floor: add it to FLOORS and docs/architecture.md`);
  return floor;
}

describe('the folders of src/', () => {
  const all = imports();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all).toContainEqual({ file: 'sweep/sweep.module.ts', target: 'sync/sync.module' });
  });

  it('import only from floors below their own', () => {
    const upward = all
      .filter(({ file, target }) => folderOf(file) !== folderOf(target) && floorOf(folderOf(target)) >= floorOf(folderOf(file)))
      .map(({ file, target }) => `${file} -> ${target}`);
    expect(upward).toEqual([]);
  });

  it('keep each channel to its own folder: a channel imports no other channel', () => {
    const channelOf = (path: string) => {
      const [top, channel] = path.split('/');
      return top === 'channel' && path.split('/').length > 2 && channel !== 'support' ? channel : undefined;
    };
    const crossing = all
      .filter(({ file, target }) => channelOf(file) && channelOf(target) && channelOf(file) !== channelOf(target))
      .map(({ file, target }) => `${file} -> ${target}`);
    expect(crossing).toEqual([]);
  });
});
