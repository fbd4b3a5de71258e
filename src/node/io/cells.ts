/**
 * From the rows of one `GROUP BY` over the finest cells (group tuple × label value × decision
 * value, with row counts and weight sums) to checked confusion counts. Every reader that counts
 * in SQL — a file through DuckDB, a database table or query, a GROUP BY result a user ran in
 * their warehouse — ends here, so the checks (missing labels, labels that are not binary,
 * scores that are not finite, negative weights), the mapping of values to 0/1 and the group
 * encoding are one code path whatever engine counted.
 *
 * The engine is asked for an example of a bad row only when a check fails, through
 * {@link CellChecks.first}: a file names the row and line, a database the value.
 */
import {
  checkFiniteSums,
  compareLevels,
  type ConfusionTable,
  encodeGroups,
  FairkitError,
  GROUP_STRIDE,
  type Level,
  SUMS_PER_CELL,
} from "fairkit/internal";
import {
  type BinaryMapping,
  type ColumnRoles,
  type RawValue,
  ROLE_OPTIONS,
  binaryMapping,
  decisionMapping,
  naturalBit,
  plainText,
} from "./columns.js";
import { ioMessages } from "./messages.js";

/** One row of the cells query: the group's values, the label and decision values, and the sums. */
export interface CellRow {
  /** The sensitive columns' values (trimmed text; null where missing), in `roles.sensitive` order. */
  sensitive: (RawValue | null)[];
  /** The label's value (trimmed text; null where missing). */
  y: RawValue | null;
  /** The decision column's value (trimmed text), or from a score 0/1 (2 where the score is not finite); null where missing. */
  p: RawValue | null;
  /** Rows. */
  n: number;
  /** Sum of weights and of squared weights (equal to `n` without a weight column). */
  sw: number;
  sw2: number;
  /** Rows whose weight is missing, and whose weight is negative or not finite (0 without a weight column). */
  wNull: number;
  wBad: number;
}

/**
 * The rows of a cells query (arrays in its column order: from `offset` on, the sensitive values,
 * the label, the decision, the rows, then with a weight the weight sums and the counts of missing
 * and bad weights) as {@link CellRow}s. Counts may arrive as strings (64-bit integers) and sums as
 * NULL (a cell whose weights are all missing). Values are trimmed as {@link plainText} trims them.
 */
export function cellRowsOf(
  rows: readonly unknown[][],
  roles: Pick<ColumnRoles, "sensitive" | "yPred" | "weight">,
  offset = 0,
): CellRow[] {
  const k = roles.sensitive.length;
  const j = offset + k;
  const weighted = roles.weight !== undefined;
  return rows.map((row) => {
    const n = Number(row[j + 2]);
    return {
      sensitive: row.slice(offset, j).map(plainText),
      y: plainText(row[j]),
      p: roles.yPred !== undefined ? plainText(row[j + 1]) : row[j + 1] === null ? null : Number(row[j + 1]),
      n,
      sw: weighted ? Number(row[j + 3] ?? 0) : n,
      sw2: weighted ? Number(row[j + 4] ?? 0) : n,
      wNull: weighted ? Number(row[j + 5] ?? 0) : 0,
      wBad: weighted ? Number(row[j + 6] ?? 0) : 0,
    };
  });
}

/** A row that breaks a check, as the engine can describe it. */
export type CellProblem =
  | { kind: "missing"; column: string }
  | { kind: "not_finite"; column: string }
  | { kind: "bad_weight"; column: string }
  /** A label or decision value outside `allowed` (the values that read as 0/1). */
  | { kind: "not_binary"; column: string; allowed: RawValue[] };

/** Where a bad row is: its number (files only), its value, and words for the message. */
export interface CellPlace {
  row?: number;
  value: unknown;
  /** "data row 12 (line 13)"; undefined when the engine cannot place a row (a database table has no order). */
  place: string | undefined;
}

/** What the engine that counted offers the checks. */
export interface CellChecks {
  /** The input as messages name it (a file path, or a database table or query). */
  name: string;
  /** The file a message is about (undefined for a database). */
  file: string | undefined;
  /** The first row with this problem; only called when a check has already failed. */
  first(problem: CellProblem): Promise<CellPlace | undefined>;
  /** Called when no row was counted: throws the message for an empty input or a filter that matched nothing. */
  noRows(): Promise<never>;
}

