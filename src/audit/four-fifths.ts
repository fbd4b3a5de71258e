/**
 * The EEOC four-fifths rule (Uniform Guidelines, 29 CFR 1607.4(D)): a selection rate for any
 * group below four-fifths (80%) of the rate of the group with the highest rate is generally
 * regarded as evidence of adverse impact. The same paragraph warns that small numbers can make a
 * low ratio meaningless, and that a smaller gap can still matter when it is statistically
 * significant. So every group gets, beside its impact ratio, two-sided tests of its rate against
 * the highest group's: Fisher's exact test (which decides "significant") and the two-proportion
 * z-test (the "two standard deviations" rule of thumb, shown for reference).
 */
import { type ConfusionTable, cellRows, groupCells } from "../core/confusion.js";
import { type Level, groupTuple } from "../core/groups.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Interval, wilsonInterval } from "../core/intervals.js";
import { fisherExactTest, twoProportionZTest } from "../core/significance.js";
import type { DecisionMeaning } from "./decision.js";

/** Selected and assessed counts of one group (individuals, not weights: the tests count people). */
export interface SelectionCount {
  /** The group's display label. */
  label: string;
  /** The group's values (default `[label]`). */
  group?: (Level | null)[];
  count: number;
  selected: number;
}

/** Options of {@link fourFifthsRule}. */
export interface FourFifthsOptions {
  /** The impact-ratio threshold (default 0.8). */
  threshold?: number;
  /** Significance level of the tests (default 0.05, two-sided). */
  alpha?: number;
  /**
   * Groups with fewer people are neither rated nor used as the comparison group (status
   * `too_small`); default 0, the rule as written. 1607.4(D) notes that differences based on small
   * numbers may not be adverse impact; a 2-person group with the highest rate would otherwise set
   * the bar for everyone.
   */
  minCount?: number;
  /** What `selected` counts, for the result's wording (default `selected`; `not selected` for a burden, see {@link favourableCounts}). */
  outcome?: string;
}

/**
 * What the rule says about one group:
 * - `highest`: the comparison group itself;
 * - `adverse_impact`: ratio below the threshold and the difference is significant;
 * - `below_threshold_not_significant`: ratio below the threshold, but the numbers are too small
 *   (or the gap too noisy) to tell it from chance;
 * - `significant_above_threshold`: ratio at or above the threshold, yet the difference is significant;
 * - `no_adverse_impact`: neither.
 * - `undefined`: the group, or the highest group, selected nobody / has no rows;
 * - `too_small`: fewer people than `minCount`: not rated, not a comparison group.
 */
export type FourFifthsStatus =
  | "highest"
  | "adverse_impact"
  | "below_threshold_not_significant"
  | "significant_above_threshold"
  | "no_adverse_impact"
  | "undefined"
  | "too_small";

/** One group's row. */
export interface FourFifthsRow {
  group: (Level | null)[];
  label: string;
  count: number;
  selected: number;
  rate: number;
  interval: Interval;
  impact_ratio: number;
  /** True when the impact ratio is below the threshold. */
  flagged: boolean;
  /** Two-sided Fisher exact p-value against the highest group (NaN for the highest group itself). */
  fisher_p: number;
  /** Two-sided pooled two-proportion z-test p-value against the highest group. */
  z_p: number;
  z: number;
  significant: boolean;
  status: FourFifthsStatus;
}

/** Result of {@link fourFifthsRule}. */
export interface FourFifthsResult {
  threshold: number;
  alpha: number;
  /** The comparison group (the highest rate), as its tuple. */
  highest: (Level | null)[] | null;
  rows: FourFifthsRow[];
  /** Groups whose ratio is below the threshold, as tuples. */
  flagged: (Level | null)[][];
  min_count: number;
  /** What the rates count: the favourable outcome (`selected`, or `not selected` when the decision is a burden). */
  outcome: string;
  basis: string;
}

/**
 * Applies the four-fifths rule with significance tests.
 *
 * @example
 * const r = fourFifthsRule([
 *   { label: "men", count: 100, selected: 60 },
 *   { label: "women", count: 100, selected: 30 },
 * ]);
 * r.rows[1].impactRatio; // 0.5
 * r.rows[1].status; // "adverse_impact" (Fisher p ≈ 3e-5)
 */
