/**
 * NYC Local Law 144 bias-audit tables (6 RCNY §5-300, §5-301): for an automated employment
 * decision tool, the selection rate (or, for a scoring tool, the scoring rate) and the impact
 * ratio of every sex category, every race/ethnicity category, and every intersection of the two.
 *
 * Definitions (§5-300):
 * - selection rate = selected in the category / assessed in the category;
 * - scoring rate = share of the category whose score is strictly above the median score of the
 *   whole sample (every individual assessed, unknown categories included);
 * - impact ratio = the category's rate / the highest rate among the categories compared.
 *
 * Individuals whose sex or race/ethnicity is unknown (a missing value, or a value listed in
 * `unknownValues`) are left out of that table's rates and counted separately, as §5-303 requires
 * the summary of results to state.
 * A category under 2% of the data may be left out of the impact ratios only when the auditor
 * gives a justification; the excluded categories are still listed with their counts and rates.
 * Counts are individuals (rows); weights do not apply to a headcount law.
 */
import { FairkitError, messages } from "../core/errors.js";
import { type Column, type Level, encodeGroups, groupLabel } from "../core/groups.js";
import type { DecisionMeaning } from "./decision.js";
import { type Interval, wilsonInterval } from "../core/intervals.js";
import {
  type BinaryInput,
  type NumericInput,
  checkLength,
  checkNotEmpty,
  toDecisions,
  toScores,
} from "../core/validate.js";
import { DEFAULTS } from "../core/defaults.js";

/** Options of {@link ll144Tables}. */
export interface LL144Options {
  /** Sex (or gender) category of each individual. */
  sex: Column;
  /** Race/ethnicity category of each individual. */
  raceEthnicity: Column;
  /** For a selection tool: 1 when the individual was selected (moved forward, classified positive). */
  selected?: BinaryInput;
  /** For a scoring tool: the score of each individual. Give `selected` or `scores`, not both. */
  scores?: NumericInput;
  /** Value of `selected` meaning selected, when it is not 0/1 or boolean. */
  posLabel?: unknown;
  /**
   * Values that mean "unknown", compared as text without regard to case (missing values always
   * do). Default `["unknown"]`.
   */
  unknownValues?: readonly string[];
  /**
   * Leave categories under `share` (default 0.02, the rule's 2%) of all individuals assessed out
   * of the impact ratios. The `justification` is required and printed with the excluded rows.
   */
  exclude?: { share?: number; justification: string };
  /** Confidence level of the Wilson intervals on the rates (default 0.95). */
  level?: number;
  /**
   * What `selected` (or a high score) means for the person: `favourable` (default: moved forward)
   * or `unfavourable` (a burden, e.g. flagged for rejection). The rates are always those of the
   * favourable outcome, so for a burden they count the people *not* selected (or scoring below the
   * median), and the lowest rate marks the disadvantaged category either way.
   */
  positiveDecision?: DecisionMeaning;
  /**
   * The order of the intersection's two parts in its labels and rows: `sex_first` (default,
   * "Female, African-American") or `race_first` ("African-American, Female") — the order of the
   * report's other sections when the race column comes first.
   */
  intersectionOrder?: "sex_first" | "race_first";
  /**
   * The names of the two columns as the data calls them, for the tables' `columns` and each row's
   * `values` (default `sex` and `race_ethnicity`): a report names the column it read, e.g. `race`.
   */
  columnNames?: { sex?: string; raceEthnicity?: string };
}

/** One category's row. */
export interface LL144Row {
  /** The category's label, e.g. `"Female"` or `"Female, Black"`. */
  category: string;
  values: Record<string, Level>;
  /** Individuals assessed in the category. */
  count: number;
  /** Selected individuals (selection tool) or individuals scoring above the median (scoring tool). */
  positives: number;
  /** Selection rate or scoring rate. */
  rate: number;
  /** Wilson interval of `rate`. */
  interval: Interval;
  /** Rate ÷ the highest rate among the included categories; NaN for an excluded category. */
  impact_ratio: number;
  /** Share of all individuals assessed. */
  share: number;
  /** True when left out of the impact ratios under the 2% rule. */
  excluded: boolean;
}

