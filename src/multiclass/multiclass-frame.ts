/**
 * MulticlassFrame: per-group accuracy, macro recall and precision, and — per class, one-vs-rest —
 * every binary metric with its interval and every binary criterion, from multiclass counts. Each
 * class's frame is the binary engine's `MetricFrame.fromCounts` on that class's one-vs-rest
 * counts, so "demographic parity of class c" is exactly the binary demographic parity of the
 * decision "c or not"; the multiclass criteria take the worst class.
 */
import { type CriterionSummaryName, criteriaSummary } from "../core/criteria.js";
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, type FairkitWarning, messages } from "../core/errors.js";
import type { Level } from "../core/groups.js";
import { type Interval, wilsonInterval } from "../core/intervals.js";
import { type GroupSlice, MetricFrame } from "../core/metric-frame.js";
import type { ConfusionTable } from "../core/confusion.js";
import { SUMS_PER_CELL } from "../core/confusion.js";
import {
  classLabel,
  countMulticlass,
  groupMatrix,
  type MulticlassCounts,
  type MulticlassRowsInput,
  oneVsRest,
} from "./counts.js";

/** The per-class metrics shown by default (one-vs-rest). */
export const DEFAULT_MULTICLASS_METRICS: readonly string[] = Object.freeze([
  "base_rate",
  "selection_rate",
  "true_positive_rate",
  "false_positive_rate",
  "positive_predictive_value",
]);

/** Options of a MulticlassFrame. */
export interface MulticlassFrameCommonOptions {
  /** Per-class metrics (binary metric names; default {@link DEFAULT_MULTICLASS_METRICS}). */
  metrics?: readonly string[];
  level?: number;
  minGroupSize?: number;
  /** `wilson` (default) or `none`. */
  intervals?: "wilson" | "none";
}

/** One group's multiclass summary (or the overall row, key `"overall"`). */
export interface MulticlassGroupResult {
  key: string;
  group: Record<string, Level | null>;
  n: number;
  weight: number;
  small: boolean;
  /** Share of rows decided their true class. */
  accuracy: number;
  accuracyInterval?: Interval;
  /** Mean over the classes present among the group's true labels of each class's recall (TPR): balanced accuracy. */
  macroRecall: number;
  /** Mean over the classes the group was decided into of each class's precision (PPV). */
  macroPrecision: number;
  /** K × K weights, row = true class, column = decided class. */
  confusion: number[][];
}

/** One class's one-vs-rest view. */
export interface ClassView {
  class: Level;
  label: string;
  /** One-vs-rest binary counts. */
  counts: ConfusionTable;
  /** The binary frame of "this class or not". */
  frame: GroupSlice & { counts: ConfusionTable };
}

function rate(num: number, den: number): number {
  return den > 0 ? num / den : Number.NaN;
}

/** Per-group multiclass metrics and per-class one-vs-rest frames. */
export class MulticlassFrame {
  readonly counts: MulticlassCounts;
  readonly classes: readonly Level[];
  readonly byClass: readonly ClassView[];
  readonly byGroup: readonly MulticlassGroupResult[];
  readonly overall: MulticlassGroupResult;
  readonly warnings: FairkitWarning[] = [];
  readonly settings: Readonly<{ metrics: string[]; level: number; minGroupSize: number; intervals: "wilson" | "none" }>;

  /**
   * From rows.
   *
   * @example
   * const mf = new MulticlassFrame({ yTrue: ["a", "b", "a", "b"], yPred: ["a", "a", "a", "b"], sensitiveFeatures: { g: ["x", "x", "y", "y"] }, minGroupSize: 1 });
   * mf.byGroup[0].accuracy; // 0.5
   */
  constructor(options: MulticlassRowsInput & MulticlassFrameCommonOptions) {
    this.counts = countMulticlass(options);
    const built = MulticlassFrame.#build(this.counts, options, this.warnings);
    this.settings = built.settings;
    this.classes = this.counts.classes;
    this.byClass = built.byClass;
    this.byGroup = built.byGroup;
    this.overall = built.overall;
  }

  /** From counts (e.g. pushed down to a database). */
  static fromCounts(counts: MulticlassCounts, options: MulticlassFrameCommonOptions = {}): MulticlassFrame {
    const frame = Object.create(MulticlassFrame.prototype) as MulticlassFrame;
    const warnings: FairkitWarning[] = [];
    const built = MulticlassFrame.#build(counts, options, warnings);
    Object.assign(frame as unknown as Record<string, unknown>, {
      counts,
      classes: counts.classes,
      warnings,
      ...built,
    });
    return frame;
  }

