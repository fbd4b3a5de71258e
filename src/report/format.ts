/** Number and text formatting shared by the HTML and Markdown renderers, so both show the same digits (and the same tables, where a section has them). */
import type { LL144Result, LL144Table } from "../audit/ll144.js";
import type { LL144ColumnValues, LL144MissingField, LL144Summary, LL144Total } from "../audit/ll144-summary.js";
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

/** An LL144 table's heading, naming the columns it reads: "Sex (gender)", "Race/ethnicity (race)", "Intersection: race × sex". */
export function ll144Title(table: Pick<LL144Table, "dimension" | "columns">): string {
  return table.dimension === "sex"
    ? `Sex (${table.columns[0]})`
    : table.dimension === "race_ethnicity"
      ? `Race/ethnicity (${table.columns[0]})`
      : `Intersection: ${table.columns.join(" × ")}`;
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

/** How a fact the card file does not give is shown: never left blank, never invented. */
export function missingMarker(m: Pick<LL144MissingField, "field" | "rule">): string {
  return m.rule
    ? `not given — the rules require it (${m.rule}; card file: ${m.field})`
    : `not given (card file: ${m.field})`;
}

/** One line of the LL144 summary's facts: a label and its text, or the marker of a missing field. */
export interface SummaryFact {
  label: string;
  text: string;
  missing: boolean;
}

/** The facts of the LL144 summary of results, in the order a reader looks for them (both renderers show these). */
export function ll144Facts(s: LL144Summary, total: number, toolVersion: string): SummaryFact[] {
  const byField = new Map(s.missing.map((m) => [m.field, m]));
  const fact = (label: string, value: string | null, field: string): SummaryFact => {
    const m = byField.get(field);
    return value !== null
      ? { label, text: value, missing: false }
      : { label, text: missingMarker(m ?? { field, rule: null }), missing: true };
  };
  const facts: SummaryFact[] = [
    fact(
      "tool (AEDT)",
      s.tool.name === null ? null : `${s.tool.name}${s.tool.version ? ` (version ${s.tool.version})` : ""}`,
      "model_details.name",
    ),
    fact("date of the bias audit", s.audit_date, "ll144.audit_date"),
    fact("distribution date of the tool", s.distribution_date, "ll144.distribution_date"),
    fact("source and explanation of the data", s.data.source, "ll144.data_source"),
    fact(
      "kind of data",
      s.data.kind === null ? null : s.data.kind === "historical" ? "historical data" : "test data",
      "ll144.data_kind",
    ),
  ];
  if (s.data.kind === "test") facts.push(fact("why test data", s.data.test_data_reason, "ll144.test_data_reason"));
  for (const f of s.data.files)
    facts.push({
      label: "data file",
      text: `${f.name}: ${count(f.rows)} rows, SHA-256 ${f.sha256 ?? "not computed"}`,
      missing: false,
    });
  facts.push({ label: "individuals assessed", text: count(total), missing: false });
  facts.push(fact("auditor", s.auditor.name, "ll144.auditor.name"));
  facts.push(
    fact(
      "independence",
      s.auditor.independent === null
        ? null
        : s.auditor.independent
          ? "independent"
          : "NOT independent, by the card file",
      "ll144.auditor.independent",
    ),
  );
  facts.push(fact("statement of independence", s.auditor.statement, "ll144.auditor.statement"));
  facts.push({ label: "report generated", text: `${s.report_date} by fairkit ${toolVersion}`, missing: false });
  return facts;
}

const UNKNOWN_WORDS: Record<string, string> = {
  missing: "missing value",
  unknown_value: "listed in ll144.unknown_values",
  mapped_unknown: "mapped to unknown",
};

/** A value of an LL144 column as the tables show it: its label, or "(missing)". */
function valueText(value: LL144ColumnValues["values"][number]["value"]): string {
  return value === null ? "(missing)" : value === "" ? '""' : String(value);
}

/** The sentence under an LL144 table: how many are in an unknown category, and why. */
export function ll144UnknownText(total: LL144Total, categories: readonly LL144ColumnValues[]): string {
  const head = `Unknown category: ${count(total.unknown)} of ${count(total.assessed)} individuals`;
  if (total.dimension === "intersectional")
    return `${head} (unknown ${total.columns.join(" or ")}); ${count(total.in_categories)} in a category.`;
  const values = categories.find((c) => c.dimension === total.dimension)?.values ?? [];
  const why = values
    .filter((v) => v.unknown !== null)
    .map((v) =>
      v.unknown === "missing"
        ? `missing: ${count(v.rows)}`
        : `${valueText(v.value)}: ${count(v.rows)}, ${UNKNOWN_WORDS[v.unknown!]}`,
    );
  return `${head}${why.length ? ` (${why.join("; ")})` : ""}; ${count(total.in_categories)} in a category.`;
}

/** The rows of the values → categories table: column, value, rows, the category it counts in. */
export function ll144CategoryRows(categories: readonly LL144ColumnValues[]): string[][] {
  return categories.flatMap((c) =>
    c.values.map((v) => [
      c.column,
      valueText(v.value),
      count(v.rows),
      v.category !== null
        ? c.mapped
          ? v.category
          : `${v.category} (not mapped to EEO-1)`
        : `unknown (${UNKNOWN_WORDS[v.unknown ?? "missing"]})`,
    ]),
  );
}

/** Under the values → categories table: which columns have no EEO-1 mapping (`missing`), and the EEO-1 categories nobody is in. */
export function ll144MappingNotes(s: LL144Summary): { text: string; missing: boolean }[] {
  const notes: { text: string; missing: boolean }[] = [];
  for (const c of s.categories) {
    if (!c.mapped) {
      const m = s.missing.find((x) => x.field === `ll144.eeo1_mapping.${c.dimension}`);
      notes.push({
        text: `EEO-1 categories of ${c.column}: ${missingMarker(m ?? { field: `ll144.eeo1_mapping.${c.dimension}`, rule: null })}; the values are used as they are.`,
        missing: true,
      });
    } else if (c.empty_categories.length > 0)
      notes.push({
        text: `EEO-1 categories with nobody assessed (no value of ${c.column} maps to them): ${c.empty_categories.join("; ")}.`,
        missing: false,
      });
  }
  return notes;
}

/** The name of an LL144 rate column: "selection rate", or the outcome it counts when that is not being selected. */
function rateHead(result: LL144Result): string {
  if (result.kind === "selection") return result.outcome === "selected" ? "selection rate" : `rate (${result.outcome})`;
  return result.outcome === "scoring above the median" ? "scoring rate" : "scoring rate (below the median)";
}

/** What the rates of the one-page summary count, and under which rule (both renderers show these lines). */
export function ll144RateNotes(
  selection: LL144Result | null,
  scoring: LL144Result | null,
  positiveDecision: "favourable" | "unfavourable",
): string[] {
  const first = (selection ?? scoring)!;
  const lines: string[] = [];
  const parts: string[] = [];
  if (selection) parts.push(`selection rate: the share of a category ${selection.outcome} (6 RCNY §5-301(a))`);
  if (scoring)
    parts.push(
      `scoring rate: the share of a category ${scoring.outcome.replace("the median", `the sample median, ${num(scoring.median)}`)} (§5-301(c))`,
    );
  parts.push("impact ratio: a category's rate ÷ the highest rate among the categories compared (§5-301(b), (d))");
  lines.push(`${parts.map((p, k) => (k === 0 ? p[0].toUpperCase() + p.slice(1) : p)).join("; ")}.`);
  if (positiveDecision === "unfavourable")
    lines.push(
      `The tool's positive decision is a burden here (--positive-decision unfavourable), so the rates are of the favourable outcome (${[selection && "not being selected", scoring && "scoring below the median"].filter(Boolean).join(", ")}); the lowest impact ratio marks the disadvantaged category either way.`,
    );
  if (first.exclusion)
    lines.push(
      `Categories under ${pct(first.exclusion.share)} of the data are excluded from the impact ratios; their counts and rates are shown. Justification: ${first.exclusion.justification}`,
    );
  return lines;
}

/** The combined LL144 table of the one-page summary: each category's counts, selection rate and/or scoring rate, impact ratios. */
export function ll144SummaryTable(
  selection: LL144Result | null,
  scoring: LL144Result | null,
  index: number,
): { head: string[]; rows: string[][] } {
  const first = (selection ?? scoring)!;
  const t = first.tables[index];
  const other = scoring?.tables[index];
  const ratio = (r: { impact_ratio: number; excluded: boolean }) => (r.excluded ? "excluded" : num(r.impact_ratio));
  const head = ["category", "applicants"];
  if (selection) head.push(selection.outcome, rateHead(selection), "impact ratio");
  if (scoring)
    head.push(
      ...(selection
        ? [rateHead(scoring), "impact ratio (scoring)"]
        : [scoring.outcome, rateHead(scoring), "impact ratio"]),
    );
  const rows = t.rows.map((r) => {
    const cells = [r.category, count(r.count)];
    if (selection) cells.push(count(r.positives), num(r.rate), ratio(r));
    if (scoring) {
      const s = selection ? other!.rows.find((x) => x.category === r.category)! : r;
      if (!selection) cells.push(count(s.positives));
      cells.push(num(s.rate), ratio(s));
    }
    return cells;
  });
  return { head, rows };
}

/** The line above the summary's facts when some are not given: how many, and that each is marked. */
export function ll144MissingLine(s: LL144Summary): string | null {
  const required = s.missing.filter((m) => m.rule !== null).length;
  if (s.missing.length === 0) return null;
  return `${s.missing.length} ${s.missing.length === 1 ? "fact is" : "facts are"} not given in the card file${required === s.missing.length ? "" : ` (${required} of them required by the rules)`}; each is marked where it belongs.`;
}
