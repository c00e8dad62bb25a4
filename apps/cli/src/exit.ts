/**
 * The CLI's exit codes, so scripts and auditors can trust its status: 0 done; 1 failed (a server
 * away, anything unexpected); 2 tampering found (`audit verify`); 64 a usage error (an unknown
 * command or option, a malformed argument such as an instant); 66 no such stream.
 */
export const EXIT = { OK: 0, FAILED: 1, TAMPERED: 2, USAGE: 64, NO_SUCH_STREAM: 66 } as const;

/** A refusal the CLI explains in one line on stderr and answers with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The exit code for whatever a command threw: ours, a usage error from parseArgs, or a failure. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return EXIT.USAGE;
  if (code === 'UNKNOWN_STREAM') return EXIT.NO_SUCH_STREAM;
  if (e instanceof RangeError) return EXIT.USAGE;
  return EXIT.FAILED;
}
