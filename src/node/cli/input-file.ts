/**
 * Reading the small files an option names (a saved model, a causal model): their text, or an
 * error that names the option and the file, so every command says the same thing about a file it
 * cannot read.
 */
import { readFile } from "node:fs/promises";
import { FairkitError } from "fairkit/internal";

/** The text of the file `path` that `option` names (`--model models/a.json: no such file`). */
export async function readOptionFile(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : (error as Error).message;
    throw new FairkitError("BAD_FILE", `${option} ${path}: ${why}`, { file: path });
  }
}

/** The JSON of the file `path` that `option` names; not JSON is an error naming both. */
export async function readOptionJson(path: string, option: string): Promise<unknown> {
  const text = await readOptionFile(path, option);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FairkitError("BAD_FILE", `${option} ${path}: not JSON (${(error as Error).message})`, { file: path });
  }
}
