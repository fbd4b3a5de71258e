/**
 * Counts per time window straight from a file, for `fairkit monitor`: the GROUP BY of
 * read-counts.ts with two more keys — the window a row's timestamp falls in, and the bin of its
 * score (edges fixed from the reference's deciles, one small query before) — so nothing
 * row-sized reaches JavaScript. Rows without a label are kept (labels arrive late): they count
 * in the decisions and scores of their window, not in its confusion counts. The checks are the
 * readers' own (src/node/io/cells.ts): the cells go through `countsFromCells` with the window as
 * an extra leading key, once for the labelled rows and once for every row's decision.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  type ConfusionTable,
  DEFAULTS,
  FairkitError,
  GROUP_STRIDE,
  groupLabel,
  groupTuple,
  type Level,
  type ReferenceSpec,
  referenceEdges,
  selectGroups,
  type WindowCounts,
  type WindowSpec,
} from "fairkit/internal";
import { type CellRow, cellRowsOf, countsFromCells } from "./cells.js";
import { type ColumnRoles, firstRowWhere, numericExpression, ROLE_OPTIONS, textColumnsOf } from "./columns.js";
import { ioMessages } from "./messages.js";
import type { Progress } from "./progress-sink.js";
import { fileCellsSql, fileChecks, roleExpressions } from "./read-counts.js";
import { runWithProgress } from "./run.js";
import { type Source, columnType, filteredFrom, requireColumns, runChecked, sourceError, withText } from "./source.js";
import { sqlIdentifier } from "./sql.js";

/** Messages about the time column (each names the file). */

/** The column that names the window in the cells given to `countsFromCells` (never a file column: the prefix is reserved). */
const WINDOW_KEY = "__fairkit_window";

/** What {@link readWindows} returns. */
export interface WindowsRead {
  windows: WindowCounts[];
  rows: number;
  /** Score bin edges (from the reference's deciles); null without a score. */
  edges: number[] | null;
}

/** The time column as epoch milliseconds (BIGINT SQL), after checking it holds times. */
async function timeExpression(connection: DuckDBConnection, source: Source, column: string): Promise<string> {
  requireColumns(source, [{ option: "--time", column }]);
  const type = columnType(source, column);
  const id = sqlIdentifier(column);
  if (type === "DATE" || type.startsWith("TIMESTAMP")) return `epoch_ms(CAST(${id} AS TIMESTAMP))`;
  if (type !== "VARCHAR")
    throw new FairkitError("BAD_FILE", ioMessages.timeNotTime(source.path, column, type), {
      file: source.path,
      argument: column,
    });
  const parsed = `TRY_CAST(trim(${id}) AS TIMESTAMPTZ)`;
  const bad = await firstRowWhere(
    connection,
    source,
    `${id} IS NOT NULL AND trim(${id}) <> '' AND ${parsed} IS NULL`,
    id,
  );
  if (bad)
    throw new FairkitError("BAD_FILE", ioMessages.timeNotParsed(source.path, column, String(bad.value), bad.place), {
      file: source.path,
      argument: column,
      row: bad.row,
    });
  return `epoch_ms(${parsed})`;
}

/** The windows' tables from one table whose first column is the window. */
function splitByWindow(table: ConfusionTable): Map<number, ConfusionTable> {
  const columns = table.columns.slice(1);
  const indexes = new Map<number, number[]>();
  table.groups.forEach((g, i) => {
    const w = Number(g.values[WINDOW_KEY]);
    indexes.set(w, [...(indexes.get(w) ?? []), i]);
  });
  const out = new Map<number, ConfusionTable>();
  for (const [w, idx] of indexes) {
    const sub = selectGroups(table, idx);
    const groups = sub.groups.map((g) => {
      const values: Record<string, Level | null> = {};
      for (const c of columns) values[c] = g.values[c];
      return { key: groupLabel(groupTuple(values, columns)), values };
    });
    out.set(w, { columns, groups, data: sub.data });
  }
  return out;
}

/**
 * Reads per-window counts of an opened file in two DuckDB passes (the reference's score deciles,
 * then the one GROUP BY).
 *
 * @example
 * const windows = await readWindows(con, source, roles, { time: "decided_at", window: parseWindow("day"), reference: { kind: "first" } });
 */
