/**
 * Score tables from a database (`fairkit thresholds postgres://… --table T`): the columns are
 * checked as the database audit checks them (readDatabaseCounts, which also finds the groups),
 * then one `GROUP BY` over (group values, label, score) returns the weighted counts of each
 * distinct score per group and label; curves, optimal thresholds and the impossibility analysis
 * are computed from those in TypeScript, exactly as for a file. Only distinct triples cross the
 * wire (a score with three decimals: at most a thousand per group and label).
 */
import { checkFiniteScoreSums, type GroupScores, type ScoreTable, groupId } from "fairkit/internal";
import type { ColumnRoles } from "../io/columns.js";
import { plainText } from "../io/columns.js";
import { type DatabaseRelation, openRelation, readDatabaseCounts } from "./audit-database.js";
import { connect } from "./connect.js";
import type { Dialect } from "./dialects.js";

/** The query: per group values, label value and score, the rows and weight sums. */
export function scoreCellsQuery(
  dialect: Dialect,
  relation: string,
  roles: Pick<ColumnRoles, "yTrue" | "sensitive" | "weight"> & { score: string },
  where?: string,
): string {
  const id = dialect.identifier;
  const inner = [
    ...roles.sensitive.map((s) => `${dialect.text(id(s))} AS ${id(s)}`),
    `${dialect.text(id(roles.yTrue))} AS fairkit_label`,
    `${dialect.double(id(roles.score))} AS fairkit_score`,
    ...(roles.weight !== undefined ? [`${dialect.double(id(roles.weight))} AS fairkit_w`] : []),
  ];
  const keys = [...roles.sensitive.map(id), "fairkit_label", "fairkit_score"];
  const sums =
    roles.weight !== undefined
      ? [
          "COUNT(*) AS fairkit_rows",
          "SUM(fairkit_w) AS fairkit_weight",
          "SUM(fairkit_w * fairkit_w) AS fairkit_weight2",
        ]
      : ["COUNT(*) AS fairkit_rows"];
  return [
    `SELECT ${[...keys, ...sums].join(", ")}`,
    "FROM (",
    `  SELECT ${inner.join(", ")}`,
    `  FROM ${relation} AS fairkit_input${where !== undefined ? `\n  WHERE ${where}` : ""}`,
    ") AS fairkit_scores",
    `GROUP BY ${keys.join(", ")}`,
  ].join("\n");
}

/**
 * Reads the score table of a database relation.
 *
 * @example
 * const { table, rows } = await readDatabaseScoreTable("postgres://fairkit@127.0.0.1/audit", {
 *   table: "compas", yTrue: "two_year_recid", score: "decile_score", sensitive: ["race"],
 * });
 */
export async function readDatabaseScoreTable(
  address: string,
  options: DatabaseRelation & {
    yTrue: string;
    score: string;
    sensitive: string[];
    weight?: string;
    posLabel?: string;
    where?: string;
  },
): Promise<{ table: ScoreTable; rows: number; source: string; format: string }> {
  const engine = await connect(address);
  try {
    const relation = await openRelation(engine, options, options.where);
    const roles = { ...options, threshold: 0 };
    const counts = await readDatabaseCounts(relation, roles);
    const positives = new Set(counts.yTrue.positives.map(String));
    const columns = counts.table.columns;
    const groupOf = new Map(counts.table.groups.map((g, i) => [groupId(columns.map((c) => g.values[c])), i]));
    const k = options.sensitive.length;
    const rows = await engine.query(scoreCellsQuery(engine.dialect, relation.sql, options, relation.where));
    type Acc = Map<number, [number, number, number, number, number, number]>;
    const acc: Acc[] = counts.table.groups.map(() => new Map());
    for (const row of rows) {
      const g = groupOf.get(groupId(row.slice(0, k).map(plainText)));
      if (g === undefined) throw new Error(`internal: a group of the score query is not among the counted groups`);
      const y = positives.has(String(plainText(row[k]))) ? 1 : 0;
      const score = Number(row[k + 1]);
      const n = Number(row[k + 2]);
      const sw = options.weight !== undefined ? Number(row[k + 3] ?? 0) : n;
      const sw2 = options.weight !== undefined ? Number(row[k + 4] ?? 0) : n;
      let cell = acc[g].get(score);
      if (!cell) {
        cell = [0, 0, 0, 0, 0, 0];
        acc[g].set(score, cell);
      }
      const base = y ? 3 : 0;
      cell[base] += sw;
      cell[base + 1] += sw2;
      cell[base + 2] += n;
    }
    const perGroup: GroupScores[] = acc.map((m) => {
      const scores = [...m.keys()].sort((a, b) => a - b);
      const column = (i: number) => Float64Array.from(scores, (s) => m.get(s)![i]);
      return {
        scores: Float64Array.from(scores),
        negWeight: column(0),
        negWeight2: column(1),
        negRows: column(2),
        posWeight: column(3),
        posWeight2: column(4),
        posRows: column(5),
      };
    });
    const table = { columns: [...options.sensitive], groups: counts.table.groups, perGroup };
    checkFiniteScoreSums(table);
    return { table, rows: counts.rows, source: relation.name, format: engine.dialect.name };
  } finally {
    await engine.close();
  }
}
