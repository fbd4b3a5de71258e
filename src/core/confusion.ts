/**
 * Confusion counts per group: the sufficient statistics of every threshold-free group metric.
 *
 * For each group and each confusion cell (TN, FP, FN, TP) three sums are kept: the weight, the
 * squared weight (for effective sample sizes under weights) and the raw row count. They merge by
 * addition, so counts from chunks, files, workers or database partitions combine exactly.
 */
import { FairkitError } from "./errors.js";
import type { GroupInfo } from "./groups.js";

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
  return { columns: [...encoding.columns], groups: encoding.groups, data };
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
 * Adds two tables over the same sensitive columns. Groups are matched by key; a group present in
 * only one table is kept as it is. The merged groups are ordered by key for determinism when the
 * two tables' group lists differ.
 */
export function mergeConfusion(a: ConfusionTable, b: ConfusionTable): ConfusionTable {
  if (a.columns.join("\u0000") !== b.columns.join("\u0000")) {
    throw new FairkitError(
      "BAD_ARGUMENT",
      `cannot merge counts over different sensitive columns (${a.columns.join(", ")} vs ${b.columns.join(", ")})`,
    );
  }
  const sameGroups = a.groups.length === b.groups.length && a.groups.every((g, i) => g.key === b.groups[i].key);
  if (sameGroups) {
    const data = new Float64Array(a.data);
    for (let k = 0; k < data.length; k++) data[k] += b.data[k];
    return { columns: [...a.columns], groups: a.groups, data };
  }
  const byKey = new Map<string, { info: GroupInfo; cells: Float64Array }>();
  for (const table of [a, b]) {
    table.groups.forEach((info, g) => {
      const entry = byKey.get(info.key);
      const cells = groupCells(table, g);
      if (entry) for (let k = 0; k < GROUP_STRIDE; k++) entry.cells[k] += cells[k];
      else byKey.set(info.key, { info, cells: new Float64Array(cells) });
    });
  }
  const keys = [...byKey.keys()].sort();
  const data = new Float64Array(keys.length * GROUP_STRIDE);
  keys.forEach((key, g) => {
    data.set(byKey.get(key)!.cells, g * GROUP_STRIDE);
  });
  return { columns: [...a.columns], groups: keys.map((k) => byKey.get(k)!.info), data };
}

/** JSON form of a {@link ConfusionTable}: per group, its values and the named sums. */
export interface ConfusionTableJSON {
  columns: string[];
  groups: {
    key: string;
    values: GroupInfo["values"];
    cells: Record<"tn" | "fp" | "fn" | "tp", { weight: number; weight2: number; rows: number }>;
  }[];
}

const CELL_NAMES = ["tn", "fp", "fn", "tp"] as const;

/** Serialises counts to plain JSON (exact: every sum is a double). */
export function confusionToJSON(table: ConfusionTable): ConfusionTableJSON {
  return {
    columns: [...table.columns],
    groups: table.groups.map((info, g) => {
      const cells = groupCells(table, g);
      const named = {} as ConfusionTableJSON["groups"][number]["cells"];
      CELL_NAMES.forEach((name, c) => {
        named[name] = { weight: cells[c * 3], weight2: cells[c * 3 + 1], rows: cells[c * 3 + 2] };
      });
      return { key: info.key, values: { ...info.values }, cells: named };
    }),
  };
}

/** Reads counts back from {@link confusionToJSON}'s form. */
export function confusionFromJSON(json: ConfusionTableJSON): ConfusionTable {
  const data = new Float64Array(json.groups.length * GROUP_STRIDE);
  json.groups.forEach((group, g) => {
    CELL_NAMES.forEach((name, c) => {
      const cell = group.cells[name];
      const base = g * GROUP_STRIDE + c * 3;
      data[base] = cell.weight;
      data[base + 1] = cell.weight2;
      data[base + 2] = cell.rows;
    });
  });
  return {
    columns: [...json.columns],
    groups: json.groups.map((g) => ({ key: g.key, values: { ...g.values } })),
    data,
  };
}

/** The counts of some groups only (in the order given), e.g. those large enough to compare. */
export function selectGroups(table: ConfusionTable, indexes: readonly number[]): ConfusionTable {
  const data = new Float64Array(indexes.length * GROUP_STRIDE);
  indexes.forEach((g, k) => {
    if (!(g >= 0 && g < table.groups.length)) throw new FairkitError("BAD_ARGUMENT", `no group ${g} in a table of ${table.groups.length}`);
    data.set(groupCells(table, g), k * GROUP_STRIDE);
  });
  return { columns: [...table.columns], groups: indexes.map((g) => table.groups[g]), data };
}
