/**
 * Confusion counts per group: the sufficient statistics of every threshold-free group metric.
 *
 * For each group and each confusion cell (TN, FP, FN, TP) three sums are kept: the weight, the
 * squared weight (for effective sample sizes under weights) and the raw row count. They merge by
 * addition, so counts from chunks, files, workers or database partitions combine exactly.
 */
import { COUNTS_SCHEMA, COUNTS_SCHEMA_VERSION } from "../schemas/counts.js";
import { FairkitError, messages } from "./errors.js";
import { type GroupInfo, type Level, groupLabel, groupTuple, unionGroups } from "./groups.js";
import { checkSchema } from "./schema.js";

/** Cell index = 2 · yTrue + yPred. */
export const Cell = { TN: 0, FP: 1, FN: 2, TP: 3 } as const;
/** Sums kept per cell: weight, squared weight, rows. */
export const SUMS_PER_CELL = 3;
/** Numbers kept per group. */
export const GROUP_STRIDE = 4 * SUMS_PER_CELL;

/**
 * Confusion counts of one group: a view of 12 numbers, `[w, w², rows]` for TN, FP, FN, TP.
 * Use {@link cellWeight} and {@link cellRows} to read it.
 */
export type Cells = Float64Array;

/** Weighted total of a cell. */
export function cellWeight(cells: Cells, cell: number): number {
  return cells[cell * SUMS_PER_CELL];
}
/** Raw row count of a cell. */
export function cellRows(cells: Cells, cell: number): number {
  return cells[cell * SUMS_PER_CELL + 2];
}
/** Weight, squared weight and rows summed over the cells in `mask` (bit k = cell k). */
export function sumCells(cells: Cells, mask: number): { weight: number; weight2: number; rows: number } {
  let weight = 0;
  let weight2 = 0;
  let rows = 0;
  for (let c = 0; c < 4; c++) {
    if (mask & (1 << c)) {
      weight += cells[c * SUMS_PER_CELL];
      weight2 += cells[c * SUMS_PER_CELL + 1];
      rows += cells[c * SUMS_PER_CELL + 2];
    }
  }
  return { weight, weight2, rows };
}

/** Confusion counts for every group of an encoding. */
export interface ConfusionTable {
  /** Sensitive column names. */
  columns: string[];
  /** Groups, index = group code. */
  groups: GroupInfo[];
  /** `groups.length × GROUP_STRIDE` sums. */
  data: Float64Array;
}

/**
 * Counts TN/FP/FN/TP per group in one pass over typed arrays.
 *
 * @example
 * const enc = encodeGroups(["a", "a", "b"]);
 * const table = countConfusion(Uint8Array.of(1, 0, 1), Uint8Array.of(1, 1, 0), enc);
 * groupCells(table, 0); // group "a": one TP, one FP
 */
export function countConfusion(
  yTrue: Uint8Array,
  yPred: Uint8Array,
  encoding: { columns: string[]; groups: GroupInfo[]; codes: Int32Array },
  weights?: Float64Array,
): ConfusionTable {
  const { codes, groups } = encoding;
  const n = codes.length;
  const data = new Float64Array(groups.length * GROUP_STRIDE);
  if (weights === undefined) {
    for (let i = 0; i < n; i++) data[codes[i] * GROUP_STRIDE + (2 * yTrue[i] + yPred[i]) * SUMS_PER_CELL + 2]++;
    for (let k = 0; k < data.length; k += SUMS_PER_CELL) {
      data[k] = data[k + 2];
      data[k + 1] = data[k + 2];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const base = codes[i] * GROUP_STRIDE + (2 * yTrue[i] + yPred[i]) * SUMS_PER_CELL;
      const w = weights[i];
      data[base] += w;
      data[base + 1] += w * w;
      data[base + 2]++;
    }
  }
  const table = { columns: [...encoding.columns], groups: encoding.groups, data };
  if (weights !== undefined) checkFiniteSums(table);
  return table;
}

/** The 12 sums of group `g` (a view, not a copy). */
export function groupCells(table: ConfusionTable, g: number): Cells {
  return table.data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE);
}

/** The 12 sums over all groups together. */
export function totalCells(table: ConfusionTable): Cells {
  const total = new Float64Array(GROUP_STRIDE);
  for (let k = 0; k < table.data.length; k++) total[k % GROUP_STRIDE] += table.data[k];
  return total;
}

