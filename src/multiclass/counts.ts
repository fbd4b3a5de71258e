/**
 * Multiclass confusion counts per group: for each group a K × K matrix (true class × decided
 * class) of [weight, squared weight, rows], the multiclass form of core/confusion.ts's cells.
 * Every multiclass number is a function of these; each class's one-vs-rest binary counts
 * ({@link oneVsRest}) feed the binary engine unchanged, so per-class rates, intervals and
 * criteria are exactly those of a binary audit of "class c or not".
 */
import { type ConfusionTable, GROUP_STRIDE, SUMS_PER_CELL } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import {
  compareLevels,
  encodeGroups,
  type GroupInfo,
  type Level,
  levelLabel,
  type SensitiveInput,
} from "../core/groups.js";
import { type NumericInput, rowWeights } from "../core/validate.js";

/** Multiclass confusion counts for every group. */
export interface MulticlassCounts {
  /** Sensitive column names. */
  columns: string[];
  /** Groups, index = group code. */
  groups: GroupInfo[];
  /** The classes, in level order: every value of the labels and the decisions. */
  classes: Level[];
  /** `[w, w², rows]` of (group g, true class i, decided class j) at `((g·K + i)·K + j)·3`. */
  data: Float64Array;
}

/** Rows of a multiclass input. */
export interface MulticlassRowsInput {
  /** True class per row (strings, numbers or booleans; no missing values). */
  yTrue: ArrayLike<Level | null | undefined>;
  /** Decided class per row. */
  yPred: ArrayLike<Level | null | undefined>;
  sensitiveFeatures: SensitiveInput;
  sampleWeight?: NumericInput;
}

function classKey(v: Level): string {
  return `${typeof v}:${String(v)}`;
}

/**
 * Counts the K × K matrix per group in one pass.
 *
 * @example
 * const c = countMulticlass({ yTrue: ["a", "b", "c"], yPred: ["a", "c", "c"], sensitiveFeatures: { g: ["x", "x", "y"] } });
 * c.classes; // ["a", "b", "c"]
 */
export function countMulticlass(input: MulticlassRowsInput): MulticlassCounts {
  const n = input.yTrue.length;
  if (input.yPred.length !== n) {
    throw new FairkitError("LENGTH_MISMATCH", messages.rowsDiffer("yPred", input.yPred.length, "yTrue", n), {
      argument: "yPred",
    });
  }
  const weights = rowWeights(input.sampleWeight as ArrayLike<number> | undefined, n, "yTrue");
  const encoding = encodeGroups(input.sensitiveFeatures, n);
  const byKey = new Map<string, Level>();
  for (const [argument, values] of [
    ["yTrue", input.yTrue],
    ["yPred", input.yPred],
  ] as const) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)))
        throw new FairkitError("MISSING_LABEL", messages.missingLabel(argument, i, v), { argument, row: i });
      const key = classKey(v);
      if (!byKey.has(key)) byKey.set(key, v);
    }
  }
  const classes = [...byKey.values()].sort(compareLevels);
  const index = new Map(classes.map((c, k) => [classKey(c), k]));
  const K = classes.length;
  const G = encoding.groups.length;
  const data = new Float64Array(G * K * K * SUMS_PER_CELL);
  for (let i = 0; i < n; i++) {
    const a = index.get(classKey(input.yTrue[i] as Level))!;
    const b = index.get(classKey(input.yPred[i] as Level))!;
    const at = ((encoding.codes[i] * K + a) * K + b) * SUMS_PER_CELL;
    const w = weights[i];
    data[at] += w;
    data[at + 1] += w * w;
    data[at + 2] += 1;
  }
  return { columns: [...encoding.columns], groups: encoding.groups, classes, data };
}

/** The display label of a class. */
export function classLabel(c: Level): string {
  return levelLabel(c);
}

/**
 * One class's one-vs-rest binary counts: positive label = "truly this class", positive decision
 * = "decided this class".
 *
 * @example
 * const table = oneVsRest(counts, 0); // binary counts of class counts.classes[0]
 * MetricFrame.fromCounts(table, { metrics: ["selection_rate", "true_positive_rate"] });
 */
export function oneVsRest(counts: MulticlassCounts, classIndex: number): ConfusionTable {
  const K = counts.classes.length;
  if (!(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < K)) {
    throw new FairkitError("BAD_ARGUMENT", messages.notInRange("classIndex", `0..${K - 1}`, classIndex), {
      argument: "classIndex",
    });
  }
  const G = counts.groups.length;
  const data = new Float64Array(G * GROUP_STRIDE);
  for (let g = 0; g < G; g++) {
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        // Cell index = 2 · label + decision (core/confusion.ts's Cell).
        const cell = 2 * (i === classIndex ? 1 : 0) + (j === classIndex ? 1 : 0);
        const from = ((g * K + i) * K + j) * SUMS_PER_CELL;
        const to = g * GROUP_STRIDE + cell * SUMS_PER_CELL;
        for (let s = 0; s < SUMS_PER_CELL; s++) data[to + s] += counts.data[from + s];
      }
    }
  }
  return { columns: [...counts.columns], groups: counts.groups, data };
}

/** One group's K × K matrix of weights (row = true class, column = decided class). */
export function groupMatrix(counts: MulticlassCounts, g: number): number[][] {
  const K = counts.classes.length;
  return Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => counts.data[((g * K + i) * K + j) * SUMS_PER_CELL]),
  );
}
