import { CliError, oneLine } from './cli.error';
import { CliEnv, CliIo } from './cli-io';
import { USAGE } from './cli-usage';
import { ExitCode } from './exit-code';
import { FlagOptions, parseFlags, ParsedFlags } from './parse-flags';
import { SignCommand } from './sign.command';
import { SweepCommand } from './sweep.command';
import { SyncCommand } from './sync.command';

/** A command: its usage and flags (`--help` is everyone's), and what it does with them. */
interface CommandClass {
  readonly usage: string;
  readonly flags: FlagOptions;
  new (io: CliIo, env: CliEnv): { run(flags: ParsedFlags<FlagOptions>): Promise<ExitCode> };
}

const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;

const COMMANDS: Record<string, CommandClass> = {
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
    const flags = parseFlags(args, { ...CommandClass.flags, ...HELP_FLAG });
    if (flags.help) {
      io.out(CommandClass.usage);
      return ExitCode.OK;
    }
    return await new CommandClass(io, env).run(flags);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`unipay ${name}: ${oneLine(error.message)}`);
      return error.exitCode;
    }
    io.err(`unipay ${name}: unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return ExitCode.FAILURE;
  }
}
