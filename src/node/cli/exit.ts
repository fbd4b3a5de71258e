/**
 * Exit codes and error reporting shared by every command: 0 success, 1 a `--fail-on` gate failed,
 * 2 a usage or data error. Commands throw; {@link runCommand} turns what they throw into a message
 * on stderr and the right exit code, so every command fails the same way.
 */
import { FairkitError } from "fairkit/internal";

/** The exit codes of every `fairkit` command. */
export const EXIT = { OK: 0, GATE_FAILED: 1, USAGE: 2 } as const;

/** A usage mistake (bad option value, missing option): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Thrown by a command whose `--fail-on` gate failed, after its output was written: exit code 1. */
export class GateFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GateFailedError";
  }
}

/** The exit code for anything a command throws. Unexpected errors (bugs) are also 2, with the stack under `FAIRKIT_DEBUG`. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof GateFailedError) return EXIT.GATE_FAILED;
  return EXIT.USAGE;
}

/** The one-line message printed for an error (`fairkit: …`). */
export function messageOf(error: unknown): string {
  if (error instanceof FairkitError || error instanceof UsageError || error instanceof GateFailedError)
    return error.message;
  if (error instanceof Error) return process.env.FAIRKIT_DEBUG ? (error.stack ?? error.message) : error.message;
  return String(error);
}

/**
 * Runs a command's action: on error prints `fairkit <command>: <message>` to stderr and sets the
 * exit code (it does not call `process.exit`, so pending output is flushed).
 *
 * @example
 * program.command("audit").action((file, opts) => runCommand("audit", () => audit(file, opts)));
 */
export async function runCommand(name: string, action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (error) {
    // The reader of our output went away (`… | head -1`): stop quietly, as Unix tools do.
    if ((error as NodeJS.ErrnoException | null)?.code === "EPIPE") return;
    // A usage mistake also says where the help is, as commander's own usage errors do.
    const hint = error instanceof UsageError ? `\n(fairkit ${name} --help lists the options)` : "";
    process.stderr.write(`fairkit ${name}: ${messageOf(error)}${hint}\n`);
    process.exitCode = exitCodeOf(error);
  }
}
