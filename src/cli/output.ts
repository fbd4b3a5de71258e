/**
 * Writing results: to stdout, or atomically to `-o FILE` (a temporary file in the same folder,
 * renamed at the end), so a failed run never leaves a half-written or stale-looking output.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FairkitError } from "../core/errors.js";

/**
 * Writes `text` to `path` atomically: the file either appears complete or not at all.
 *
 * @example
 * await writeAtomic("audit.json", JSON.stringify(result));
 */
export async function writeAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new FairkitError("BAD_FILE", `cannot write ${path}: ${(error as Error).message}`, { file: path });
  }
}

/** Writes `text` to `path` (atomically) when given, else to stdout. Ends the text with a newline. */
export async function writeOutput(text: string, path?: string): Promise<void> {
  const out = text.endsWith("\n") ? text : `${text}\n`;
  if (path === undefined || path === "-") {
    await new Promise<void>((resolve, reject) => process.stdout.write(out, (err) => (err ? reject(err) : resolve())));
  } else {
    await writeAtomic(path, out);
  }
}
