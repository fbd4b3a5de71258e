/** Number and text formatting shared by the HTML and Markdown renderers, so both show the same digits (and the same tables, where a section has them). */
import type { LL144Table } from "../audit/ll144.js";
import type { SubgroupDiscoveryResult } from "../audit/subgroup-discovery.js";
import type { IndividualSection } from "../individual/documents.js";

/** A rate or ratio to 3 decimals; undefined values (NaN, null) as an em dash. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const text = value.toFixed(digits);
  // A tiny negative value rounds to "-0.000": the sign would claim a direction the digits do not show.
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A share as a percentage to one decimal. */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(100 * value).toFixed(1)}%`;
}

/** A confidence level as people write it: 0.95 → "95%", 0.9 → "90%", 0.995 → "99.5%". */
export function levelText(level: number): string {
  return `${Number((100 * level).toFixed(3))}%`;
}

/** A p-value: 3 significant digits, or "< 1e-12". */
export function pValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (value < 1e-12) return "< 1e-12";
  return value < 0.001 ? value.toExponential(2) : value.toFixed(3);
}

/** An interval `[low, high]`. */
export function interval(iv: readonly (number | null)[] | undefined): string {
  if (!iv || iv[0] === null || iv[1] === null || !Number.isFinite(iv[0]) || !Number.isFinite(iv[1])) return "—";
  const [lo, hi] = iv as [number, number];
  // An en dash between negative numbers reads as a minus sign: use "to" when either end is negative.
  return lo < 0 || hi < 0 ? `${lo.toFixed(3)} to ${hi.toFixed(3)}` : `${lo.toFixed(3)}–${hi.toFixed(3)}`;
}

/** A whole count with thousands separators. */
export function count(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
}

/** The statuses of the four-fifths rule in words. */
export const FOUR_FIFTHS_WORDS: Record<string, string> = {
  highest: "highest rate (comparison group)",
  adverse_impact: "below 0.8 and significant: adverse impact indicated",
  below_threshold_not_significant:
    "below 0.8, not significant: too few people here or in the comparison group to tell it from chance",
  significant_above_threshold: "at or above 0.8, but the difference is significant",
  no_adverse_impact: "no adverse impact indicated",
  undefined: "undefined (no rows or nobody selected)",
  too_small: "too few people to rate (not used for comparison)",
};

/** A ratio |Δf| / d: Infinity (a pair at distance 0 whose outputs differ) as ∞. */
export function ratioText(value: number | null | undefined): string {
  return value === Number.POSITIVE_INFINITY ? "∞" : num(value);
}

/** The tables of the individual-fairness section, as text cells: both renderers show these. */
export function individualTables(section: IndividualSection): {
  note: string;
  summary: { head: string[]; rows: string[][] };
  groups: { head: string[]; rows: string[][] } | null;
  worst: { head: string[]; rows: string[][] };
} {
  const c = section.consistency;
  const l = section.lipschitz;
  const v = l.violations;
  const summary: string[][] = [
    [
      "consistency",
      num(c.value),
      `1 − mean |decision − mean decision of the ${c.k} nearest neighbours|${c.include_self ? " (the person themself among them, as AIF360 counts)" : ""}`,
    ],
    [
      "Lipschitz constant",
      num(l.lipschitz_constant),
      `largest |Δ ${l.output}| / distance over ${count(l.pairs)} neighbour pairs`,
    ],
    ["median ratio", ratioText(l.quantiles.q50), "|Δ| / distance, half of the pairs above"],
    [
      "identical, treated differently",
      count(l.identical_treated_differently),
      `pairs identical in every feature whose ${l.output} differs (of ${count(l.identical)} identical pairs)`,
    ],
  ];
  if (v && l.L !== null)
    summary.push([
      "violations",
      `${pct(v.rate)} (${interval(v.interval)})`,
      `pairs with |Δ| > ${l.L} × distance: ${count(v.violations)}`,
    ]);
  const byLabel = new Map((l.groups ?? []).map((g) => [g.label, g]));
  const groups = c.groups
    ? {
        head: [
          "group",
          "rows",
          "consistency",
          "interval",
          "pairs",
          "identical, treated differently",
          ...(v ? ["violations"] : []),
        ],
        rows: c.groups.map((g) => {
          const p = byLabel.get(g.label);
          return [
            g.label,
            count(g.rows),
            num(g.consistency),
            interval([1 - g.interval[1], 1 - g.interval[0]]),
            count(p?.pairs ?? 0),
            count(p?.identical_treated_differently ?? 0),
            ...(v ? [pct(p?.violations?.rate)] : []),
          ];
        }),
      }
    : null;
  const worst = {
    head: ["rows", "distance", `|Δ ${l.output}|`, "ratio", "they differ in"],
    rows: l.worst.map((p) => {
      const diff = Object.entries(p.values ?? {}).filter(([, [a, b]]) => String(a) !== String(b));
      return [
        `${p.a + 1} and ${p.b + 1}`,
        num(p.distance),
        num(p.delta),
        ratioText(p.ratio),
        p.values === undefined
          ? "—"
          : diff.length === 0
            ? "nothing: identical in every feature"
            : diff.map(([k, [a, b]]) => `${k} ${String(a)} / ${String(b)}`).join(", "),
      ];
    }),
  };
  return {
    note: `${count(section.rows)} rows; distance on ${section.features.join(", ")} (${section.encoded_features} columns after one-hot encoding, numeric ones standardised; ${l.metric === "fair" ? `the ${l.directions ?? 0} direction(s) predicting the sensitive attribute projected out` : `${l.metric} distance`}). Rows are counted from 1 among the rows audited. The distance is a judgement: what it leaves out, it cannot see.${l.warnings.map((w) => ` Warning: ${w}.`).join("")}`,
    summary: { head: ["measure", "value", "meaning"], rows: summary },
    groups,
    worst,
  };
}

/**
 * The subgroup search's counts in one sentence, the same in every renderer (issue 20: the Markdown
 * said "36 tested, 26 significant" and listed 8, without the refinements and skips that explain it).
 */
export function subgroupCounts(s: SubgroupDiscoveryResult): string {
  const reported = s.significant_count - s.explained_count;
  const listed = s.top.length;
  const parts = [
    `${s.tested} subgroups tested, ${s.skipped} skipped (fewer than ${s.min_support} rows, or the metric undefined).`,
    `${s.significant_count} significant`,
  ];
  if (s.explained_count > 0)
    parts[1] += `, of which ${s.explained_count} are refinements explained by a more general subgroup, leaving ${reported}`;
  parts[1] +=
    listed === reported
      ? reported > 0
        ? `, all listed below.`
        : "."
      : `; the ${listed} with the largest gaps are listed below.`;
  return parts.join(" ");
}

/** An LL144 table's heading, naming the column it reads: "Sex (gender)", "Race/ethnicity (race)". */
export function ll144Title(dimension: string, ll: { sex: string; race_ethnicity: string }): string {
  return dimension === "sex"
    ? `Sex (${ll.sex})`
    : dimension === "race_ethnicity"
      ? `Race/ethnicity (${ll.race_ethnicity})`
      : "Intersectional: sex × race/ethnicity";
}

/**
 * Without an exclusion, the categories under 2% of the data an LL144 table still compares, and
 * what the rules allow (issue 20: race was compared to an 11-row category and nothing said so);
 * null when there are none, or when they are already excluded.
 */
export function ll144SmallNote(table: LL144Table, excluding: boolean): string | null {
  if (excluding) return null;
  const small = table.rows.filter((r) => r.share < 0.02);
  if (small.length === 0) return null;
  return `${small.length} categor${small.length === 1 ? "y is" : "ies are"} under 2% of the data and compared here: ${small
    .map((r) => `${r.category} (${count(r.count)}, ${pct(r.share)})`)
    .join(
      ", ",
    )}. The rules allow leaving categories under 2% out of the impact ratios with a justification (card file: ll144.exclusion_justification); their rates rest on few people.`;
}