/** One of the three tables. */
export interface LL144Table {
  dimension: "sex" | "race_ethnicity" | "intersectional";
  /** The columns it is over, by their names in the data (`["sex"]`, `["race"]`, or both in the intersection's order). */
  columns: string[];
  /** Categories with a known value, in category order; excluded ones are included and marked. */
  rows: LL144Row[];
  /** Individuals left out because a value is unknown. */
  unknown_count: number;
  /** The category with the highest rate among those included (the impact ratio's denominator). */
  highest: string | null;
  highest_rate: number;
}

/** Result of {@link ll144Tables}. */
export interface LL144Result {
  kind: "selection" | "scoring";
  rate_name: "selection_rate" | "scoring_rate";
  /** Individuals assessed (all rows). */
  total: number;
  /** For a scoring tool: the sample median the scoring rate is measured against. */
  median: number | null;
  tables: LL144Table[];
  exclusion: { share: number; justification: string } | null;
  /** The rules this follows, for the report. */
  basis: string;
  /** What the rates count: `selected`, `not selected`, `scoring above the median` or `scoring below the median`. */
  outcome: string;
}

/** One column encoded once: a level per row (the engine's group encoding) and which levels are unknown. */
interface EncodedCategories {
  codes: Int32Array;
  levels: (Level | null)[];
  unknown: Uint8Array;
}

/** The values that mean "unknown" when none are given (compared as text, without regard to case). */
export const DEFAULT_UNKNOWN_VALUES: readonly string[] = DEFAULTS.ll144UnknownValues;

/** The set {@link isUnknownCategory} compares against: the values trimmed and lower-cased. */
export function unknownValueSet(values: readonly string[] = DEFAULT_UNKNOWN_VALUES): Set<string> {
  return new Set(values.map((v) => v.trim().toLowerCase()));
}

/** True when a category value is unknown: missing, blank, or one of `unknown` (see {@link unknownValueSet}). */
export function isUnknownCategory(value: Level | null, unknown: ReadonlySet<string>): boolean {
  return value === null || String(value).trim() === "" || unknown.has(String(value).trim().toLowerCase());
}

function encodeCategories(column: Column, name: string, unknown: Set<string>, rows?: number): EncodedCategories {
  const encoding = encodeGroups({ [name]: column }, rows, "sex");
  const levels = encoding.groups.map((g) => g.values[name]);
  const isUnknown = Uint8Array.from(levels, (v) => (isUnknownCategory(v, unknown) ? 1 : 0));
  return { codes: encoding.codes, levels, unknown: isUnknown };
}

/** The median of the values (mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/**
 * The three LL144 tables (sex, race/ethnicity, and their intersection).
 *
 * @example
 * const r = ll144Tables({
 *   sex: ["F", "F", "M", "M"], raceEthnicity: ["A", "B", "A", "B"], selected: [1, 0, 1, 1],
 * });
 * r.tables[0].rows.map((row) => row.impact_ratio); // [0.5, 1] (F: 1/2 selected, M: 2/2)
 */
