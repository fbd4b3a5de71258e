/**
 * Subgroup discovery: which conjunctions of attribute values (`race = Black ∧ sex = Male`, up to
 * k attributes) have the largest gap on a metric against everyone else, beyond chance?
 *
 * Every subgroup of every combination of up to `maxDepth` attributes with at least `minSupport`
 * rows is tested: its metric against the rest's, a two-sided two-proportion z-test (effective
 * sample sizes under weights). The p-values are corrected for the number of subgroups tested with
 * Holm's step-down method (default) or Bonferroni, so at level `alpha` the chance of reporting any
 * subgroup when none differs is at most `alpha`. Only subgroups significant after correction are
 * reported. They are ranked by the lower confidence bound of the gap's size (Newcombe's hybrid
 * score interval, built from the two Wilson intervals), so a small subgroup with a noisy large gap
 * does not outrank a large one whose gap is certain; `rankBy: "gap"` ranks by the raw gap instead.
 *
 * The counts come from the engine: each attribute combination is one group encoding and one pass
 * of confusion counts; a subgroup's rest is the total minus the subgroup.
 */
import { type Cells, GROUP_STRIDE, countConfusion, groupCells, sumCells, totalCells } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Column, type Level, encodeGroups, namedColumns } from "../core/groups.js";
import { type Interval, newcombeFromIntervals, wilsonInterval } from "../core/intervals.js";
import { type ProportionSpec, metricSpec } from "../core/metrics.js";
import { bonferroniAdjust, holmAdjust, twoProportionZTest } from "../core/significance.js";
import { prepareLabels } from "../core/prepare.js";
import type { BinaryInput, NumericInput } from "../core/validate.js";
import { DEFAULTS } from "../core/defaults.js";

/** Options of {@link discoverSubgroups}. */
export interface SubgroupDiscoveryOptions {
  yTrue: BinaryInput;
  yPred: BinaryInput;
  /** The attributes to combine, by name (sensitive features and any others, e.g. an age band). */
  attributes: Readonly<Record<string, Column>>;
  /** A proportion metric of the metric table (default `false_positive_rate`). */
  metric?: string;
  /** Largest number of attributes in one subgroup: 1, 2 or 3 (default 2). */
  maxDepth?: number;
  /** Fewest rows a subgroup needs to be tested (default 30); a value below 1 is a share of all rows. */
  minSupport?: number;
  /** Family-wise significance level (default 0.05). */
  alpha?: number;
  /** Multiple-testing correction (default `holm`). */
  correction?: "holm" | "bonferroni";
  /** How many subgroups to report at most (default 10). */
  top?: number;
  /** `both` (default): gaps either way; `higher`/`lower`: only subgroups whose metric is higher/lower than the rest's. */
  direction?: "both" | "higher" | "lower";
  /** `lower_bound` (default): by the interval's bound nearest zero; `gap`: by the raw gap. */
  rankBy?: "lower_bound" | "gap";
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Leave out refinements a more general significant subgroup explains (default true); see {@link Subgroup.explainedBy}. */
  pruneRefinements?: boolean;
  sampleWeight?: NumericInput;
  /** Positive value of `yTrue` when it is not 0/1 or booleans. */
  posLabel?: unknown;
  /** Positive value of `yPred` when it is not 0/1 or booleans (default `posLabel`). */
  predPosLabel?: unknown;
}

/** One tested subgroup. */
export interface Subgroup {
  /** `race = African-American ∧ sex = Male`. */
  description: string;
  conditions: Record<string, Level | null>;
  depth: number;
  /** Rows in the subgroup. */
  size: number;
  /** Rows in the metric's denominator (e.g. true negatives for the FPR) in the subgroup and in the rest. */
  support: number;
  rest_support: number;
  value: number;
  interval: Interval;
  rest_value: number;
  rest_interval: Interval;
  /** value − restValue. */
  gap: number;
  /** Newcombe hybrid score interval of the gap. */
  gap_interval: Interval;
  p_value: number;
  adjusted_p: number;
  significant: boolean;
  /**
   * Set when a significant, more general subgroup (fewer conditions, gap of the same sign)
   * explains this one: its metric does not differ from the rest of that subgroup (two-sided
   * z-test at `alpha / m`, the Bonferroni level over the m subgroups tested). Such refinements are left out of `top`.
   */
  explained_by?: string;
}

