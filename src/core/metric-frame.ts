/**
 * MetricFrame: many metrics, disaggregated by one or more sensitive features (their
 * intersection), optionally within levels of control features, with intervals, small-group flags
 * and honest warnings.
 */
import {
  type Cells,
  type ConfusionTable,
  GROUP_STRIDE,
  SUMS_PER_CELL,
  checkConfusionTable,
  countConfusion,
  groupCells,
} from "./confusion.js";
import {
  type Disparity,
  type DisparityMethod,
  type DisparityOptions,
  disparityDifference,
  disparityGroups,
  disparityRatio,
} from "./disparity.js";
import { FairkitError, type FairkitWarning, messages } from "./errors.js";
import {
  type GroupInfo,
  type Level,
  MISSING_LABEL,
  type SensitiveInput,
  encodeGroups,
  findGroup,
  groupId,
  groupLabel,
  groupTuple,
  namedColumns,
} from "./groups.js";
import {
  type Interval,
  moverRatioInterval,
  newcombeInterval,
  percentileInterval,
  proportionOfCells,
  wilsonForCells,
} from "./intervals.js";
import { type MetricSpec, type ZeroDivision, evaluateMetric, isUndefinedFor, metricSpec } from "./metrics.js";
import { type RowsInput, rowsAndCounts, rowsByGroup } from "./prepare.js";
import { createRandom } from "./random.js";
import { DEFAULTS } from "./defaults.js";

/** A custom metric: any function of one group's labels, decisions and weights. */
export type MetricFunction = (yTrue: Uint8Array, yPred: Uint8Array, sampleWeight: Float64Array | undefined) => number;

/** Metrics to compute: a name, a list of names, or names mapped to built-in names or functions. */
export type MetricsInput = string | readonly string[] | Readonly<Record<string, string | MetricFunction>>;

/** How group intervals are computed. */
export type IntervalMethod = "wilson" | "bootstrap" | "none";

/** Warnings of one kind named group by group up to this many; beyond, one warning counts them. */
const WARNINGS_EACH = 10;

/** Options shared by both ways of building a MetricFrame. */
export interface MetricFrameCommonOptions {
  metrics: MetricsInput;
  /** Value of a metric whose denominator is empty: `"nan"` (default, with a warning), 0 or 1. */
  zeroDivision?: ZeroDivision;
  /** Groups with fewer rows are flagged `small` (default 30). */
  minGroupSize?: number;
  /** Confidence level of every interval (default 0.95). */
  level?: number;
  /**
   * `wilson` (default): Wilson intervals for proportions, bootstrap for the other metrics when
   * `bootstrap` is given. `bootstrap`: bootstrap for every metric. `none`: no intervals.
   */
  intervals?: IntervalMethod;
}

/** Options of a MetricFrame built from rows. */
export interface MetricFrameOptions extends RowsInput, MetricFrameCommonOptions {
  /** Features within whose levels the groups are also compared (e.g. age band). */
  controlFeatures?: SensitiveInput;
  /**
   * Seeded bootstrap: `n` replicates (default 1000), `seed` (default 0), and `method`: `rows`
   * resamples the rows; `cells` draws each (group, label, decision) cell's count from a Poisson with
   * the observed count as its mean (the Poisson bootstrap: the same distribution as resampling rows
   * for all but tiny samples, at B × cells instead of B × rows; built-in metrics only; with weights,
   * each drawn row carries its cell's mean weight, exact when weights are constant within a cell and
   * otherwise an approximation that narrows the intervals); `auto` (default) takes `cells` from
   * `DEFAULTS.cellBootstrapRows` unweighted rows on, and `rows` otherwise.
   */
  bootstrap?: { n?: number; seed?: number; method?: "auto" | "rows" | "cells" };
}

/** One group's results (or the overall row, whose `group` is `{}` and key `"overall"`). */
export interface GroupResult {
  key: string;
  group: Record<string, Level | null>;
  /** Rows (unweighted). */
  n: number;
  /** Sum of weights (equals `n` without weights). */
  weight: number;
  metrics: Record<string, number>;
  /** Interval per metric; absent for metrics that have none. */
  intervals: Record<string, Interval>;
  /** True when `n < minGroupSize`: too small to conclude anything. */
  small: boolean;
}

/** How a gap's interval was computed: bootstrap percentiles, or Newcombe's / MOVER's closed form for the pair. */
export type GapIntervalMethod = "bootstrap" | "newcombe" | "mover";

/** One of the two sides of a gap: a group, or the overall row (key `"overall"`, group `{}`). */
export interface GapGroup {
  key: string;
  group: Record<string, Level | null>;
  /** The metric's value in this group. */
  value: number;
}

/** A difference or ratio of one metric, the two groups that set it, and its interval. */
export interface GapDetail {
  /** The difference or ratio, as `difference()` / `ratio()` give it (NaN when undefined). */
  value: number;
  /**
   * The two that set it, `[a, b]`: a difference is a − b (a the higher), a ratio a / b (a the
   * lower). Between groups these are the highest and the lowest group; to the reference (or the
   * overall row) the group furthest from it and the reference. Null when the value is undefined.
   */
  groups: [GapGroup, GapGroup] | null;
  /** At the frame's level; null when none can be given (see {@link GroupSlice.gap}). */
  interval: Interval | null;
  intervalMethod: GapIntervalMethod | null;
}