  static #build(
    counts: MulticlassCounts,
    options: MulticlassFrameCommonOptions,
    warnings: FairkitWarning[],
  ): Pick<MulticlassFrame, "settings" | "byClass" | "byGroup" | "overall"> {
    const K = counts.classes.length;
    if (K > DEFAULTS.maxClasses) {
      throw new FairkitError("BAD_ARGUMENT", messages.tooManyClasses(K, DEFAULTS.maxClasses), { argument: "yTrue" });
    }
    const intervals = options.intervals ?? "wilson";
    if (intervals !== "wilson" && intervals !== "none") {
      throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice("intervals", intervals, ["wilson", "none"]), {
        argument: "intervals",
      });
    }
    const settings = {
      metrics: [...(options.metrics ?? DEFAULT_MULTICLASS_METRICS)],
      level: options.level ?? DEFAULTS.level,
      minGroupSize: options.minGroupSize ?? DEFAULTS.minGroupSize,
      intervals,
    };
    const byClass: ClassView[] = counts.classes.map((c, k) => {
      const table = oneVsRest(counts, k);
      const frame = MetricFrame.fromCounts(table, {
        metrics: settings.metrics,
        level: settings.level,
        minGroupSize: settings.minGroupSize,
        intervals,
      });
      // Small-group warnings are the same for every class: keep those of the first class only.
      for (const w of frame.warnings) {
        if (w.code === "SMALL_GROUP" && k > 0) continue;
        warnings.push(w.code === "UNDEFINED_METRIC" ? { ...w, message: `class ${classLabel(c)}: ${w.message}` } : w);
      }
      return { class: c, label: classLabel(c), counts: table, frame };
    });
    const summary = (key: string, group: Record<string, Level | null>, matrices: number[][][], sums: number[]) => {
      const matrix = Array.from({ length: K }, (_, i) =>
        Array.from({ length: K }, (_, j) => matrices.reduce((s, m) => s + m[i][j], 0)),
      );
      const [weight, weight2, rows] = sums;
      let diagonal = 0;
      for (let i = 0; i < K; i++) diagonal += matrix[i][i];
      const accuracy = rate(diagonal, weight);
      const recalls: number[] = [];
      const precisions: number[] = [];
      for (let c = 0; c < K; c++) {
        const truly = matrix[c].reduce((s, v) => s + v, 0);
        const decided = matrix.reduce((s, row) => s + row[c], 0);
        if (truly > 0) recalls.push(matrix[c][c] / truly);
        if (decided > 0) precisions.push(matrix[c][c] / decided);
      }
      const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((s, v) => s + v, 0) / xs.length : Number.NaN);
      const result: MulticlassGroupResult = {
        key,
        group,
        n: rows,
        weight,
        small: rows < settings.minGroupSize,
        accuracy,
        macroRecall: mean(recalls),
        macroPrecision: mean(precisions),
        confusion: matrix,
      };
      if (intervals === "wilson")
        result.accuracyInterval = wilsonInterval(
          accuracy,
          weight2 > 0 ? (weight * weight) / weight2 : 0,
          settings.level,
        );
      return result;
    };
    const matrices = counts.groups.map((_, g) => groupMatrix(counts, g));
    const sumsOf = (g: number) => {
      const out = [0, 0, 0];
      for (let k = 0; k < K * K; k++)
        for (let s = 0; s < 3; s++) out[s] += counts.data[(g * K * K + k) * SUMS_PER_CELL + s];
      return out;
    };
    const groupSums = counts.groups.map((_, g) => sumsOf(g));
    const byGroup = counts.groups.map((info, g) => summary(info.key, info.values, [matrices[g]], groupSums[g]));
    const total = groupSums.reduce((a, b) => a.map((v, s) => v + b[s]), [0, 0, 0]);
    const overall = summary("overall", {}, matrices, total);
    return { settings, byClass, byGroup, overall };
  }

  /**
   * Every binary criterion per class (over all groups, between groups) and its worst class: the
   * largest difference or smallest ratio, with the class that sets it. "Multiclass demographic
   * parity" is `demographic_parity_difference` here: the largest gap in any class's selection rate.
   *
   * @example
   * mf.criteria().demographic_parity_difference; // { value: 0.5, class: "a" }
   */
  criteria(): Record<CriterionSummaryName, { value: number; class: string | null }> {
    const perClass = this.byClass.map((view) => criteriaSummary(view.counts));
    const out = {} as Record<CriterionSummaryName, { value: number; class: string | null }>;
    for (const name of Object.keys(perClass[0] ?? {}) as CriterionSummaryName[]) {
      const k = worstClass(
        name,
        perClass.map((summary) => summary[name]),
      );
      out[name] = { value: k < 0 ? Number.NaN : perClass[k][name], class: k < 0 ? null : this.byClass[k].label };
    }
    return out;
  }
}

/**
 * The class whose value of a criterion is worst — the largest difference, the smallest ratio —
 * by index (the first on ties); −1 when every value is undefined (NaN or null). The library's
 * `criteria()` and the multiclass audit both pick through this.
 */
export function worstClass(criterion: string, values: readonly (number | null)[]): number {
  const ratio = criterion.endsWith("_ratio");
  let best = -1;
  values.forEach((v, k) => {
    if (v === null || Number.isNaN(v)) return;
    const current = best < 0 ? null : (values[best] as number);
    if (current === null || (ratio ? v < current : v > current)) best = k;
  });
  return best;
}