/** Result of {@link discoverSubgroups}. */
export interface SubgroupDiscoveryResult {
  metric: string;
  max_depth: number;
  min_support: number;
  alpha: number;
  correction: "holm" | "bonferroni";
  /** Subgroups tested (the m of the correction). */
  tested: number;
  /** Subgroups below the minimum support, not tested. */
  skipped: number;
  /** The significant subgroups, best first, at most `top`. */
  top: Subgroup[];
  /** How many were significant in all (refinements explained by a more general subgroup included). */
  significant_count: number;
  /** How many significant subgroups were left out as refinements explained by a more general one. */
  explained_count: number;
  /** The largest gaps whether significant or not (for context; at most `top`). */
  largest_gaps: Subgroup[];
  method: string;
}

function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i < n; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/**
 * Searches attribute combinations for the subgroups with the largest significant gap on a metric.
 *
 * @example
 * const r = discoverSubgroups({
 *   yTrue, yPred, attributes: { race, sex, age_band }, metric: "false_positive_rate", maxDepth: 2,
 * });
 * r.top[0]?.description; // e.g. "race = B ∧ sex = M"
 */
export function discoverSubgroups(options: SubgroupDiscoveryOptions): SubgroupDiscoveryResult {
  const spec = metricSpec(options.metric ?? "false_positive_rate");
  if (spec.kind !== "proportion") {
    throw new FairkitError("BAD_ARGUMENT", messages.subgroupsNeedProportion(spec.name), { argument: "metric" });
  }
  const maxDepth = options.maxDepth ?? DEFAULTS.subgroupDepth;
  if (![1, 2, 3].includes(maxDepth))
    throw new FairkitError("BAD_ARGUMENT", messages.badMaxDepth(maxDepth), { argument: "maxDepth" });
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notInRange("alpha", "(0, 1)", alpha), { argument: "alpha" });
  const correction = options.correction ?? "holm";
  const level = options.level ?? DEFAULTS.level;
  const topN = options.top ?? 10;
  const direction = options.direction ?? "both";
  const rankBy = options.rankBy ?? "lower_bound";

  const { yTrue, yPred, weights, n } = prepareLabels(options);
  const named = namedColumns(options.attributes);
  const depth = Math.min(maxDepth, named.length);
  const minSupportRaw = options.minSupport ?? DEFAULTS.minGroupSize;
  const minSupport = minSupportRaw < 1 ? Math.ceil(minSupportRaw * n) : minSupportRaw;

  const candidates: Subgroup[] = [];
  // Numerator weight, denominator weight and squared weight per candidate, for the refinement check.
  const sums: [number, number, number][] = [];
  let skipped = 0;
  let total: Cells | undefined;
  const rest = new Float64Array(GROUP_STRIDE);
  for (let d = 1; d <= depth; d++) {
    for (const combo of combinations(named.length, d)) {
      const input: Record<string, Column> = {};
      for (const c of combo) input[named[c][0]] = named[c][1];
      const encoding = encodeGroups(input, n);
      const table = countConfusion(yTrue, yPred, encoding, weights);
      total ??= totalCells(table);
      const T = total;
      encoding.groups.forEach((info, g) => {
        const cells = groupCells(table, g);
        const size = sumCells(cells, 15).rows;
        if (size < minSupport || size === n) {
          skipped++;
          return;
        }
        for (let k = 0; k < GROUP_STRIDE; k++) rest[k] = T[k] - cells[k];
        const sub = proportionOf(spec, cells, level);
        const other = proportionOf(spec, rest, level);
        if (Number.isNaN(sub.value) || Number.isNaN(other.value)) {
          skipped++;
          return;
        }
        const test = twoProportionZTest(sub.value, sub.nEff, other.value, other.nEff);
        const den = sumCells(cells, spec.denominator);
        sums.push([sumCells(cells, spec.numerator).weight, den.weight, den.weight2]);
        candidates.push({
          description: encoding.columns
            .map((c) => `${c} = ${info.values[c] === null ? "(missing)" : String(info.values[c])}`)
            .join(" ∧ "),
          conditions: { ...info.values },
          depth: d,
          size,
          support: sub.rows,
          rest_support: other.rows,
          value: sub.value,
          interval: sub.interval,
          rest_value: other.value,
          rest_interval: other.interval,
          gap: sub.value - other.value,
          gap_interval: newcombeFromIntervals(sub.value, sub.interval, other.value, other.interval),
          p_value: test.pValue,
          adjusted_p: Number.NaN,
          significant: false,
        });
      });
    }
  }
  const adjusted = (correction === "holm" ? holmAdjust : bonferroniAdjust)(candidates.map((c) => c.p_value));
  candidates.forEach((c, i) => {
    c.adjusted_p = adjusted[i];
    c.significant = adjusted[i] < alpha;
  });
  // The refinement check is held to the same corrected standard as discovery (Bonferroni over m).
  if (options.pruneRefinements ?? true) markExplained(candidates, sums, alpha / Math.max(1, candidates.length));
  const wanted = (c: Subgroup) => direction === "both" || (direction === "higher" ? c.gap > 0 : c.gap < 0);
  const score = (c: Subgroup) =>
    rankBy === "gap" ? Math.abs(c.gap) : c.gap >= 0 ? Math.max(0, c.gap_interval[0]) : Math.max(0, -c.gap_interval[1]);
  const byScore = (a: Subgroup, b: Subgroup) =>
    score(b) - score(a) || Math.abs(b.gap) - Math.abs(a.gap) || b.size - a.size;
  const significant = candidates.filter((c) => c.significant && wanted(c));
  const reported = significant.filter((c) => c.explained_by === undefined).sort(byScore);
  const largestGaps = candidates
    .filter(wanted)
    .sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap) || b.size - a.size)
    .slice(0, topN);
  return {
    metric: spec.name,
    max_depth: depth,
    min_support: minSupport,
    alpha,
    correction,
    tested: candidates.length,
    skipped,
    top: reported.slice(0, topN),
    significant_count: significant.length,
    explained_count: significant.length - reported.length,
    largest_gaps: largestGaps,
    method: `each subgroup of up to ${depth} attributes with at least ${minSupport} rows vs the rest: two-sided two-proportion z-test on ${spec.name}; ${correction === "holm" ? "Holm" : "Bonferroni"} correction over ${candidates.length} subgroups at family-wise alpha ${alpha}; ranked by ${rankBy === "gap" ? "the gap" : "the confidence bound of the gap nearest zero (Newcombe)"}${(options.pruneRefinements ?? true) ? "; refinements whose metric does not differ from the rest of a more general significant subgroup (z-test at alpha / m) are left out" : ""}`,
  };
}