export async function readWindows(
  connection: DuckDBConnection,
  opened: Source,
  roles: ColumnRoles,
  options: { time: string; window: WindowSpec; reference: ReferenceSpec; progress?: Progress },
): Promise<WindowsRead> {
  const source = withText(opened, textColumnsOf(roles));
  const ex = await roleExpressions(connection, source, roles);
  const time = await timeExpression(connection, source, options.time);
  const { width, origin } = options.window;
  const windowSql = `(CAST(floor((${time} - ${origin}) / ${width}) AS BIGINT) * ${width} + ${origin})`;
  const from = filteredFrom(source);
  // Score bins: the reference's deciles (unweighted), repeated values dropped.
  let edges: number[] | null = null;
  let score: string | undefined;
  if (roles.score !== undefined) {
    score = await numericExpression(connection, source, roles.score, ROLE_OPTIONS.score);
    const inReference =
      options.reference.kind === "first"
        ? `${windowSql} = (SELECT min(${windowSql}) FROM ${from})`
        : `${windowSql} >= ${options.reference.start} AND ${windowSql} < ${options.reference.end}`;
    const qs = Array.from({ length: DEFAULTS.driftBins - 1 }, (_, i) => (i + 1) / DEFAULTS.driftBins);
    const sql = `SELECT quantile_disc(${score}, [${qs.join(", ")}]) FROM ${from} WHERE ${inReference} AND isfinite(${score})`;
    const row = (await runChecked(source, () => connection.runAndReadAll(sql))).getRows()[0][0] as {
      items?: unknown[];
    } | null;
    const items = row && Array.isArray(row.items) ? row.items : [];
    edges = referenceEdges(items.filter((v) => v !== null).map(Number));
  }
  const bin =
    score === undefined || edges === null || edges.length === 0
      ? "0"
      : edges.map((e) => `CASE WHEN ${score} >= ${e} THEN 1 ELSE 0 END`).join(" + ");
  const k = roles.sensitive.length;
  const sql = fileCellsSql(source, roles, ex, {
    leading: [
      { sql: windowSql, alias: "t" },
      { sql: bin, alias: "b" },
    ],
    from,
  });
  let result: unknown[][];
  try {
    result = (await runChecked(source, () => runWithProgress(connection, sql, options.progress))).getRows();
  } catch (error) {
    throw await sourceError(source, error);
  }
  // Rows without a time: counted by the GROUP BY (a NULL window); only then is the first one looked for.
  const missingTime = result.filter((row) => row[0] === null).reduce((n, row) => n + Number(row[k + 4]), 0);
  if (missingTime > 0) {
    const first = await firstRowWhere(connection, source, `(${time}) IS NULL`, sqlIdentifier(options.time));
    throw new FairkitError("BAD_FILE", ioMessages.timeMissing(source.path, options.time, missingTime, first?.place), {
      file: source.path,
      argument: options.time,
      row: first?.row,
    });
  }
  // The window leads the group tuple (WINDOW_KEY), so the checks and the encoding see it as a column.
  const cells = cellRowsOf(result, roles, 2);
  const rows = result.map((row, r) => ({
    t: Number(row[0]),
    b: Number(row[1]),
    cell: { ...cells[r], sensitive: [Number(row[0]), ...cells[r].sensitive] } satisfies CellRow,
  }));
  const windowRoles: ColumnRoles = { ...roles, sensitive: [WINDOW_KEY, ...roles.sensitive] };
  const checks = fileChecks(connection, source, roles, ex);
  // Every row's decision: the label is not read (a constant that reads as the negative, or the positive label).
  const constant = roles.posLabel ?? "0";
  const decided = await countsFromCells(
    rows.map((r) => ({ ...r.cell, y: constant })),
    windowRoles,
    checks,
  );
  if (roles.posLabel !== undefined) {
    // Everything landed in the label-1 cells (FN, TP): move it to TN, FP, as WindowCounts documents.
    const d = decided.table.data;
    for (let g = 0; g < d.length; g += GROUP_STRIDE)
      for (let s = 0; s < 6; s++) {
        d[g + s] += d[g + 6 + s];
        d[g + 6 + s] = 0;
      }
  }
  const labelledCells = rows.filter((r) => r.cell.y !== null).map((r) => r.cell);
  const labelled = labelledCells.length > 0 ? await countsFromCells(labelledCells, windowRoles, checks) : undefined;
  const decisionsBy = splitByWindow(decided.table);
  const labelledBy = labelled ? splitByWindow(labelled.table) : new Map<number, ConfusionTable>();
  const scores = new Map<number, Record<string, number[]>>();
  if (edges !== null) {
    for (const { t, b, cell } of rows) {
      const byGroup = scores.get(t) ?? {};
      const key = groupLabel(cell.sensitive.slice(1) as (Level | null)[]);
      const bins = byGroup[key] ?? new Array(edges.length + 1).fill(0);
      bins[b] += cell.sw;
      byGroup[key] = bins;
      scores.set(t, byGroup);
    }
  }
  const windows: WindowCounts[] = [...decisionsBy.keys()]
    .sort((a, b) => a - b)
    .map((start) => ({
      start,
      decisions: decisionsBy.get(start)!,
      labelled: labelledBy.get(start) ?? { columns: [...roles.sensitive], groups: [], data: new Float64Array(0) },
      ...(edges !== null ? { scores: scores.get(start) ?? {} } : {}),
    }));
  return { windows, rows: decided.rows, edges };
}