/**
 * Adds two tables over the same sensitive columns. Groups are matched by identity (their typed
 * values, see `groupId`); a group present in only one table is kept as it is. When the two group
 * lists differ, the merged groups are in level order, as `encodeGroups` orders them.
 */
export function mergeConfusion(a: ConfusionTable, b: ConfusionTable): ConfusionTable {
  checkConfusionTable(a, "first table");
  checkConfusionTable(b, "second table");
  if (a.columns.join("\u0000") !== b.columns.join("\u0000")) {
    throw new FairkitError("BAD_ARGUMENT", messages.mergeColumns("counts", a.columns, b.columns));
  }
  const { groups, fromA, fromB } = unionGroups(a.groups, b.groups, a.columns);
  const data = new Float64Array(groups.length * GROUP_STRIDE);
  for (const [table, into] of [
    [a, fromA],
    [b, fromB],
  ] as const) {
    for (let g = 0; g < table.groups.length; g++) {
      const base = into[g] * GROUP_STRIDE;
      for (let k = 0; k < GROUP_STRIDE; k++) data[base + k] += table.data[g * GROUP_STRIDE + k];
    }
  }
  const merged = { columns: [...a.columns], groups, data };
  checkFiniteSums(merged, "the merged counts");
  return merged;
}

const CELL_LABELS = ["TN", "FP", "FN", "TP"] as const;
const SUM_LABELS = ["weight", "squared weight", "rows"] as const;

/**
 * Throws when a sum is not finite: weights so large that their sum overflows a double (1e308 and
 * up) would otherwise turn every rate into 0 or NaN without a word.
 */
export function checkFiniteSums(table: ConfusionTable, what = "the counts", fix?: string): void {
  const { data } = table;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      const g = Math.floor(k / GROUP_STRIDE);
      const cell = CELL_LABELS[Math.floor((k % GROUP_STRIDE) / SUMS_PER_CELL)];
      const sum = SUM_LABELS[k % SUMS_PER_CELL];
      throw new FairkitError(
        "BAD_WEIGHT",
        messages.sumOverflow(what, sum, table.groups[g]?.key ?? g, cell, data[k], fix),
        { argument: "sampleWeight" },
      );
    }
  }
}

/**
 * Checks a table built by hand or read back (e.g. for `MetricFrame.fromCounts`): 12 sums per
 * group, every sum finite and >= 0, a weight only where there are rows, each group once, and each
 * group's label the one its values give. The message names the group and the cell. (Rows may be
 * fractional: expected counts under a randomised rule are tables too.)
 */
export function checkConfusionTable(table: ConfusionTable, what = "counts"): void {
  if (table === null || typeof table !== "object" || !Array.isArray(table.columns) || !Array.isArray(table.groups)) {
    throw new FairkitError("BAD_ARGUMENT", messages.notConfusionTable(what), { argument: what });
  }
  const { data, groups } = table;
  if (!(data instanceof Float64Array) && !Array.isArray(data)) {
    throw new FairkitError("BAD_ARGUMENT", messages.countsDataType(what, GROUP_STRIDE), { argument: `${what}.data` });
  }
  if (data.length !== groups.length * GROUP_STRIDE) {
    throw new FairkitError("BAD_ARGUMENT", messages.countsDataLength(what, data.length, groups.length, GROUP_STRIDE), {
      argument: `${what}.data`,
    });
  }
  const labels = new Set<string>();
  groups.forEach((g, i) => {
    if (g === null || typeof g !== "object" || g.values === null || typeof g.values !== "object") {
      throw new FairkitError("BAD_ARGUMENT", messages.groupWithoutValues(what, i), {
        argument: `${what}.groups[${i}]`,
      });
    }
    const label = groupLabel(groupTuple(g.values, table.columns));
    if (g.key !== label) {
      throw new FairkitError("BAD_ARGUMENT", messages.wrongGroupLabel(what, i, g.key, label), {
        argument: `${what}.groups[${i}]`,
      });
    }
    if (labels.has(label))
      throw new FairkitError("BAD_ARGUMENT", messages.repeatedGroup(what, label), { argument: `${what}.groups[${i}]` });
    labels.add(label);
  });
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    const s = k % SUMS_PER_CELL;
    const bad = typeof v !== "number" || !Number.isFinite(v) || v < 0;
    const weightWithoutRows = s === 2 && v === 0 && (data[k - 2] !== 0 || data[k - 1] !== 0);
    if (bad || weightWithoutRows) {
      const g = Math.floor(k / GROUP_STRIDE);
      const cell = CELL_LABELS[Math.floor((k % GROUP_STRIDE) / SUMS_PER_CELL)];
      throw new FairkitError(
        "BAD_ARGUMENT",
        weightWithoutRows
          ? messages.weightWithoutRows(what, groups[g].key, cell, data[k - 2])
          : messages.badSum(what, groups[g].key, cell, SUM_LABELS[s], v),
        { argument: `${what}.data` },
      );
    }
  }
}

