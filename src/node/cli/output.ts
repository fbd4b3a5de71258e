/**
 * Writing results: to stdout, or atomically to `-o FILE` (a temporary file in the same folder,
 * renamed at the end), so a failed run never leaves a half-written or stale-looking output; and
 * never onto an input: an output path that is one of the command's inputs (the same file through
 * a relative path, a symbolic link or a hard link) is a usage error and nothing is written. A
 * reader that closes the pipe early (`fairkit apply … | head -1`) ends the command quietly.
 */
import { randomBytes } from "node:crypto";
import { realpathSync, statSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { FairkitError } from "fairkit/internal";
import { UsageError } from "./exit.js";

/** What a write must not overwrite: the files the command read. */
export interface WriteOptions {
  /** The command's input files (data, policy, card, …); undefined entries are skipped. */
  inputs: readonly (string | undefined)[];
  /** The option that named the output, for the message (default `-o`). */
  option?: string;
}

/** The canonical location of a path: symbolic links resolved, also for a file not yet there (its folder's). */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Throws a usage error when `output` is one of `inputs` (nothing is written). */
export function checkNotAnInput(output: string, options: WriteOptions): void {
  for (const input of options.inputs) {
    if (input === undefined || input === "-") continue;
    if (sameFile(output, input)) {
      throw new UsageError(
        `${options.option ?? "-o"} ${output} is the input ${input}: writing there would destroy it; choose another output file (nothing was written)`,
      );
    }
  }
}

/**
 * Writes `text` to `path` atomically: the file either appears complete or not at all.
 *
 * @example
 * await writeAtomic("audit.json", JSON.stringify(result), { inputs: ["predictions.csv"] });
 */
export async function writeAtomic(path: string, text: string | Uint8Array, options: WriteOptions): Promise<void> {
  checkNotAnInput(path, options);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FairkitError("BAD_FILE", `cannot write ${path}: ${(error as Error).message}`, { file: path });
  }
}

/** True for the error of writing to a pipe whose reader has gone. */
export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/** Writes `text` to `path` (atomically) when given, else to stdout. Ends the text with a newline. */
export async function writeOutput(text: string, path: string | undefined, options: WriteOptions): Promise<void> {
  const out = text.endsWith("\n") ? text : `${text}\n`;
  if (path === undefined || path === "-") {
    await new Promise<void>((resolvePromise, reject) =>
      process.stdout.write(out, (err) => (err ? reject(err) : resolvePromise())),
    );
  } else {
    await writeAtomic(path, out, options);
  }
}