/** What {@link countsFromCells} returns: the counts and what was learnt about the columns. */
export interface CountsRead {
  table: ConfusionTable;
  /** Rows read (after the `where` filter). */
  rows: number;
  /** Missing values per column used (after the filter). */
  nulls: Record<string, number>;
  yTrue: BinaryMapping;
  /** Absent when decisions come from a score and threshold. */
  yPred: BinaryMapping | undefined;
  /** Each sensitive column's present values, in group order. */
  levels: Record<string, Level[]>;
  /** True when every weight is 1 (no weight column). */
  unweighted: boolean;
}

/**
 * Checks the cells and builds the confusion counts, in the order a user would fix the problems:
 * no rows, a sensitive column with no value, missing labels, labels that are not binary, missing
 * or non-binary decisions (or missing / non-finite scores), missing or negative weights, weights
 * that sum to zero.
 */
export async function countsFromCells(
  cells: readonly CellRow[],
  roles: ColumnRoles,
  checks: CellChecks,
): Promise<CountsRead> {
  const k = roles.sensitive.length;
  const R = cells.length;
  const name = checks.name;
  const location = (argument: string, row?: number) => ({
    ...(checks.file !== undefined ? { file: checks.file } : {}),
    argument,
    ...(row !== undefined ? { row } : {}),
  });
  let rows = 0;
  let wNull = 0;
  let wBad = 0;
  let totalWeight = 0;
  const nulls: Record<string, number> = {};
  for (const c of [
    ...roles.sensitive,
    roles.yTrue,
    roles.yPred ?? roles.score!,
    ...(roles.weight ? [roles.weight] : []),
  ])
    nulls[c] = 0;
  for (const cell of cells) {
    for (let j = 0; j < k; j++) if (cell.sensitive[j] === null) nulls[roles.sensitive[j]] += cell.n;
    rows += cell.n;
    if (cell.y === null) nulls[roles.yTrue] += cell.n;
    if (cell.p === null) nulls[roles.yPred ?? roles.score!] += cell.n;
    wNull += cell.wNull;
    wBad += cell.wBad;
    totalWeight += cell.sw;
  }
  if (roles.weight) nulls[roles.weight] = wNull;

  if (rows === 0) await checks.noRows();
  for (const c of roles.sensitive) {
    if (nulls[c] === rows)
      throw new FairkitError("BAD_ARGUMENT", ioMessages.allNull(name, c, ROLE_OPTIONS.sensitive), location(c));
  }
  const missing = async (column: string, option: string, count: number): Promise<never> => {
    const first = await checks.first({ kind: "missing", column });
    throw new FairkitError(
      "MISSING_LABEL",
      ioMessages.missingValues(name, column, option, count, first?.place),
      location(column, first?.row),
    );
  };
  if (nulls[roles.yTrue] > 0) await missing(roles.yTrue, ROLE_OPTIONS.yTrue, nulls[roles.yTrue]);
  const checkBinary = async (
    column: string,
    option: string,
    values: RawValue[],
    posLabel: string | undefined,
    posOption: string,
    mapping: BinaryMapping | { error: "not_binary" | "pos_label_absent" },
  ): Promise<BinaryMapping> => {
    if (!("error" in mapping)) return mapping;
    if (mapping.error === "pos_label_absent") {
      throw new FairkitError(
        "NOT_BINARY",
        ioMessages.posLabelAbsent(name, column, option, posOption, posLabel!, values),
        location(column),
      );
    }
    // Without --pos-label the first row that is not 0/1 or true/false is to blame; with it, no one row is.
    const first =
      posLabel === undefined
        ? await checks.first({ kind: "not_binary", column, allowed: values.filter((v) => naturalBit(v) !== undefined) })
        : undefined;
    throw new FairkitError(
      "NOT_BINARY",
      ioMessages.notBinary(name, column, option, values, first?.place),
      location(column, first?.row),
    );
  };
  const yValues = distinct(cells.map((c) => c.y));
  const yTrue = await checkBinary(
    roles.yTrue,
    ROLE_OPTIONS.yTrue,
    yValues,
    roles.posLabel,
    "--pos-label",
    binaryMapping(roles.yTrue, yValues, roles.posLabel),
  );
  let yPred: BinaryMapping | undefined;
  if (roles.yPred !== undefined) {
    const column = roles.yPred;
    if (nulls[column] > 0) await missing(column, ROLE_OPTIONS.yPred, nulls[column]);
    const option = roles.predPosLabel !== undefined ? "--pred-pos-label" : "--pos-label";
    const pValues = distinct(cells.map((c) => c.p));
    yPred = await checkBinary(
      column,
      ROLE_OPTIONS.yPred,
      pValues,
      roles.predPosLabel ?? roles.posLabel,
      option,
      decisionMapping(column, pValues, roles.posLabel, roles.predPosLabel),
    );
  } else {
    const score = roles.score!;
    if (nulls[score] > 0) await missing(score, ROLE_OPTIONS.score, nulls[score]);
    if (cells.some((c) => c.p !== null && Number(c.p) === 2)) {
      const first = await checks.first({ kind: "not_finite", column: score });
      throw new FairkitError(
        "BAD_SCORE",
        ioMessages.notFinite(name, score, ROLE_OPTIONS.score, Number(first?.value), first?.place),
        location(score, first?.row),
      );
    }
  }
  if (roles.weight !== undefined) {
    if (wNull > 0) await missing(roles.weight, ROLE_OPTIONS.weight, wNull);
    if (wBad > 0) {
      const first = await checks.first({ kind: "bad_weight", column: roles.weight });
      throw new FairkitError(
        "BAD_WEIGHT",
        ioMessages.negativeWeight(name, roles.weight, Number(first?.value), first?.place),
        location(roles.weight, first?.row),
      );
    }
    if (totalWeight === 0)
      throw new FairkitError("BAD_WEIGHT", ioMessages.zeroWeight(name, roles.weight), location(roles.weight));
  }

  // The counts: group codes from the core's own encoding of the (few) aggregated rows.
  const named: Record<string, (Level | null)[]> = {};
  roles.sensitive.forEach((c, j) => {
    named[c] = cells.map((cell) => cell.sensitive[j]) as (Level | null)[];
  });
  const encoding = encodeGroups(named, R, "rows");
  const G = encoding.groups.length;
  const data = new Float64Array(G * GROUP_STRIDE);
  const yPos = keySet(yTrue.positives);
  const pPos = yPred ? keySet(yPred.positives) : undefined;
  for (let r = 0; r < R; r++) {
    const cell = cells[r];
    const y = yPos.has(String(cell.y)) ? 1 : 0;
    const p = pPos ? (pPos.has(String(cell.p)) ? 1 : 0) : Number(cell.p);
    const base = encoding.codes[r] * GROUP_STRIDE + (2 * y + p) * SUMS_PER_CELL;
    data[base] += cell.sw;
    data[base + 1] += cell.sw2;
    data[base + 2] += cell.n;
  }
  const levels: Record<string, Level[]> = {};
  for (const c of roles.sensitive) {
    const seen = new Set<Level>();
    for (const g of encoding.groups) {
      const v = g.values[c];
      if (v !== null) seen.add(v);
    }
    levels[c] = [...seen].sort(compareLevels);
  }
  const table = { columns: [...roles.sensitive], groups: encoding.groups, data };
  checkFiniteSums(
    table,
    `${name}: weight column ${JSON.stringify(roles.weight ?? "")} (--weight)`,
    "rescale the column (e.g. divide it by its maximum)",
  );
  return { table, rows, nulls, yTrue, yPred, levels, unweighted: roles.weight === undefined };
}

function keySet(values: readonly RawValue[]): Set<string> {
  return new Set(values.map((v) => String(v)));
}

function distinct(values: readonly (RawValue | null)[]): RawValue[] {
  const seen = new Map<string, RawValue>();
  for (const v of values) if (v !== null && !seen.has(String(v))) seen.set(String(v), v);
  return [...seen.values()];
}
