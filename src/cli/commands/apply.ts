/**
 * `fairkit apply policy.json FILE -o decisions.csv [--seed N]`: applies a saved threshold policy
 * to a file's scores and groups, writing each row's exact probability of a positive decision and
 * a seeded 0/1 decision. Rows stream from DuckDB chunk by chunk into typed arrays.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { FairkitError } from "../../core/errors.js";
import { MISSING_LABEL } from "../../core/groups.js";
import { createRandom } from "../../core/random.js";
import { ruleProbability } from "../../thresholds/decision-rule.js";
import { ThresholdOptimizer, type ThresholdPolicyJSON } from "../../thresholds/threshold-optimizer.js";
import { ROLE_OPTIONS, firstRowWhere, numericExpression, valueExpression } from "../../io/columns.js";
import { withDuckDB } from "../../io/duckdb.js";
import { filteredFrom, openSource, requireColumns, translateDuckDBError } from "../../io/source.js";
import { sqlLiteral } from "../../io/sql.js";
import { runCommand, UsageError } from "../exit.js";
import { addFileReadOptions, collectList, type FileReadOptions, parseCount, sourceOptionsOf } from "../options.js";
import { writeOutput } from "../output.js";
import { renderCsv } from "../table.js";
import type { PolicyFile } from "./postprocess.js";

/** The options of `fairkit apply`. */
export interface ApplyCommandOptions extends FileReadOptions {
  score?: string;
  sensitive?: string[];
  seed: number;
  output?: string;
}

/** Reads and checks a policy file. */
export async function readPolicy(path: string): Promise<{ optimizer: ThresholdOptimizer; json: ThresholdPolicyJSON & Partial<Pick<PolicyFile, "input">> }> {
  let json: ThresholdPolicyJSON & Partial<Pick<PolicyFile, "input">>;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new FairkitError("BAD_FILE", `cannot read the policy ${path}: ${(error as Error).message}`, { file: path });
  }
  return { optimizer: ThresholdOptimizer.fromJSON(json), json };
}

/** Applies the policy to a file; returns the decisions CSV and a one-line summary. */
export async function runApply(policyPath: string, file: string, options: ApplyCommandOptions): Promise<{ csv: string; summary: string; rows: number }> {
  const { optimizer, json } = await readPolicy(policyPath);
  const score = options.score ?? json.input?.score;
  if (!score) throw new UsageError("the policy does not name its score column: give --score COLUMN");
  const sensitive = options.sensitive ?? json.input?.sensitive ?? json.columns;
  if (sensitive.length !== json.columns.length) throw new UsageError(`the policy was fitted on ${json.columns.length} sensitive column(s) (${json.columns.join(", ")}); --sensitive names ${sensitive.length}`);
  const groups = optimizer.groups;
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, file, sourceOptionsOf(options));
    requireColumns(source, [{ option: ROLE_OPTIONS.score, column: score }, ...sensitive.map((c) => ({ option: ROLE_OPTIONS.sensitive, column: c }))]);
    const scoreSql = await numericExpression(connection, source, score, ROLE_OPTIONS.score);
    const values = sensitive.map((c) => valueExpression(source, c));
    // Each policy group as a SQL condition on the row's values (compared as text, like group keys).
    const groupSql = `CASE ${groups
      .map((g, i) => {
        const conds = json.columns.map((name, j) => {
          const v = g.values[name];
          return v === null ? `${values[j]} IS NULL` : `CAST(${values[j]} AS VARCHAR) = ${sqlLiteral(String(v))}`;
        });
        return `WHEN ${conds.join(" AND ")} THEN ${i}`;
      })
      .join(" ")} ELSE -1 END`;
    const bad = await firstRowWhere(connection, source, `(${scoreSql}) IS NULL OR NOT isfinite(${scoreSql})`, `CAST(${scoreSql} AS VARCHAR)`);
    if (bad) throw new FairkitError("BAD_SCORE", `${file}: ${ROLE_OPTIONS.score} ${JSON.stringify(score)} must be a finite number on every row; found ${bad.value ?? "a missing value"} at ${bad.place}`, { file, argument: score, row: bad.row });
    const unknown = await firstRowWhere(connection, source, `(${groupSql}) = -1`, `concat_ws(', ', ${values.map((v) => `coalesce(CAST(${v} AS VARCHAR), ${sqlLiteral(MISSING_LABEL)})`).join(", ")})`);
    if (unknown) {
      throw new FairkitError("UNKNOWN_GROUP", `${file}: group ${JSON.stringify(unknown.value)} at ${unknown.place} was not seen when the policy was fitted; fitted groups: ${groups.map((g) => JSON.stringify(g.key)).join(", ")}`, { file, row: unknown.row });
    }
    const scores: number[] = [];
    const codes: number[] = [];
    try {
      const result = await connection.stream(`SELECT CAST(${groupSql} AS INTEGER) AS g, CAST(${scoreSql} AS DOUBLE) AS s FROM ${filteredFrom(source)}`);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const g = (chunk.getColumnVector(0) as unknown as { items: Int32Array }).items;
        const s = (chunk.getColumnVector(1) as unknown as { items: Float64Array }).items;
        for (let i = 0; i < chunk.rowCount; i++) {
          codes.push(g[i]);
          scores.push(s[i]);
        }
      }
    } catch (error) {
      throw await translateDuckDBError(error, file, source.format);
    }
    const rng = createRandom(options.seed);
    const rows: string[][] = [];
    let positives = 0;
    let expected = 0;
    for (let i = 0; i < scores.length; i++) {
      const p = ruleProbability(groups[codes[i]].rule, scores[i]);
      const u = rng.next();
      const d = p >= 1 ? 1 : p <= 0 ? 0 : u < p ? 1 : 0;
      positives += d;
      expected += p;
      rows.push([String(i + 1), groups[codes[i]].key, String(scores[i]), String(p), String(d)]);
    }
    const csv = renderCsv({ headers: ["row", "group", score, "probability", "decision"], rows });
    const summary = `fairkit apply: ${scores.length} rows, ${positives} positive decisions (expected ${expected.toFixed(2)}), seed ${options.seed}`;
    return { csv, summary, rows: scores.length };
  });
}

/** Registers `fairkit apply`. */
export function registerApply(program: Command): void {
  const command = program.command("apply")
    .summary("apply a saved threshold policy to a file: per-row probability and seeded decision")
    .description(
      "Applies a policy saved by `fairkit postprocess` to FILE: for every row (in file order, after --where) its group, score, the exact probability of a positive decision, and a 0/1 decision drawn with --seed (the same seed gives the same decisions). A group the policy was not fitted on is an error.\n\nExit codes: 0 ok, 2 usage or data error.",
    )
    .argument("<POLICY>", "policy JSON written by fairkit postprocess")
    .argument("<FILE>", "the file to decide on (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--score <col>", "score column (default: the one the policy was fitted on)")
    .option("--sensitive <cols>", "sensitive column(s) (default: the policy's)", collectList)
    .option("--seed <n>", "seed of the randomised decisions", parseCount("--seed"), 0)
    .option("-o, --output <file>", "write the decisions CSV here (atomically) instead of stdout");
  addFileReadOptions(command)
    .action((policy: string, file: string, options: ApplyCommandOptions) =>
      runCommand("apply", async () => {
        const { csv, summary } = await runApply(policy, file, options);
        await writeOutput(csv, options.output);
        process.stderr.write(`${summary}\n`);
      }),
    );
}
