/**
 * The models the counterfactual commands can call, behind one shape (`TableModel`: rows in,
 * one number per row out): a model saved by `fairkit mitigate --save DIR` (`--model FILE`), or an
 * external program (`--model-command CMD`) that reads the rows as CSV on stdin (header, then one
 * line per row, every column) and writes one score per line on stdout. Also the one place where a
 * library error's 0-based "index N" becomes the 1-based data row the user counts.
 */
import { spawn } from "node:child_process";
import { type CellValue, FairkitError, SavedMitigationModel, type Table, type TableModel } from "fairkit/internal";
import { UsageError } from "./exit.js";
import { readOptionJson } from "./input-file.js";

/** A model to call, with what to call it in messages and documents. */
export interface CommandModel {
  /** Scores per row. */
  predict: TableModel;
  /** P(positive decision) per row, when the model decides otherwise than `score >= threshold`. */
  decide?: TableModel;
  /** The file or the command, as the user wrote it. */
  description: string;
}

/** Reads a saved mitigation model (a `fairkit.mitigation_model` file). */
export async function savedModelOf(path: string): Promise<CommandModel> {
  const json = await readOptionJson(path, "--model");
  let model: SavedMitigationModel;
  try {
    model = SavedMitigationModel.fromJSON(json, path);
  } catch (error) {
    if (error instanceof FairkitError)
      throw new FairkitError(
        "BAD_FILE",
        `--model ${error.message} (a model saved by \`fairkit mitigate --save DIR\` is expected)`,
        { ...error.location, file: path },
      );
    throw error;
  }
  return { predict: (t) => model.scores(t), decide: (t) => model.decisions(t), description: path };
}

function csvField(v: CellValue): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV text: a header and one line per row. */
export function tableCsv(table: Table): string {
  const names = Object.keys(table);
  const rows = names.length > 0 ? table[names[0]].length : 0;
  const lines = [names.map(csvField).join(",")];
  for (let i = 0; i < rows; i++) lines.push(names.map((n) => csvField(table[n][i])).join(","));
  return `${lines.join("\n")}\n`;
}

/**
 * An external program as a model: run through the shell once per call, the rows on stdin as CSV,
 * one number per line expected on stdout. A non-zero exit, a wrong number of lines or a line that
 * is not a number is an error naming the command and the line.
 */
export function commandModel(command: string): CommandModel {
  const predict = (table: Table): Promise<Float64Array> =>
    new Promise((resolve, reject) => {
      const child = spawn(command, { shell: true, stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", (e) => reject(new UsageError(`--model-command ${JSON.stringify(command)}: ${e.message}`)));
      child.stdin.on("error", () => {
        // The command stopped reading (it failed or ignores its input): its exit status says which.
      });
      child.on("close", (code) => {
        if (code !== 0) {
          const tail = Buffer.concat(err).toString("utf8").trim().split("\n").slice(-3).join(" | ");
          reject(
            new FairkitError(
              "BAD_ARGUMENT",
              `--model-command ${JSON.stringify(command)} exited with status ${code}${tail ? `: ${tail}` : ""}`,
              { argument: "--model-command" },
            ),
          );
          return;
        }
        const lines = Buffer.concat(out).toString("utf8").split(/\r?\n/);
        // Trailing empty lines (a final newline, or two) are not scores.
        while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
        const rows = Object.values(table)[0]?.length ?? 0;
        if (lines.length !== rows) {
          reject(
            new FairkitError(
              "BAD_ARGUMENT",
              `--model-command ${JSON.stringify(command)} wrote ${lines.length} lines for ${rows} rows: it must write one number per input row, in order`,
              { argument: "--model-command" },
            ),
          );
          return;
        }
        const scores = new Float64Array(rows);
        for (let i = 0; i < rows; i++) {
          const x = lines[i].trim() === "" ? Number.NaN : Number(lines[i]);
          if (!Number.isFinite(x)) {
            reject(
              new FairkitError(
                "BAD_ARGUMENT",
                `--model-command ${JSON.stringify(command)}: output line ${i + 1} is ${JSON.stringify(lines[i])}, not a number: the score of its input line ${i + 2}, the row at index ${i}`,
                { argument: "--model-command", row: i },
              ),
            );
            return;
          }
          scores[i] = x;
        }
        resolve(scores);
      });
      child.stdin.end(tableCsv(table));
    });
  return { predict, description: command };
}

/** The model named by `--model` or `--model-command` (exactly one). */
export async function modelOf(options: { model?: string; modelCommand?: string }): Promise<CommandModel> {
  if (options.model !== undefined && options.modelCommand !== undefined)
    throw new UsageError("--model and --model-command both name a model: give one");
  if (options.model !== undefined) return savedModelOf(options.model);
  if (options.modelCommand !== undefined) return commandModel(options.modelCommand);
  throw new UsageError(
    "name the model to test: --model FILE (saved by `fairkit mitigate --save DIR`) or --model-command CMD (reads CSV rows on stdin, writes one score per line)",
  );
}

/**
 * A library error about the rows of a file, said in the file's terms: the file's name first, and
 * "at index N" (0-based, into the arrays) as "at data row N+1" (what a user counts; with --where,
 * among the rows that pass it).
 */
export function inFile(file: string, error: unknown, where?: string): unknown {
  if (!(error instanceof FairkitError)) return error;
  const index = error.location.row;
  const message =
    index === undefined
      ? error.message
      : error.message.replace(
          `at index ${index}`,
          `at data row ${index + 1}${where ? " (counting only rows that pass --where)" : ""}`,
        );
  return new FairkitError(error.code, `${file}: ${message}`, {
    ...error.location,
    file,
    row: index === undefined ? undefined : index + 1,
  });
}