/** The gaps of one metric: its difference and its ratio, each with the groups that set it. */
export interface MetricGap {
  metric: string;
  method: DisparityMethod;
  /** The level of both intervals. */
  level: number;
  difference: GapDetail;
  ratio: GapDetail;
}

/** Options of {@link GroupSlice.gap}. */
export interface GapOptions extends DisparityOptions {
  /**
   * Which groups compete: `all` (default, as `difference()` and `ratio()`) or `sufficient`: only
   * groups not flagged small, as the audit's criteria compare them.
   */
  groups?: "all" | "sufficient";
}

interface ResolvedMetric {
  name: string;
  spec?: MetricSpec;
  fn?: MetricFunction;
}

function resolveMetrics(input: MetricsInput): ResolvedMetric[] {
  const entries: [string, string | MetricFunction][] =
    typeof input === "string"
      ? [[input, input]]
      : Array.isArray(input)
        ? (input as readonly string[]).map((name) => [name, name])
        : Object.entries(input as Record<string, string | MetricFunction>);
  if (entries.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.namesNoMetric(), { argument: "metrics" });
  return entries.map(([key, value]) => {
    if (typeof value === "function") return { name: key, fn: value };
    const spec = metricSpec(value);
    return { name: typeof input === "object" && !Array.isArray(input) ? key : spec.name, spec };
  });
}

/** Row data kept for custom metrics and bootstrap. */
interface Rows {
  yTrue: Uint8Array;
  yPred: Uint8Array;
  weights: Float64Array | undefined;
}

/** Everything one slice (all data, or one control level) needs to answer questions. */
interface SliceInput {
  infos: GroupInfo[];
  cells: Cells[];
  overallCells: Cells;
  /** Custom metric values: [metric][group], and overall per metric. */
  custom: Map<string, { groups: number[]; overall: number }>;
  /** Bootstrap replicates: per metric, B×G group values and B overall values. */
  replicates?: { groups: Float64Array[]; overall: Float64Array[]; count: number };
}

interface SliceSettings {
  metrics: ResolvedMetric[];
  zeroDivision: ZeroDivision;
  minGroupSize: number;
  level: number;
  intervals: IntervalMethod;
}

function sumOf(cells: Cells[]): Cells {
  const total = new Float64Array(GROUP_STRIDE);
  for (const c of cells) for (let k = 0; k < GROUP_STRIDE; k++) total[k] += c[k];
  return total;
}

/**
 * Results for one set of groups: the whole data set in a MetricFrame, or one level of its control
 * features.
 */
export class GroupSlice {
  /** Metric names, in the order asked for. */
  readonly metricNames: string[];
  /** The metrics over every row of this slice. */
  readonly overall: GroupResult;
  /** One entry per group that occurs, in group order. */
  readonly byGroup: GroupResult[];
  /** Undefined metrics and small groups found while computing. */
  readonly warnings: FairkitWarning[] = [];
  readonly #replicates: SliceInput["replicates"];
  readonly #level: number;
  readonly #cells: { groups: Cells[]; overall: Cells };
  readonly #settings: SliceSettings;

  /** @internal Built by MetricFrame. */
  constructor(input: SliceInput, settings: SliceSettings, scope = "") {
    this.metricNames = settings.metrics.map((m) => m.name);
    this.#replicates = input.replicates;
    this.#level = settings.level;
    this.#cells = { groups: input.cells, overall: input.overallCells };
    this.#settings = settings;
    const row = (key: string, group: Record<string, Level | null>, cells: Cells, g: number): GroupResult => {
      const n = cells[2] + cells[5] + cells[8] + cells[11];
      const weight = cells[0] + cells[3] + cells[6] + cells[9];
      const metrics: Record<string, number> = {};
      const intervals: Record<string, Interval> = {};
      settings.metrics.forEach((m, k) => {
        if (m.spec) {
          metrics[m.name] = evaluateMetric(m.spec, cells, settings.zeroDivision);
          if (g >= 0 && isUndefinedFor(m.spec, cells)) {
            const list = undefinedFor.get(m.name) ?? [];
            list.push(key);
            undefinedFor.set(m.name, list);
          }
        } else {
          const custom = input.custom.get(m.name)!;
          metrics[m.name] = g >= 0 ? custom.groups[g] : custom.overall;
        }
        if (settings.intervals === "none") return;
        const reps = input.replicates;
        if (m.spec?.kind === "proportion" && settings.intervals === "wilson") {
          intervals[m.name] = wilsonForCells(m.spec, cells, settings.level);
        } else if (reps && m.spec?.kind !== "count") {
          const G = input.infos.length;
          const values = new Float64Array(reps.count);
          for (let b = 0; b < reps.count; b++) values[b] = g >= 0 ? reps.groups[k][b * G + g] : reps.overall[k][b];
          intervals[m.name] = percentileInterval(values, settings.level);
        }
      });
      return { key, group, n, weight, metrics, intervals, small: g >= 0 && n < settings.minGroupSize };
    };
    // Undefined metrics per metric, in group order; each group named, or a count beyond a few.
    const undefinedFor = new Map<string, string[]>();
    this.overall = row("overall", {}, input.overallCells, -1);
    this.byGroup = input.infos.map((info, g) => row(info.key, info.values, input.cells[g], g));
    const shown = settings.zeroDivision === "nan" ? "NaN" : String(settings.zeroDivision);
    const some = (keys: readonly string[]) =>
      keys
        .slice(0, WARNINGS_EACH)
        .map((k) => JSON.stringify(k))
        .join(", ");
    for (const m of settings.metrics) {
      const keys = undefinedFor.get(m.name);
      if (!keys) continue;
      const part = m.spec?.kind === "proportion" ? "" : "part ";
      if (keys.length <= WARNINGS_EACH) {
        for (const key of keys) {
          this.warnings.push({
            code: "UNDEFINED_METRIC",
            group: key,
            metric: m.name,
            message: `${m.name} is undefined for group ${JSON.stringify(key)}${scope} (its denominator ${part}is empty); reported as ${shown}`,
          });
        }
      } else {
        this.warnings.push({
          code: "UNDEFINED_METRIC",
          metric: m.name,
          message: `${m.name} is undefined for ${keys.length} groups${scope} (their denominators ${part}are empty), e.g. ${some(keys)}; reported as ${shown}`,
        });
      }
    }
    const small = this.byGroup.filter((r) => r.small);
    if (small.length <= WARNINGS_EACH) {
      for (const r of small) {
        this.warnings.push({
          code: "SMALL_GROUP",
          group: r.key,
          message: `group ${JSON.stringify(r.key)}${scope} has ${r.n} rows, fewer than minGroupSize ${settings.minGroupSize}: too small to conclude anything`,
        });
      }
    } else {
      this.warnings.push({
        code: "SMALL_GROUP",
        message: `${small.length} groups${scope} have fewer than minGroupSize ${settings.minGroupSize} rows, e.g. ${some(small.map((r) => r.key))}: too small to conclude anything`,
      });
    }
  }