export function ll144Tables(options: LL144Options): LL144Result {
  const level = options.level ?? DEFAULTS.level;
  const hasSelected = options.selected !== undefined;
  const burden = (options.positiveDecision ?? "favourable") === "unfavourable";
  const hasScores = options.scores !== undefined;
  if (hasSelected === hasScores) {
    throw new FairkitError("BAD_ARGUMENT", messages.selectedOrScores(), {
      argument: hasSelected ? "scores" : "selected",
    });
  }
  const unknown = unknownValueSet(options.unknownValues);
  const sex = encodeCategories(options.sex, "sex", unknown);
  const n = sex.codes.length;
  checkNotEmpty(n, "sex");
  const race = encodeCategories(options.raceEthnicity, "raceEthnicity", unknown, n);
  let positive: Uint8Array;
  let sampleMedian: number | null = null;
  if (hasSelected) {
    checkLength(options.selected!, "selected", n, "sex");
    positive = toDecisions(options.selected!, "selected", undefined, options.posLabel);
    if (burden) for (let i = 0; i < n; i++) positive[i] = 1 - positive[i];
  } else {
    checkLength(options.scores!, "scores", n, "sex");
    const scores = toScores(Float64Array.from(options.scores! as ArrayLike<number>), "scores");
    sampleMedian = median(scores);
    positive = new Uint8Array(n);
    for (let i = 0; i < n; i++) positive[i] = (burden ? scores[i] < sampleMedian : scores[i] > sampleMedian) ? 1 : 0;
  }
  let exclusion: LL144Result["exclusion"] = null;
  if (options.exclude) {
    const share = options.exclude.share ?? 0.02;
    if (!(share > 0 && share <= 0.02)) {
      throw new FairkitError("BAD_ARGUMENT", messages.badExclusionShare(share), {
        argument: "exclude.share",
      });
    }
    const justification = (options.exclude.justification ?? "").trim();
    if (justification === "") {
      throw new FairkitError("BAD_ARGUMENT", messages.exclusionNeedsJustification(), {
        argument: "exclude.justification",
      });
    }
    exclusion = { share, justification };
  }

  const table = (dimension: LL144Table["dimension"], columns: Record<string, EncodedCategories>): LL144Table => {
    const names = Object.keys(columns);
    const cols = names.map((c) => columns[c]);
    // Mixed-radix cell per row over the columns' levels; a row unknown in any column counts apart.
    const strides: number[] = [];
    let space = 1;
    for (let k = cols.length - 1; k >= 0; k--) {
      strides[k] = space;
      space *= cols[k].levels.length;
    }
    const counts = new Float64Array(space);
    const positives = new Float64Array(space);
    let unknownCount = 0;
    for (let i = 0; i < n; i++) {
      let cell = 0;
      let isUnknown = false;
      for (let k = 0; k < cols.length; k++) {
        const code = cols[k].codes[i];
        if (cols[k].unknown[code]) isUnknown = true;
        cell += code * strides[k];
      }
      if (isUnknown) unknownCount++;
      else {
        counts[cell]++;
        positives[cell] += positive[i];
      }
    }
    const rows: LL144Row[] = [];
    for (let cell = 0; cell < space; cell++) {
      if (counts[cell] === 0) continue;
      const values: Record<string, Level> = {};
      names.forEach((c, k) => {
        values[c] = cols[k].levels[Math.floor(cell / strides[k]) % cols[k].levels.length] as Level;
      });
      const rate = positives[cell] / counts[cell];
      const share = counts[cell] / n;
      rows.push({
        category: groupLabel(names.map((c) => values[c])),
        values,
        count: counts[cell],
        positives: positives[cell],
        rate,
        interval: wilsonInterval(rate, counts[cell], level),
        impact_ratio: Number.NaN,
        share,
        excluded: exclusion !== null && share < exclusion.share,
      });
    }
    let highest: LL144Row | null = null;
    for (const row of rows) if (!row.excluded && (highest === null || row.rate > highest.rate)) highest = row;
    for (const row of rows)
      if (!row.excluded && highest) row.impact_ratio = highest.rate > 0 ? row.rate / highest.rate : Number.NaN;
    return {
      dimension,
      columns: names,
      rows,
      unknown_count: unknownCount,
      highest: highest?.category ?? null,
      highest_rate: highest?.rate ?? Number.NaN,
    };
  };

  const kind = hasSelected ? "selection" : "scoring";
  // One column for both would make the intersection's values collide: keep the default names then.
  const given = options.columnNames ?? {};
  const distinct = (given.sex ?? "sex") !== (given.raceEthnicity ?? "race_ethnicity");
  const sexName = distinct ? (given.sex ?? "sex") : "sex";
  const raceName = distinct ? (given.raceEthnicity ?? "race_ethnicity") : "race_ethnicity";
  return {
    kind,
    rate_name: kind === "selection" ? "selection_rate" : "scoring_rate",
    total: n,
    median: sampleMedian,
    tables: [
      table("sex", { [sexName]: sex }),
      table("race_ethnicity", { [raceName]: race }),
      table(
        "intersectional",
        options.intersectionOrder === "race_first"
          ? { [raceName]: race, [sexName]: sex }
          : { [sexName]: sex, [raceName]: race },
      ),
    ],
    exclusion,
    basis:
      (kind === "selection"
        ? "6 RCNY §5-301(a)-(b): selection rate = selected / assessed per category; impact ratio = selection rate / highest selection rate"
        : "6 RCNY §5-301(c)-(d): scoring rate = share scoring above the sample median; impact ratio = scoring rate / highest scoring rate") +
      (burden
        ? "; the positive decision is a burden here, so the rates are of the favourable outcome (not selected / scoring below the median)"
        : ""),
    outcome:
      kind === "selection"
        ? burden
          ? "not selected"
          : "selected"
        : burden
          ? "scoring below the median"
          : "scoring above the median",
  };
}
