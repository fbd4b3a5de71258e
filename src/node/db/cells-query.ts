/**
 * The one query fairkit runs in a database: a plain `GROUP BY` over the finest cells — the
 * sensitive columns' values × the label's value × the decision (a column's value, or 0/1 from
 * score ≥ threshold) — with the row count, the sums of weights and of squared weights, and the
 * counts of missing and bad weights. Every roll-up (each sensitive column alone, intersections,
 * overall) and every metric is computed from these rows in TypeScript, so only counts cross the
 * wire, and the same query runs in any engine that has `GROUP BY`.
 *
 * The result's columns have stable names, so a user can run the printed query in a warehouse
 * console and hand its result to `fairkit audit --from-counts`: the sensitive columns under their
 * own names, then {@link CELL_COLUMNS}.
 */
import { FairkitError } from "fairkit/internal";
import type { ColumnRoles } from "../io/columns.js";
import type { Dialect } from "./dialects.js";

/** The names of the cells query's own result columns (beside the sensitive columns). */
export const CELL_COLUMNS = {
  label: "fairkit_label",
  decision: "fairkit_decision",
  rows: "fairkit_rows",
  weight: "fairkit_weight",
  weight2: "fairkit_weight2",
  weightMissing: "fairkit_weight_missing",
  weightBad: "fairkit_weight_bad",
} as const;

/** Names a sensitive column may not have (the query's own columns take them). */
export const RESERVED_PREFIX = "fairkit_";

/** The decision column's value from a score: NULL where the score is missing, 2 where it is not finite. */
export function scoreDecision(dialect: Dialect, score: string, threshold: number): string {
  const s = dialect.double(score);
  return `CASE WHEN ${s} IS NULL THEN NULL WHEN ${dialect.notFinite(s)} THEN 2 WHEN ${s} >= ${sqlNumber(threshold)} THEN 1 ELSE 0 END`;
}

/** A finite number as a SQL literal that every dialect reads as the same double. */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value))
    throw new FairkitError("BAD_ARGUMENT", `--threshold must be a finite number; got ${value}`, {
      argument: "threshold",
    });
  // Parenthesised when negative, so no printing can put two minus signs together.
  return value < 0 ? `(${String(value)})` : String(value);
}

/**
 * The cells query for these roles over a relation (`"schema"."table"` or `(SELECT …)`), with an
 * optional filter already written in the dialect.
 *
 * @example
 * cellsQuery(DIALECTS.postgres, '"compas"', { yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race"] });
 */
export function cellsQuery(dialect: Dialect, relation: string, roles: ColumnRoles, where?: string): string {
  for (const s of roles.sensitive) {
    if (s.toLowerCase().startsWith(RESERVED_PREFIX))
      throw new FairkitError(
        "BAD_ARGUMENT",
        `--sensitive ${JSON.stringify(s)}: names that begin with ${RESERVED_PREFIX} are the cells query's own; rename the column in a --query (SELECT ${s} AS …)`,
        { argument: "sensitive" },
      );
  }
  const id = dialect.identifier;
  const C = CELL_COLUMNS;
  const inner = [
    ...roles.sensitive.map((s) => `${dialect.text(id(s))} AS ${id(s)}`),
    `${dialect.text(id(roles.yTrue))} AS ${C.label}`,
    `${roles.yPred !== undefined ? dialect.text(id(roles.yPred)) : scoreDecision(dialect, id(roles.score!), roles.threshold!)} AS ${C.decision}`,
    ...(roles.weight !== undefined ? [`${dialect.double(id(roles.weight))} AS fairkit_w`] : []),
  ];
  const keys = [...roles.sensitive.map(id), C.label, C.decision];
  const sums =
    roles.weight !== undefined
      ? [
          `COUNT(*) AS ${C.rows}`,
          `SUM(fairkit_w) AS ${C.weight}`,
          `SUM(fairkit_w * fairkit_w) AS ${C.weight2}`,
          `SUM(CASE WHEN fairkit_w IS NULL THEN 1 ELSE 0 END) AS ${C.weightMissing}`,
          `SUM(CASE WHEN fairkit_w < 0 OR ${dialect.notFinite("fairkit_w")} THEN 1 ELSE 0 END) AS ${C.weightBad}`,
        ]
      : [`COUNT(*) AS ${C.rows}`];
  return [
    `SELECT ${[...keys, ...sums].join(", ")}`,
    "FROM (",
    `  SELECT ${inner.join(", ")}`,
    `  FROM ${relation} AS fairkit_input${where !== undefined ? `\n  WHERE ${where}` : ""}`,
    ") AS fairkit_cells",
    `GROUP BY ${keys.join(", ")}`,
  ].join("\n");
}