export function fourFifthsRule(groups: readonly SelectionCount[], options: FourFifthsOptions = {}): FourFifthsResult {
  const threshold = options.threshold ?? 0.8;
  const alpha = options.alpha ?? 0.05;
  if (!(threshold > 0 && threshold <= 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notInRange("threshold", "(0, 1]", threshold), {
      argument: "threshold",
    });
  if (!(alpha > 0 && alpha < 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notInRange("alpha", "(0, 1)", alpha), { argument: "alpha" });
  for (const g of groups) {
    if (!(Number.isInteger(g.count) && Number.isInteger(g.selected) && g.selected >= 0 && g.selected <= g.count)) {
      throw new FairkitError("BAD_ARGUMENT", messages.badSelectionCounts(g.label, g.selected, g.count), {
        argument: "groups",
      });
    }
  }
  const minCount = options.minCount ?? 0;
  const rates = groups.map((g) => (g.count > 0 ? g.selected / g.count : Number.NaN));
  let top = -1;
  rates.forEach((r, i) => {
    if (!Number.isNaN(r) && groups[i].count >= minCount && (top < 0 || r > rates[top])) top = i;
  });
  const highest = top >= 0 ? groups[top] : undefined;
  const rows = groups.map((g, i): FourFifthsRow => {
    const rate = rates[i];
    const base = {
      group: g.group ?? [g.label],
      label: g.label,
      count: g.count,
      selected: g.selected,
      rate,
      interval: wilsonInterval(rate, g.count),
    };
    if (g.count < minCount) {
      return {
        ...base,
        impact_ratio: Number.NaN,
        flagged: false,
        fisher_p: Number.NaN,
        z_p: Number.NaN,
        z: Number.NaN,
        significant: false,
        status: "too_small",
      };
    }
    if (i === top) {
      return {
        ...base,
        impact_ratio: 1,
        flagged: false,
        fisher_p: Number.NaN,
        z_p: Number.NaN,
        z: Number.NaN,
        significant: false,
        status: "highest",
      };
    }
    if (!highest || Number.isNaN(rate) || !(rates[top] > 0)) {
      return {
        ...base,
        impact_ratio: Number.NaN,
        flagged: false,
        fisher_p: Number.NaN,
        z_p: Number.NaN,
        z: Number.NaN,
        significant: false,
        status: "undefined",
      };
    }
    const impactRatio = rate / rates[top];
    const fisherP = fisherExactTest({
      a: g.selected,
      b: g.count - g.selected,
      c: highest.selected,
      d: highest.count - highest.selected,
    });
    const zt = twoProportionZTest(rate, g.count, rates[top], highest.count);
    const flagged = impactRatio < threshold;
    const significant = fisherP < alpha;
    const status: FourFifthsStatus = flagged
      ? significant
        ? "adverse_impact"
        : "below_threshold_not_significant"
      : significant
        ? "significant_above_threshold"
        : "no_adverse_impact";
    return {
      ...base,
      impact_ratio: impactRatio,
      flagged,
      fisher_p: fisherP,
      z_p: zt.pValue,
      z: zt.z,
      significant,
      status,
    };
  });
  return {
    threshold,
    alpha,
    highest: highest ? (highest.group ?? [highest.label]) : null,
    rows,
    flagged: rows.filter((r) => r.flagged).map((r) => r.group),
    min_count: minCount,
    outcome: options.outcome ?? "selected",
    basis: `29 CFR 1607.4(D): impact ratio = rate / highest rate${options.outcome && options.outcome !== "selected" ? ` of the favourable outcome (${options.outcome})` : ""}, flagged below ${threshold}; significance: two-sided Fisher's exact test against the highest group at alpha ${alpha} (z-test shown for reference)${minCount > 0 ? `; groups under ${minCount} people are neither rated nor used for comparison` : ""}`,
  };
}

/**
 * The counts the rule compares: per group, people assessed and people receiving the favourable
 * outcome — selected when the positive decision is favourable, *not* selected when it is a burden
 * (the four-fifths rule protects against groups receiving less of the favourable outcome).
 */
export function favourableCounts(
  table: ConfusionTable,
  meaning: DecisionMeaning = "favourable",
): { counts: SelectionCount[]; outcome: string } {
  const counts = selectionCounts(table);
  if (meaning === "favourable") return { counts, outcome: "selected" };
  return { counts: counts.map((c) => ({ ...c, selected: c.count - c.selected })), outcome: "not selected" };
}

/** Selected and assessed row counts per group from confusion counts (selected = TP + FP rows). */
export function selectionCounts(table: ConfusionTable): SelectionCount[] {
  return table.groups.map((info, g) => {
    const cells = groupCells(table, g);
    return {
      label: info.key,
      group: groupTuple(info.values, table.columns),
      count: cellRows(cells, 0) + cellRows(cells, 1) + cellRows(cells, 2) + cellRows(cells, 3),
      selected: cellRows(cells, 1) + cellRows(cells, 3),
    };
  });
}
