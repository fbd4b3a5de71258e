/**
 * `fairkit apply policy.json FILE -o decisions.csv|.ndjson [--seed N] [--keep id]`: applies a saved
 * policy of any post-processor (ThresholdOptimizer, reject-option classification, calibrated
 * equalized odds: all are per-group decision rules) to a file's scores and groups, writing each row's exact probability of a
 * positive decision and a seeded 0/1 decision. Rows stream from DuckDB chunk by chunk; each row's
 * group is found by its values (one ENUM lookup per sensitive column), never by a joined string.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  createRandom,
  FairkitError,
  groupLabel,
  groupTuple,
  type Level,
  type PolicyJSON,
  type PolicyMethod,
  type PolicyModel,
  policyFromJSON,
  ruleProbability,
} from "fairkit/internal";
import {
  ROLE_OPTIONS,
  levelCodeSql,
  numericExpression,
  plainText,
  textExpression,
  valueExpression,
} from "../../io/columns.js";
import { withDuckDB } from "../../io/duckdb.js";
import { rowPlace } from "../../io/messages.js";
import { filteredFrom, openSource, requireColumns, runChecked, sourceError } from "../../io/source.js";
import { runCommand, UsageError } from "../exit.js";
import {
  addFileReadOptions,
  addFormatOption,
  collectList,
  type FileReadOptions,
  outputFormat,
  parseCount,
  sourceOptionsOf,
} from "../options.js";
import { writeOutput } from "../output.js";
import { renderCsv } from "../table.js";

/** The options of `fairkit apply`. */
export interface ApplyCommandOptions extends FileReadOptions {
  score?: string;
  sensitive?: string[];
  keep?: string[];
  seed: number;
  format?: (typeof APPLY_FORMATS)[number];
  output?: string;
}

/** What `fairkit apply` writes: CSV, or one JSON object per row. */
export const APPLY_FORMATS = ["csv", "ndjson"] as const;

