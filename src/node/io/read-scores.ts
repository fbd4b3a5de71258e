/**
 * Score tables from a file through DuckDB (the `fairkit thresholds`, `postprocess` and report
 * input): the columns are checked exactly as `fairkit audit` checks them, then one GROUP BY over
 * (group, score, label) brings only the distinct triples into JavaScript.
 */
import { checkFiniteScoreSums, type GroupScores, type ScoreTable } from "fairkit/internal";
import { ROLE_OPTIONS, binarySql, levelCodeSql, numericExpression } from "./columns.js";
import { withDuckDB } from "./duckdb.js";
import { readCounts, roleExpressions } from "./read-counts.js";
import { type SourceOptions, filteredFrom, openSource, runChecked, sourceError } from "./source.js";

/** Which columns hold the score, label, groups and weights. */
export interface ScoreColumns extends SourceOptions {
  score: string;
  yTrue: string;
  sensitive: string[];
  weight?: string;
  posLabel?: string;
}

/** What {@link readScoreTableFromFile} returns. */
export interface ScoreTableRead {
  table: ScoreTable;
  rows: number;
  format: string;
}

/**
 * Score tables from a file, through DuckDB: the columns are checked exactly as `fairkit audit`
 * checks them (readCounts, which also finds the groups), then one `GROUP BY group, score, label`
 * returns the weighted counts the tables are made of, streamed chunk by chunk into typed arrays
 * (groups as integer codes computed in SQL); only distinct (group, score, label) triples reach
 * JavaScript.
 */
export async function readScoreTableFromFile(path: string, columns: ScoreColumns): Promise<ScoreTableRead> {
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, {
      ...columns,
      textColumns: [columns.yTrue, ...columns.sensitive],
    });
    const roles = {
      yTrue: columns.yTrue,
      score: columns.score,
      threshold: 0,
      sensitive: columns.sensitive,
      weight: columns.weight,
      posLabel: columns.posLabel,
    };
    const counts = await readCounts(connection, source, roles);
    const ex = await roleExpressions(connection, source, roles);
    const scoreSql = await numericExpression(connection, source, columns.score, ROLE_OPTIONS.score);
    // Mixed-radix group key in SQL: per column 0 = missing, 1 + the level's index otherwise (an
    // ENUM lookup per row, so many levels cost no more than a few).
    const radix = columns.sensitive.map((c) => counts.levels[c].length + 1);
    const strides = radix.map((_, j) => radix.slice(j + 1).reduce((a, b) => a * b, 1));
    const codeSql = await Promise.all(
      columns.sensitive.map((c, j) => levelCodeSql(connection, ex.sensitive[j], counts.levels[c])),
    );
    const keySql = codeSql.map((code, j) => `CAST(${code} + 1 AS DOUBLE) * ${strides[j]}`).join(" + ");
    const levelIndex = columns.sensitive.map((c) => new Map(counts.levels[c].map((v, i) => [v, i])));
    const groupOf = new Map<number, number>();
    counts.table.groups.forEach((info, g) => {
      let key = 0;
      columns.sensitive.forEach((c, j) => {
        const v = info.values[c];
        key += (v === null ? 0 : levelIndex[j].get(v)! + 1) * strides[j];
      });
      groupOf.set(key, g);
    });
    const inner = [
      `${keySql} AS gk`,
      `${binarySql(ex.yTrue, counts.yTrue)} AS y`,
      `CAST(${scoreSql} AS DOUBLE) AS sc`,
      ...(ex.weight ? [`CAST(${ex.weight} AS DOUBLE) AS w`] : []),
    ].join(", ");
    const sums = ex.weight
      ? "CAST(count(*) AS DOUBLE) AS n, CAST(sum(w) AS DOUBLE) AS sw, CAST(sum(w * w) AS DOUBLE) AS sw2"
      : "CAST(count(*) AS DOUBLE) AS n";
    const sql = `SELECT gk, CAST(y AS UTINYINT) AS y, sc, ${sums} FROM (SELECT ${inner} FROM ${filteredFrom(source)}) GROUP BY gk, y, sc ORDER BY gk, sc`;
    const G = counts.table.groups.length;
    type Lists = { s: number[]; nw: number[]; nw2: number[]; nr: number[]; pw: number[]; pw2: number[]; pr: number[] };
    const lists: Lists[] = Array.from({ length: G }, () => ({
      s: [],
      nw: [],
      nw2: [],
      nr: [],
      pw: [],
      pw2: [],
      pr: [],
    }));
    const items = (chunk: { getColumnVector(i: number): unknown }, i: number) =>
      (chunk.getColumnVector(i) as { items: Float64Array | Uint8Array }).items;
    try {
      const result = await runChecked(source, () => connection.stream(sql));
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const gk = items(chunk, 0);
        const ys = items(chunk, 1);
        const sc = items(chunk, 2);
        const ns = items(chunk, 3);
        const sws = ex.weight ? items(chunk, 4) : ns;
        const sw2s = ex.weight ? items(chunk, 5) : ns;
        for (let r = 0; r < chunk.rowCount; r++) {
          const g = groupOf.get(gk[r]);
          if (g === undefined) throw new Error(`internal: group key ${gk[r]} not among the counted groups`);
          const l = lists[g];
          const s = sc[r];
          if (l.s.length === 0 || l.s[l.s.length - 1] !== s) {
            l.s.push(s);
            for (const a of [l.nw, l.nw2, l.nr, l.pw, l.pw2, l.pr]) a.push(0);
          }
          const j = l.s.length - 1;
          if (ys[r]) {
            l.pw[j] += sws[r];
            l.pw2[j] += sw2s[r];
            l.pr[j] += ns[r];
          } else {
            l.nw[j] += sws[r];
            l.nw2[j] += sw2s[r];
            l.nr[j] += ns[r];
          }
        }
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("internal:")) throw error;
      throw await sourceError(source, error);
    }
    const perGroup: GroupScores[] = lists.map((l) => ({
      scores: Float64Array.from(l.s),
      negWeight: Float64Array.from(l.nw),
      negWeight2: Float64Array.from(l.nw2),
      negRows: Float64Array.from(l.nr),
      posWeight: Float64Array.from(l.pw),
      posWeight2: Float64Array.from(l.pw2),
      posRows: Float64Array.from(l.pr),
    }));
    const table = { columns: [...columns.sensitive], groups: counts.table.groups, perGroup };
    checkFiniteScoreSums(table);
    return { table, rows: counts.rows, format: source.format };
  });
}
