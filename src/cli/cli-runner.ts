import { CliError, oneLine } from './cli.error';
import { CliEnv, CliIo } from './cli-io';
import { USAGE } from './cli-usage';
import { ExitCode } from './exit-code';
import { SignCommand } from './sign.command';
import { SweepCommand } from './sweep.command';
import { SyncCommand } from './sync.command';

interface Command {
  run(args: string[]): Promise<ExitCode>;
}

const COMMANDS: Record<string, new (io: CliIo, env: CliEnv) => Command> = {
  sign: SignCommand,
  sync: SyncCommand,
  sweep: SweepCommand,
};

const HELP = new Set(['help', '--help', '-h']);

/**
 * Runs one `unipay` command and returns its exit code. Every error ends here as one line on
 * stderr: expected ones with their own code, anything else as a failure.
 */
export async function runCli(argv: string[], env: CliEnv, io: CliIo): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined || HELP.has(name)) {
    io.out(USAGE);
    return ExitCode.OK;
  }
  const CommandClass = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!CommandClass) {
    io.err(`unipay: unknown command '${name}'`);
    io.err(USAGE);
    return ExitCode.USAGE;
  }
  try {
    return await new CommandClass(io, env).run(args);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`unipay ${name}: ${oneLine(error.message)}`);
      return error.exitCode;
    }
    io.err(`unipay ${name}: unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return ExitCode.FAILURE;
  }
}