/** Reads and checks a policy file (JSON, then the policy schema; messages name the file and field). */
export async function readPolicy(
  path: string,
): Promise<{ optimizer: PolicyModel; method: PolicyMethod; json: PolicyJSON }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FairkitError(
      "BAD_FILE",
      `cannot read the policy ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
      { file: path },
    );
  }
  let json: PolicyJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FairkitError("BAD_FILE", `${path}: not JSON (${(error as Error).message})`, { file: path });
  }
  try {
    const { method, policy } = policyFromJSON(json, path);
    return { optimizer: policy, method, json };
  } catch (error) {
    if (error instanceof FairkitError)
      throw new FairkitError("BAD_FILE", error.message, { ...error.location, file: path });
    throw error;
  }
}

/** What `fairkit apply` produced. */
export interface ApplyResult {
  /** The decisions as the format asked for. */
  text: string;
  summary: string;
  rows: number;
  /** Things the user should know (e.g. the policy was fitted under a filter this run lacks). */
  warnings: string[];
}

/** Applies the policy to a file; returns the decisions CSV and a one-line summary. */
export async function runApply(policyPath: string, file: string, options: ApplyCommandOptions): Promise<ApplyResult> {
  const format = outputFormat(APPLY_FORMATS, options.format, options.output, "csv");
  const { optimizer, method, json } = await readPolicy(policyPath);
  const score = options.score ?? json.input?.score;
  if (!score) throw new UsageError("the policy does not name its score column: give --score COLUMN");
  const columns = optimizer.columns;
  const sensitive = options.sensitive ?? json.input?.sensitive ?? [...columns];
  if (sensitive.length !== columns.length)
    throw new UsageError(
      `the policy was fitted on ${columns.length} sensitive column(s) (${columns.join(", ")}); --sensitive names ${sensitive.length}`,
    );
  const keep = options.keep ?? [];
  const warnings: string[] = [];
  const fittedWhere = json.input?.where ?? null;
  if (fittedWhere !== null && options.where === undefined)
    warnings.push(
      `the policy was fitted on the rows where ${JSON.stringify(fittedWhere)}; this run has no --where, so it decides on every row`,
    );
  else if (fittedWhere !== null && options.where !== fittedWhere)
    warnings.push(
      `the policy was fitted on the rows where ${JSON.stringify(fittedWhere)}; this run filters with --where ${JSON.stringify(options.where)}`,
    );
  const groups = optimizer.groups;
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, file, {
      ...sourceOptionsOf(options),
      textColumns: [...sensitive, ...keep],
    });
    requireColumns(source, [
      { option: ROLE_OPTIONS.score, column: score },
      ...sensitive.map((c) => ({ option: ROLE_OPTIONS.sensitive, column: c })),
      ...keep.map((c) => ({ option: "--keep", column: c })),
    ]);
    const scoreSql = await numericExpression(connection, source, score, ROLE_OPTIONS.score);
    // The policy's values per column, as text (a file holds text); each row's value is looked up among them.
    const levels = columns.map((_, j) => {
      const seen = new Set<string>();
      for (const g of groups) {
        const v = groupTuple(g.values, columns)[j];
        if (v !== null) seen.add(String(v));
      }
      return [...seen];
    });
    const codes = await Promise.all(
      sensitive.map((c, j) => levelCodeSql(connection, valueExpression(source, c), levels[j])),
    );
    const radix = levels.map((l) => l.length + 1);
    const strides = radix.map((_, j) => radix.slice(j + 1).reduce((a, b) => a * b, 1));
    const ruleOf = new Map<number, number>();
    groups.forEach((g, i) => {
      const tuple = groupTuple(g.values, columns);
      ruleOf.set(
        tuple.reduce<number>((key, v, j) => key + (v === null ? 0 : levels[j].indexOf(String(v)) + 1) * strides[j], 0),
        i,
      );
    });
    const keySql = codes
      .map((code, j) => `(CASE WHEN ${code} = -2 THEN -1e18 ELSE CAST(${code} + 1 AS DOUBLE) END) * ${strides[j]}`)
      .join(" + ");
    // Data rows are numbered in file order before the filter, as every error message numbers them.
    const numbered = `(SELECT row_number() OVER () AS __fairkit_row, * FROM ${source.relation})`;
    const from = source.where !== undefined ? filteredFrom({ ...source, relation: numbered }) : numbered;
    const textFile = source.format === "csv" || source.format === "tsv";
    const sql = `SELECT CAST(__fairkit_row AS DOUBLE) AS r, CAST(${keySql} AS DOUBLE) AS k, CAST(${scoreSql} AS DOUBLE) AS s, ${[
      ...sensitive.map((c) => `${valueExpression(source, c)}`),
      ...keep.map((c) => textExpression(source, c)),
    ].join(", ")} FROM ${from} ORDER BY __fairkit_row`;
    const rng = createRandom(options.seed);
    const rows: string[][] = [];
    const lines: string[] = [];
    const tuples = groups.map((g) => groupTuple(g.values, columns));
    let positives = 0;
    let expected = 0;
    await connection.run("SET threads = 1");
    try {
      const result = await runChecked(source, () => connection.stream(sql));
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const r = chunk.getColumnVector(0).toArray() as number[];
        const k = chunk.getColumnVector(1).toArray() as number[];
        const s = chunk.getColumnVector(2).toArray() as (number | null)[];
        const values = sensitive.map((_, j) => chunk.getColumnVector(3 + j).toArray() as (string | null)[]);
        const kept = keep.map((_, j) => chunk.getColumnVector(3 + sensitive.length + j).toArray() as (string | null)[]);
        for (let i = 0; i < chunk.rowCount; i++) {
          const place = rowPlace(r[i], source.headerLines, textFile);
          const si = s[i];
          if (si === null || !Number.isFinite(si)) {
            throw new FairkitError(
              "BAD_SCORE",
              `${file}: ${ROLE_OPTIONS.score} ${JSON.stringify(score)} must be a finite number on every row; found ${si === null ? "a missing value" : si} at ${place}`,
              { file, argument: score, row: r[i] },
            );
          }
          const g = ruleOf.get(k[i]);
          if (g === undefined) {
            const label = groupLabel(values.map((v) => plainText(v[i]) as Level | null));
            throw new FairkitError(
              "UNKNOWN_GROUP",
              `${file}: group ${JSON.stringify(label)} at ${place} was not seen when the policy was fitted; fitted groups: ${groups.map((x) => JSON.stringify(x.key)).join(", ")}`,
              { file, row: r[i] },
            );
          }
          const p = ruleProbability(groups[g].rule, si);
          const u = rng.next();
          const d = p >= 1 ? 1 : p <= 0 ? 0 : u < p ? 1 : 0;
          positives += d;
          expected += p;
          if (format === "csv")
            rows.push([String(r[i]), ...kept.map((v) => v[i] ?? ""), groups[g].key, String(si), String(p), String(d)]);
          else
            lines.push(
              JSON.stringify({
                row: r[i],
                ...Object.fromEntries(keep.map((c, j) => [c, kept[j][i]])),
                group: tuples[g],
                label: groups[g].key,
                score: si,
                probability: p,
                decision: d,
              }),
            );
        }
      }
    } catch (error) {
      if (error instanceof FairkitError) throw error;
      throw await sourceError(source, error);
    } finally {
      await connection.run("RESET threads");
    }
    const count = format === "csv" ? rows.length : lines.length;
    const text =
      format === "csv"
        ? renderCsv({ headers: ["row", ...keep, "group", score, "probability", "decision"], rows })
        : lines.join("\n");
    const summary = `fairkit apply: ${count} rows, ${positives} positive decisions (expected ${expected.toFixed(2)}), seed ${options.seed}; ${METHOD_NAMES[method]} policy`;
    return { text, summary, rows: count, warnings };
  });
}

/** How the summary names each method's policy. */
const METHOD_NAMES: Readonly<Record<PolicyMethod, string>> = {
  threshold_optimizer: "ThresholdOptimizer",
  reject_option_classification: "reject-option classification",
  calibrated_equalized_odds: "calibrated equalized odds",
};

/** Registers `fairkit apply`. */
export function registerApply(program: Command): void {
  const command = program
    .command("apply")
    .summary("apply a saved post-processing policy to a file: per-row probability and seeded decision")
    .description(
      "Applies a policy saved by `fairkit postprocess` (any --method: threshold, reject-option, calibrated-eo) to FILE: for every row (in file order, after --where) its data row number, the --keep columns, its group, score, the exact probability of a positive decision, and a 0/1 decision drawn with --seed (the same seed gives the same decisions). A group the policy was not fitted on is an error.\n\nExit codes: 0 ok, 2 usage or data error.",
    )
    .argument("<POLICY>", "policy JSON written by fairkit postprocess")
    .argument("<FILE>", "the file to decide on (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--score <col>", "score column (default: the one the policy was fitted on)")
    .option("--sensitive <cols>", "sensitive column(s) (default: the policy's)", collectList)
    .option("--keep <cols>", "columns to copy into the output as they are (e.g. an id), comma-separated", collectList)
    .option("--seed <n>", "seed of the randomised decisions", parseCount("--seed"), 0);
  addFormatOption(command, APPLY_FORMATS, "csv").option(
    "-o, --output <file>",
    "write the decisions here (atomically) instead of stdout; its extension picks the format",
  );
  addFileReadOptions(command).action((policy: string, file: string, options: ApplyCommandOptions) =>
    runCommand("apply", async () => {
      const { text, summary, warnings } = await runApply(policy, file, options);
      for (const w of warnings) process.stderr.write(`fairkit apply: warning: ${w}\n`);
      await writeOutput(text, options.output, { inputs: [policy, file] });
      process.stderr.write(`${summary}\n`);
    }),
  );
}