  /** The settings this frame (or slice) was computed with. */
  get settings(): Readonly<{
    zeroDivision: ZeroDivision;
    minGroupSize: number;
    level: number;
    intervals: IntervalMethod;
  }> {
    const { zeroDivision, minGroupSize, level, intervals } = this.#settings;
    return { zeroDivision, minGroupSize, level, intervals };
  }

  /** Per-group values of one metric, in group order. */
  values(metric: string): number[] {
    this.#check(metric);
    return this.byGroup.map((r) => r.metrics[metric]);
  }

  #check(metric: string): void {
    if (!this.metricNames.includes(metric))
      throw new FairkitError("UNKNOWN_METRIC", messages.unknownMetric(metric, this.metricNames), {
        argument: "metric",
      });
  }

  #referenceIndex(options: DisparityOptions): number {
    if ((options.method ?? "between_groups") !== "to_reference") return -1;
    if (options.reference === undefined) {
      throw new FairkitError("BAD_ARGUMENT", messages.needsReference(), { argument: "reference" });
    }
    return findGroup(
      this.byGroup.map((r) => ({ key: r.key, values: r.group })),
      options.reference,
    );
  }

  #perMetric(f: (values: number[], overall: number) => number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.metricNames) out[name] = f(this.values(name), this.overall.metrics[name]);
    return out;
  }

  /** Smallest group value of each metric (undefined groups left out). */
  groupMin(): Record<string, number> {
    return this.#perMetric((v) => {
      const d = v.filter((x) => !Number.isNaN(x));
      return d.length ? Math.min(...d) : Number.NaN;
    });
  }

  /** Largest group value of each metric (undefined groups left out). */
  groupMax(): Record<string, number> {
    return this.#perMetric((v) => {
      const d = v.filter((x) => !Number.isNaN(x));
      return d.length ? Math.max(...d) : Number.NaN;
    });
  }

  /** Difference of each metric across groups; see {@link DisparityOptions} for the methods. */
  difference(options: DisparityOptions = {}): Record<string, number> {
    const ref = this.#referenceIndex(options);
    return this.#perMetric((v, o) => disparityDifference(v, o, options.method, ref).value);
  }

  /** Ratio of each metric across groups; see {@link DisparityOptions} for the methods. */
  ratio(options: DisparityOptions = {}): Record<string, number> {
    const ref = this.#referenceIndex(options);
    return this.#perMetric((v, o) => disparityRatio(v, o, options.method, ref).value);
  }

  /** Difference and ratio of one metric with the groups each left out (undefined values). */
  disparity(metric: string, options: DisparityOptions = {}): { difference: Disparity; ratio: Disparity } {
    const ref = this.#referenceIndex(options);
    const v = this.values(metric);
    const o = this.overall.metrics[metric];
    return {
      difference: disparityDifference(v, o, options.method, ref),
      ratio: disparityRatio(v, o, options.method, ref),
    };
  }

  #bootstrapDisparity(kind: "difference" | "ratio", options: DisparityOptions): Record<string, Interval> {
    if (!this.#replicates)
      throw new FairkitError("NEEDS_ROWS", messages.disparityIntervalsNeedBootstrap(), { argument: "bootstrap" });
    const ref = this.#referenceIndex(options);
    const all = this.byGroup.map((_, g) => g);
    const out: Record<string, Interval> = {};
    this.metricNames.forEach((name, k) => {
      out[name] = this.#replicateInterval(k, kind, options.method, all, ref);
    });
    return out;
  }

  /** Percentile interval of metric k's difference or ratio over the groups `kept` (`ref` an index into it). */
  #replicateInterval(
    k: number,
    kind: "difference" | "ratio",
    method: DisparityMethod | undefined,
    kept: readonly number[],
    ref: number,
  ): Interval {
    const reps = this.#replicates!;
    const G = this.byGroup.length;
    const f = kind === "difference" ? disparityDifference : disparityRatio;
    const values = new Float64Array(reps.count);
    const at = new Float64Array(kept.length);
    for (let b = 0; b < reps.count; b++) {
      for (let j = 0; j < kept.length; j++) at[j] = reps.groups[k][b * G + kept[j]];
      values[b] = f(at, reps.overall[k][b], method, ref).value;
    }
    return percentileInterval(values, this.#level);
  }

  /**
   * The difference and ratio of one metric with the two groups that set each and an interval:
   * which groups make the gap, and how sure it is.
   *
   * - **Bootstrap** (`intervalMethod: "bootstrap"`), when the frame has replicates (the
   *   `bootstrap` option, or `intervals: "bootstrap"`): the percentile interval of the gap itself,
   *   recomputed in every replicate over the same groups (so the pair that is extreme may change
   *   from replicate to replicate), as `differenceInterval()` and `ratioInterval()`.
   * - Otherwise, for a proportion metric (selection rate, TPR, FPR, PPV, …) compared between two
   *   groups: **Newcombe's** interval of a − b (`"newcombe"`) and the **MOVER** interval of a / b
   *   (`"mover"`) for the pair named in `groups`, from their Wilson intervals (Kish's effective
   *   sample sizes under weights). These need only counts, so they are there for
   *   `MetricFrame.fromCounts` and for counts pushed down to a database.
   * - Otherwise null: a derived or count metric without replicates, a comparison to the overall
   *   value without replicates (the overall row contains the group, so the two are not
   *   independent), `intervals: "none"`, or an undefined gap.
   *
   * The pair interval is conditional on which pair is extreme: it is the interval of the
   * difference (or ratio) of those two groups, as if they had been chosen in advance. It does not
   * account for picking the highest and the lowest among many groups, which biases the observed
   * max − min upwards when several groups are close; with many groups prefer the bootstrap. On
   * COMPAS by race, where the lowest group is a close call, the two differ by more than Monte-Carlo
   * error; by sex (two groups, no choosing) they agree (test/core/gap.test.ts measures both).
   *
   * `metric` is one of the frame's metrics, or any built-in metric, computed from the counts (bootstrap
   * intervals only for the frame's own metrics).
   *
   * @example
   * const mf = new MetricFrame({
   *   metrics: ["selection_rate"],
   *   yTrue: [1, 0, 1, 0, 1, 0, 1, 0],
   *   yPred: [1, 1, 1, 0, 1, 0, 0, 0],
   *   sensitiveFeatures: { sex: ["F", "F", "F", "F", "M", "M", "M", "M"] },
   * });
   * const gap = mf.gap("selection_rate");
   * gap.difference.value; // 0.5
   * gap.difference.groups?.map((g) => g.key); // ["F", "M"]
   * gap.difference.intervalMethod; // "newcombe"
   */
  gap(metric: string, options: GapOptions = {}): MetricGap {
    const k = this.metricNames.indexOf(metric);
    const settings = this.#settings;
    const spec = k >= 0 ? settings.metrics[k].spec : metricSpec(metric);
    const values =
      k >= 0 ? this.values(metric) : this.#cells.groups.map((c) => evaluateMetric(spec!, c, settings.zeroDivision));
    const overall =
      k >= 0 ? this.overall.metrics[metric] : evaluateMetric(spec!, this.#cells.overall, settings.zeroDivision);
    const method = options.method ?? "between_groups";
    const groupsOption = options.groups ?? "all";
    if (groupsOption !== "all" && groupsOption !== "sufficient")
      throw new FairkitError("BAD_ARGUMENT", messages.notOneOf("groups", ["all", "sufficient"], groupsOption), {
        argument: "groups",
      });
    const refIndex = this.#referenceIndex(options);
    const kept = this.byGroup.flatMap((g, i) => (groupsOption === "all" || !g.small || i === refIndex ? [i] : []));
    if (refIndex >= 0 && groupsOption === "sufficient" && this.byGroup[refIndex].small) {
      const r = this.byGroup[refIndex];
      throw new FairkitError("BAD_ARGUMENT", messages.smallReference(r.key, r.n, settings.minGroupSize), {
        argument: "reference",
      });
    }
    const ref = kept.indexOf(refIndex);
    const sub = kept.map((g) => values[g]);
    const side = (j: number): GapGroup =>
      j < 0
        ? { key: this.overall.key, group: this.overall.group, value: overall }
        : { key: this.byGroup[kept[j]].key, group: this.byGroup[kept[j]].group, value: sub[j] };
    const detail = (kind: "difference" | "ratio"): GapDetail => {
      const value = (kind === "difference" ? disparityDifference : disparityRatio)(sub, overall, method, ref).value;
      const pair = Number.isNaN(value) ? null : disparityGroups(sub, overall, method, ref, kind);
      const out: GapDetail = {
        value,
        groups: pair ? [side(pair[0]), side(pair[1])] : null,
        interval: null,
        intervalMethod: null,
      };
      if (!pair || settings.intervals === "none") return out;
      if (this.#replicates && k >= 0 && spec?.kind !== "count") {
        out.interval = this.#replicateInterval(k, kind, method, kept, ref);
        out.intervalMethod = "bootstrap";
      } else if (spec?.kind === "proportion" && pair[0] >= 0 && pair[1] >= 0) {
        const a = proportionOfCells(spec, this.#cells.groups[kept[pair[0]]]);
        const b = proportionOfCells(spec, this.#cells.groups[kept[pair[1]]]);
        out.interval = (kind === "difference" ? newcombeInterval : moverRatioInterval)(a, b, settings.level);
        out.intervalMethod = kind === "difference" ? "newcombe" : "mover";
      }
      return out;
    };
    return { metric, method, level: settings.level, difference: detail("difference"), ratio: detail("ratio") };
  }

  /** Bootstrap percentile interval of each metric's difference (needs the `bootstrap` option). */
  differenceInterval(options: DisparityOptions = {}): Record<string, Interval> {
    return this.#bootstrapDisparity("difference", options);
  }

  /** Bootstrap percentile interval of each metric's ratio (needs the `bootstrap` option). */
  ratioInterval(options: DisparityOptions = {}): Record<string, Interval> {
    return this.#bootstrapDisparity("ratio", options);
  }
}

/** The results for one level of the control features. */
export class ControlSlice extends GroupSlice {
  /** The control features' values for this level. */
  readonly control: Record<string, Level | null>;
  readonly controlKey: string;
  /** @internal */
  constructor(input: SliceInput, settings: SliceSettings, control: Record<string, Level | null>, controlKey: string) {
    super(input, settings, ` within ${controlKey}`);
    this.control = control;
    this.controlKey = controlKey;
  }
}

function customOn(fn: MetricFunction, rows: Rows, index: ArrayLike<number>): number {
  const m = index.length;
  const yTrue = new Uint8Array(m);
  const yPred = new Uint8Array(m);
  const w = rows.weights ? new Float64Array(m) : undefined;
  for (let i = 0; i < m; i++) {
    const r = index[i];
    yTrue[i] = rows.yTrue[r];
    yPred[i] = rows.yPred[r];
    if (w) w[i] = rows.weights![r];
  }
  return fn(yTrue, yPred, w);
}

/** One level of the control features: which joint groups belong to it. */
interface ControlLevel {
  key: string;
  values: Record<string, Level | null>;
  groups: number[];
}

/**
 * Disaggregated metrics, after Fairlearn's MetricFrame, computed from one pass of confusion counts.
 *
 * @example
 * const mf = new MetricFrame({
 *   metrics: ["selection_rate", "accuracy"],
 *   yTrue: [1, 1, 1, 1, 1, 0, 0, 1, 1, 0],
 *   yPred: [0, 1, 1, 1, 1, 0, 0, 0, 1, 1],
 *   sensitiveFeatures: { sex: ["F", "F", "F", "F", "F", "M", "M", "M", "M", "M"] },
 * });
 * mf.byGroup.map((g) => g.metrics.selection_rate); // [0.8, 0.4]
 * mf.difference().accuracy; // 0.2
 */
export class MetricFrame extends GroupSlice {
  /** Sensitive feature names. */
  readonly columns: string[];
  /** Control feature names (empty without control features). */
  readonly controlColumns: string[];
  /** Per control level: its overall row, groups, differences and ratios. Empty without control features. */
  readonly byControl: ControlSlice[];
  /** Rows with a missing sensitive or control value, per column. */
  readonly missing: Record<string, number>;
  /** The confusion counts behind every built-in metric (per sensitive group). */
  readonly counts: ConfusionTable;

  constructor(options: MetricFrameOptions) {
    const settings = settingsOf(options);
    const { rows, table } = rowsAndCounts(options);
    const sensitiveNames = rows.encoding.columns;
    const controlNamed = options.controlFeatures === undefined ? [] : namedColumns(options.controlFeatures, "control");
    for (const [name] of controlNamed) {
      if (sensitiveNames.includes(name)) {
        throw new FairkitError("BAD_ARGUMENT", messages.sensitiveAndControl(name), { argument: "controlFeatures" });
      }
    }
    const bootstrap = options.bootstrap ?? (settings.intervals === "bootstrap" ? {} : undefined);
    const data: Rows = rows;
    const custom = settings.metrics.filter((m) => m.fn);
    const G = table.groups.length;

    // The joint encoding (control columns first) serves the per-control slices.
    let joint:
      | { table: ConfusionTable; codes: Int32Array; levels: ControlLevel[]; missing: Record<string, number> }
      | undefined;
    if (controlNamed.length > 0) {
      const record: Record<string, SensitiveInput> = {};
      for (const [name, column] of controlNamed) record[name] = column as SensitiveInput;
      const sensitiveNamed = namedColumns(options.sensitiveFeatures);
      for (const [name, column] of sensitiveNamed) record[name] = column as SensitiveInput;
      const encoding = encodeGroups(record as never, rows.n);
      const jointTable = countConfusion(rows.yTrue, rows.yPred, encoding, rows.weights);
      const controlNames = controlNamed.map(([name]) => name);
      const levels: ControlLevel[] = [];
      const levelById = new Map<string, ControlLevel>();
      encoding.groups.forEach((info, g) => {
        const values: Record<string, Level | null> = {};
        for (const c of controlNames) values[c] = info.values[c];
        const tuple = groupTuple(values, controlNames);
        const id = groupId(tuple);
        let level = levelById.get(id);
        if (!level) {
          level = { key: groupLabel(tuple), values, groups: [] };
          levelById.set(id, level);
          levels.push(level);
        }
        level.groups.push(g);
      });
      joint = { table: jointTable, codes: encoding.codes, levels, missing: encoding.missing };
    }

    const sensitiveInfo = (info: GroupInfo): GroupInfo => {
      const values: Record<string, Level | null> = {};
      for (const c of sensitiveNames) values[c] = info.values[c];
      return { key: groupLabel(groupTuple(values, sensitiveNames)), values };
    };

    // Custom metrics on the actual rows.
    const customMain = new Map<string, { groups: number[]; overall: number }>();
    const customJoint = new Map<string, { groups: number[]; overall: number[] }>();
    if (custom.length > 0) {
      const all = Int32Array.from({ length: rows.n }, (_, i) => i);
      const { order, offsets } = rowsByGroup(rows.encoding.codes, G);
      for (const m of custom) {
        customMain.set(m.name, {
          groups: Array.from({ length: G }, (_, g) =>
            customOn(m.fn!, data, order.subarray(offsets[g], offsets[g + 1])),
          ),
          overall: customOn(m.fn!, data, all),
        });
      }
      if (joint) {
        const J = joint.table.groups.length;
        const byJoint = rowsByGroup(joint.codes, J);
        for (const m of custom) {
          const groups = Array.from({ length: J }, (_, g) =>
            customOn(m.fn!, data, byJoint.order.subarray(byJoint.offsets[g], byJoint.offsets[g + 1])),
          );
          const overall = joint.levels.map((level) => {
            const index: number[] = [];
            for (const g of level.groups)
              for (const r of byJoint.order.subarray(byJoint.offsets[g], byJoint.offsets[g + 1])) index.push(r);
            return customOn(m.fn!, data, index);
          });
          customJoint.set(m.name, { groups, overall });
        }
      }
    }

    // Bootstrap replicates of every metric, for the main slice and each control level.
    let mainReps: SliceInput["replicates"];
    let levelReps: SliceInput["replicates"][] = [];
    if (bootstrap) {
      const B = bootstrap.n ?? 1000;
      if (!(Number.isInteger(B) && B > 0))
        throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("bootstrap.n", B), {
          argument: "bootstrap.n",
        });
      const method = bootstrap.method ?? "auto";
      if (!["auto", "rows", "cells"].includes(method))
        throw new FairkitError(
          "BAD_ARGUMENT",
          messages.notOneOf("bootstrap.method", ["auto", "rows", "cells"], method),
          {
            argument: "bootstrap.method",
          },
        );
      if (method === "cells" && custom.length > 0)
        throw new FairkitError("BAD_ARGUMENT", messages.cellBootstrapNeedsCounts(), {
          argument: "bootstrap.method",
        });
      // With the rows at hand, weighted data is resampled row by row unless cells are asked for:
      // the cell bootstrap of weighted cells is an approximation (see cellBootstrapReplicates).
      const countable = !custom.length && rows.weights === undefined;
      const byCells = method === "cells" || (method === "auto" && countable && rows.n >= DEFAULTS.cellBootstrapRows);
      const reps = byCells
        ? cellBootstrapReplicates(table, joint, settings, B, bootstrap.seed ?? 0)
        : bootstrapReplicates(data, rows.encoding.codes, G, joint, settings, B, bootstrap.seed ?? 0);
      mainReps = reps.main;
      levelReps = reps.levels;
    }

    const mainInput: SliceInput = {
      infos: table.groups,
      cells: table.groups.map((_, g) => groupCells(table, g)),
      overallCells: sumOf(table.groups.map((_, g) => groupCells(table, g))),
      custom: customMain,
      replicates: mainReps,
    };
    super(mainInput, settings);
    this.columns = sensitiveNames;
    this.controlColumns = controlNamed.map(([name]) => name);
    this.counts = table;
    this.missing = { ...rows.encoding.missing };
    this.byControl = [];
    if (joint) {
      const j = joint;
      j.levels.forEach((level, l) => {
        const cells = level.groups.map((g) => groupCells(j.table, g));
        const customLevel = new Map<string, { groups: number[]; overall: number }>();
        for (const [name, values] of customJoint) {
          customLevel.set(name, { groups: level.groups.map((g) => values.groups[g]), overall: values.overall[l] });
        }
        this.byControl.push(
          new ControlSlice(
            {
              infos: level.groups.map((g) => sensitiveInfo(j.table.groups[g])),
              cells,
              overallCells: sumOf(cells),
              custom: customLevel,
              replicates: levelReps[l],
            },
            settings,
            level.values,
            level.key,
          ),
        );
      });
      for (const [name] of controlNamed) this.missing[name] = joint.missing[name];
    }
    for (const [name, count] of Object.entries(this.missing)) {
      if (count > 0) {
        this.warnings.unshift({
          code: "MISSING_GROUP_VALUE",
          message: `${count} rows have no value for ${JSON.stringify(name)}; they form the group ${JSON.stringify(MISSING_LABEL)}`,
        });
      }
    }
    for (const slice of this.byControl) this.warnings.push(...slice.warnings);
  }

  /**
   * Builds a frame from confusion counts alone (e.g. merged from chunks or pushed down to a
   * database). Only built-in metrics. Intervals are Wilson or none, or with `bootstrap` (or
   * `intervals: "bootstrap"`) the cell bootstrap, weighted counts included (see the `bootstrap`
   * option of {@link MetricFrameOptions}); without replicates, {@link GroupSlice.gap} still gives
   * the closed-form Newcombe and MOVER intervals of each gap of a proportion metric.
   */
  static fromCounts(
    table: ConfusionTable,
    options: MetricFrameCommonOptions & Pick<MetricFrameOptions, "bootstrap">,
  ): GroupSlice & { counts: ConfusionTable } {
    checkConfusionTable(table, "counts");
    const settings = settingsOf(options);
    if (settings.metrics.some((m) => m.fn))
      throw new FairkitError("NEEDS_ROWS", messages.needsRows("a custom metric"), { argument: "metrics" });
    // Counts carry no rows, but they can be bootstrapped cell by cell (Poisson; weighted cells
    // approximately, see cellBootstrapReplicates).
    const bootstrap = options.bootstrap ?? (settings.intervals === "bootstrap" ? {} : undefined);
    let replicates: SliceInput["replicates"];
    if (bootstrap) {
      const B = bootstrap.n ?? DEFAULTS.bootstrap.n;
      if (!(Number.isInteger(B) && B > 0))
        throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("bootstrap.n", B), {
          argument: "bootstrap.n",
        });
      if (bootstrap.method === "rows")
        throw new FairkitError("NEEDS_ROWS", messages.needsRows("the row bootstrap"), { argument: "bootstrap.method" });
      replicates = cellBootstrapReplicates(
        table,
        undefined,
        settings,
        B,
        bootstrap.seed ?? DEFAULTS.bootstrap.seed,
      ).main;
    }
    const cells = table.groups.map((_, g) => groupCells(table, g));
    const slice = new GroupSlice(
      { infos: table.groups, cells, overallCells: sumOf(cells), custom: new Map(), replicates },
      settings,
    );
    return Object.assign(slice, { counts: table });
  }
}

function settingsOf(options: MetricFrameCommonOptions): SliceSettings {
  const level = options.level ?? DEFAULTS.level;
  if (!(level > 0 && level < 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notBetweenZeroAndOne("level", level), { argument: "level" });
  const minGroupSize = options.minGroupSize ?? DEFAULTS.minGroupSize;
  if (!(minGroupSize >= 0))
    throw new FairkitError("BAD_ARGUMENT", messages.negative("minGroupSize", minGroupSize), {
      argument: "minGroupSize",
    });
  const zeroDivision = options.zeroDivision ?? "nan";
  if (zeroDivision !== "nan" && zeroDivision !== 0 && zeroDivision !== 1) {
    throw new FairkitError("BAD_ARGUMENT", messages.badZeroDivision(zeroDivision), { argument: "zeroDivision" });
  }
  const intervals = options.intervals ?? "wilson";
  if (!["wilson", "bootstrap", "none"].includes(intervals)) {
    throw new FairkitError("BAD_ARGUMENT", messages.unknownIntervals(intervals), { argument: "intervals" });
  }
  return { metrics: resolveMetrics(options.metrics), zeroDivision, minGroupSize, level, intervals };
}

/** Room for B replicates of M metrics: per group and overall, for the main slice and each control level. */
function emptyReplicates(
  M: number,
  B: number,
  G: number,
  controlLevels: readonly ControlLevel[],
): { main: NonNullable<SliceInput["replicates"]>; levels: NonNullable<SliceInput["replicates"]>[] } {
  const make = (groups: number) => ({
    groups: Array.from({ length: M }, () => new Float64Array(B * groups)),
    overall: Array.from({ length: M }, () => new Float64Array(B)),
    count: B,
  });
  return { main: make(G), levels: controlLevels.map((level) => make(level.groups.length)) };
}

/**
 * Seeded cell bootstrap (Poisson): each replicate draws every finest cell's row count (joint group
 * × label × decision, or group × label × decision without control features) from a Poisson with
 * the observed row count as mean, and every count-based metric is computed from the drawn counts.
 *
 * Weighted cells: the counts do not say which rows were drawn, so a drawn row is given the cell's
 * mean weight: the cell's weight and squared weight are scaled by drawn / observed rows. Exact
 * when the weights are constant within each cell (as reweighing's weights, which depend on group
 * and label only, are); otherwise an approximation that leaves out the spread of the weights
 * within a cell: the variance of a cell's drawn weight is (Σw)² / rows instead of Σw², so the
 * intervals are narrower than the row bootstrap's by a factor of about √(1 + cv²), cv the
 * coefficient of variation of the weights within a cell. Without weights every mean is exactly 1
 * and the draws are the unweighted ones.
 */
function cellBootstrapReplicates(
  table: ConfusionTable,
  joint: { table: ConfusionTable; codes: Int32Array; levels: ControlLevel[] } | undefined,
  settings: SliceSettings,
  B: number,
  seed: number,
): { main: SliceInput["replicates"]; levels: SliceInput["replicates"][] } {
  const rng = createRandom(seed);
  const G = table.groups.length;
  const M = settings.metrics.length;
  const source = joint ? joint.table : table;
  const J = source.groups.length;
  // Each joint group's main group: the sensitive part of its values.
  const mainOf = new Int32Array(J);
  if (joint) {
    const index = new Map(table.groups.map((g, k) => [groupId(groupTuple(g.values, table.columns)), k]));
    source.groups.forEach((g, j) => {
      mainOf[j] = index.get(groupId(groupTuple(g.values, table.columns))) as number;
    });
  } else for (let j = 0; j < J; j++) mainOf[j] = j;
  const { main, levels } = emptyReplicates(M, B, G, joint?.levels ?? []);
  const data = new Float64Array(G * GROUP_STRIDE);
  const jointData = new Float64Array(J * GROUP_STRIDE);
  const cellsAt = (d: Float64Array, g: number) => d.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE);
  for (let b = 0; b < B; b++) {
    data.fill(0);
    jointData.fill(0);
    for (let j = 0; j < J; j++) {
      for (let cell = 0; cell < 4; cell++) {
        const at = j * GROUP_STRIDE + cell * SUMS_PER_CELL;
        const observed = source.data[at + 2];
        if (observed === 0) continue;
        const drawn = rng.poisson(observed);
        const weight = drawn * (source.data[at] / observed);
        const weight2 = drawn * (source.data[at + 1] / observed);
        jointData[at] = weight;
        jointData[at + 1] = weight2;
        jointData[at + 2] = drawn;
        const to = mainOf[j] * GROUP_STRIDE + cell * SUMS_PER_CELL;
        data[to] += weight;
        data[to + 1] += weight2;
        data[to + 2] += drawn;
      }
    }
    settings.metrics.forEach((m, k) => {
      const spec = m.spec as MetricSpec;
      const value = (d: Float64Array, groups: number[]) =>
        evaluateMetric(spec, sumOf(groups.map((g) => cellsAt(d, g))), settings.zeroDivision);
      for (let g = 0; g < G; g++) main.groups[k][b * G + g] = value(data, [g]);
      main.overall[k][b] = value(
        data,
        Array.from({ length: G }, (_, g) => g),
      );
      joint?.levels.forEach((level, l) => {
        const L = level.groups.length;
        level.groups.forEach((g, j) => {
          levels[l].groups[k][b * L + j] = value(jointData, [g]);
        });
        levels[l].overall[k][b] = value(jointData, level.groups);
      });
    });
  }
  return { main, levels };
}

/** Seeded row bootstrap: every metric on every group of every slice, per replicate. */
function bootstrapReplicates(
  rows: Rows,
  codes: Int32Array,
  G: number,
  joint: { table: ConfusionTable; codes: Int32Array; levels: ControlLevel[] } | undefined,
  settings: SliceSettings,
  B: number,
  seed: number,
): { main: SliceInput["replicates"]; levels: SliceInput["replicates"][] } {
  const rng = createRandom(seed);
  const n = codes.length;
  const M = settings.metrics.length;
  const J = joint ? joint.table.groups.length : 0;
  const { main, levels } = emptyReplicates(M, B, G, joint?.levels ?? []);
  const cellOf = new Int32Array(n);
  for (let i = 0; i < n; i++) cellOf[i] = (2 * rows.yTrue[i] + rows.yPred[i]) * 3;
  const sample = new Int32Array(n);
  const data = new Float64Array(G * GROUP_STRIDE);
  const jointData = new Float64Array(J * GROUP_STRIDE);
  const hasCustom = settings.metrics.some((m) => m.fn);
  const w = rows.weights;
  for (let b = 0; b < B; b++) {
    data.fill(0);
    jointData.fill(0);
    for (let i = 0; i < n; i++) {
      const r = Math.floor(rng.next() * n);
      sample[i] = r;
      const wr = w ? w[r] : 1;
      const k = codes[r] * GROUP_STRIDE + cellOf[r];
      data[k] += wr;
      data[k + 1] += wr * wr;
      data[k + 2]++;
      if (joint) {
        const kj = joint.codes[r] * GROUP_STRIDE + cellOf[r];
        jointData[kj] += wr;
        jointData[kj + 1] += wr * wr;
        jointData[kj + 2]++;
      }
    }
    const cellsAt = (d: Float64Array, g: number) => d.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE);
    // Custom metrics need the resampled rows of each group.
    let mainRows: { order: Int32Array; offsets: Int32Array } | undefined;
    let jointRows: { order: Int32Array; offsets: Int32Array } | undefined;
    if (hasCustom) {
      const sampledCodes = new Int32Array(n);
      for (let i = 0; i < n; i++) sampledCodes[i] = codes[sample[i]];
      mainRows = rowsByGroup(sampledCodes, G);
      if (joint) {
        for (let i = 0; i < n; i++) sampledCodes[i] = joint.codes[sample[i]];
        jointRows = rowsByGroup(sampledCodes, J);
      }
    }
    const rowsOf = (index: { order: Int32Array; offsets: Int32Array }, groups: number[]): number[] => {
      const out: number[] = [];
      for (const g of groups)
        for (const i of index.order.subarray(index.offsets[g], index.offsets[g + 1])) out.push(sample[i]);
      return out;
    };
    settings.metrics.forEach((m, k) => {
      const value = (
        d: Float64Array,
        groups: number[],
        index: { order: Int32Array; offsets: Int32Array } | undefined,
      ): number => {
        if (m.spec) return evaluateMetric(m.spec, sumOf(groups.map((g) => cellsAt(d, g))), settings.zeroDivision);
        const r = rowsOf(index!, groups);
        return r.length === 0 ? Number.NaN : customOn(m.fn!, rows, r);
      };
      const allMain = Array.from({ length: G }, (_, g) => g);
      for (let g = 0; g < G; g++) main.groups[k][b * G + g] = value(data, [g], mainRows);
      main.overall[k][b] = value(data, allMain, mainRows);
      joint?.levels.forEach((level, l) => {
        const L = level.groups.length;
        level.groups.forEach((g, j) => {
          levels[l].groups[k][b * L + j] = value(jointData, [g], jointRows);
        });
        levels[l].overall[k][b] = value(jointData, level.groups, jointRows);
      });
    });
  }
  return { main, levels };
}
