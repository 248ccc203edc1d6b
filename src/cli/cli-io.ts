/** The streams a command talks to; the entry point passes the process's own. */
export interface CliIo {
  /** Prints a line on stdout. */
  out(line: string): void;
  /** Prints a line on stderr. */
  err(line: string): void;
  /** True when stdin is a terminal rather than a pipe or a file. */
  stdinIsTty: boolean;
  /** All of stdin as UTF-8 text. */
  readStdin(): Promise<string>;
}

export type CliEnv = Record<string, string | undefined>;

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdinIsTty: process.stdin.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