/** One cell's sums in the counts document. */
export interface CellJSON {
  weight: number;
  weight_squared: number;
  rows: number;
}

/** The counts document (`fairkit.counts`, schema in `schemas/counts.schema.json`). */
export interface ConfusionTableJSON {
  kind: "fairkit.counts";
  schema_version: typeof COUNTS_SCHEMA_VERSION;
  columns: string[];
  groups: {
    /** The group's values, one per column (its identity). */
    group: (Level | null)[];
    /** Display label, derived from `group` (ignored when read). */
    label?: string;
    cells: Record<"tn" | "fp" | "fn" | "tp", CellJSON>;
  }[];
  tool?: { name: "fairkit"; version: string };
  input?: Record<string, unknown>;
}

const CELL_NAMES = ["tn", "fp", "fn", "tp"] as const;

/** Serialises counts to the counts document (exact: every sum is a double). */
export function confusionToJSON(table: ConfusionTable): ConfusionTableJSON {
  return {
    kind: "fairkit.counts",
    schema_version: COUNTS_SCHEMA_VERSION,
    columns: [...table.columns],
    groups: table.groups.map((info, g) => {
      const cells = groupCells(table, g);
      const named = {} as ConfusionTableJSON["groups"][number]["cells"];
      CELL_NAMES.forEach((name, c) => {
        named[name] = { weight: cells[c * 3], weight_squared: cells[c * 3 + 1], rows: cells[c * 3 + 2] };
      });
      const tuple = groupTuple(info.values, table.columns);
      return { group: tuple, label: groupLabel(tuple), cells: named };
    }),
  };
}

/**
 * Reads a counts document back (validated against its schema, then as a table: a tuple per
 * column, each group once, rows only where there is weight). Labels are derived again.
 */
export function confusionFromJSON(json: unknown, what = "counts"): ConfusionTable {
  checkSchema(json, COUNTS_SCHEMA, what);
  const doc = json as ConfusionTableJSON;
  const data = new Float64Array(doc.groups.length * GROUP_STRIDE);
  const groups: GroupInfo[] = doc.groups.map((group, g) => {
    if (group.group.length !== doc.columns.length) {
      throw new FairkitError("BAD_ARGUMENT", messages.groupArity(what, g, group.group.length, doc.columns), {
        argument: what,
      });
    }
    CELL_NAMES.forEach((name, c) => {
      const cell = group.cells[name];
      const base = g * GROUP_STRIDE + c * 3;
      data[base] = cell.weight;
      data[base + 1] = cell.weight_squared;
      data[base + 2] = cell.rows;
    });
    const values: Record<string, Level | null> = {};
    doc.columns.forEach((c, k) => {
      values[c] = group.group[k];
    });
    return { key: groupLabel(group.group), values };
  });
  const table = { columns: [...doc.columns], groups, data };
  checkConfusionTable(table, what);
  return table;
}

/** The counts of some groups only (in the order given), e.g. those large enough to compare. */
export function selectGroups(table: ConfusionTable, indexes: readonly number[]): ConfusionTable {
  const data = new Float64Array(indexes.length * GROUP_STRIDE);
  indexes.forEach((g, k) => {
    if (!(g >= 0 && g < table.groups.length))
      throw new FairkitError("BAD_ARGUMENT", messages.noSuchGroup(g, table.groups.length));
    data.set(groupCells(table, g), k * GROUP_STRIDE);
  });
  return { columns: [...table.columns], groups: indexes.map((g) => table.groups[g]), data };
}