function proportionOf(
  spec: ProportionSpec,
  cells: Cells,
  level: number,
): { value: number; nEff: number; rows: number; interval: Interval } {
  const den = sumCells(cells, spec.denominator);
  if (den.weight <= 0) return { value: Number.NaN, nEff: 0, rows: den.rows, interval: [Number.NaN, Number.NaN] };
  const value = sumCells(cells, spec.numerator).weight / den.weight;
  const nEff = (den.weight * den.weight) / den.weight2;
  return { value, nEff, rows: den.rows, interval: wilsonInterval(value, nEff, level) };
}

function conditionKey(conditions: Record<string, Level | null>, leave?: string): string {
  return Object.keys(conditions)
    .filter((c) => c !== leave)
    .map((c) => `${c}\u0000${String(conditions[c])}`)
    .sort()
    .join("\u0001");
}

/**
 * Marks significant refinements that a significant generalisation explains: for each subgroup of
 * depth ≥ 2 and each significant generalisation with the same sign of gap, its metric is compared
 * with that of the rest of the generalisation; no difference at `alpha` (the caller passes the
 * corrected level) means the extra condition adds nothing.
 */
function markExplained(candidates: Subgroup[], sums: [number, number, number][], alpha: number): void {
  const index = new Map<string, number>();
  candidates.forEach((c, i) => {
    index.set(conditionKey(c.conditions), i);
  });
  const generalisations = (c: Subgroup): number[] => {
    const out: number[] = [];
    const names = Object.keys(c.conditions);
    const visit = (conditions: Record<string, Level | null>) => {
      for (const name of Object.keys(conditions)) {
        if (Object.keys(conditions).length <= 1) return;
        const reduced = { ...conditions };
        delete reduced[name];
        const j = index.get(conditionKey(reduced));
        if (j !== undefined && !out.includes(j)) out.push(j);
        visit(reduced);
      }
    };
    if (names.length >= 2) visit(c.conditions);
    return out;
  };
  candidates.forEach((c, i) => {
    if (!c.significant) return;
    for (const j of generalisations(c)) {
      const parent = candidates[j];
      if (!parent.significant || Math.sign(parent.gap) !== Math.sign(c.gap)) continue;
      const [num, den, den2] = sums[i];
      const restNum = sums[j][0] - num;
      const restDen = sums[j][1] - den;
      const restDen2 = sums[j][2] - den2;
      if (!(restDen > 0)) continue;
      const test = twoProportionZTest(num / den, (den * den) / den2, restNum / restDen, (restDen * restDen) / restDen2);
      if (!(test.pValue < alpha)) {
        c.explained_by = parent.description;
        return;
      }
    }
  });
}
