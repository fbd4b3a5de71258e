/**
 * The NYC Local Law 144 summary of results (6 RCNY §5-303): what a published summary of a bias
 * audit carries besides the impact-ratio tables of ll144.ts — the date of the audit, the
 * distribution date of the tool, the source and kind of the data (historical or test data, and
 * why test data), the number of individuals in each category and in an unknown category, the
 * auditor and their independence, and how the data's values map to the EEO-1 Component 1
 * categories the rules define "category" by (§5-300).
 *
 * What only the user knows comes from the card file's `ll144` block and is never invented: a field
 * left out is listed in `missing` with the rule that asks for it, and the renderers mark it. What
 * the data can tell is counted here: every distinct value of the sex and race/ethnicity columns,
 * its rows, and the category it counts in (its EEO-1 category under `ll144.eeo1_mapping`, the
 * value itself without one) or why it is unknown (missing, listed in `ll144.unknown_values`, or
 * mapped to "unknown"). With a mapping, the LL144 tables are computed over the EEO-1 categories
 * ({@link prepareLL144Columns} recodes the columns), so two values of one category count together.
 *
 * The messages of the checks are built here (the card file's schema problems are the schema
 * checker's), each naming the card file and the field.
 */
import { FairkitError, messages } from "../core/errors.js";
import { type CategoricalColumn, type Column, encodeGroups, type Level, levelLabel } from "../core/groups.js";
import { EEO1_RACE_ETHNICITY_CATEGORIES, EEO1_SEX_CATEGORIES, EEO1_UNKNOWN } from "../schemas/card.js";
import type { DecisionMeaning } from "./decision.js";
import { isUnknownCategory, type LL144Result, ll144Tables, unknownValueSet } from "./ll144.js";

/** The card file's `ll144` block (every field optional). */
export interface LL144Card {
  /** Why categories under 2% are left out of the impact ratios (required to exclude them). */
  exclusion_justification?: string;
  /** The share under which a category is excluded (default 0.02, at most 0.02). */
  exclusion_share?: number;
  /** Values meaning "unknown" (compared as text, without regard to case); default `["unknown"]`. */
  unknown_values?: readonly string[];
  /** The date of the bias audit, YYYY-MM-DD (§5-303(a)(1)). */
  audit_date?: string;
  /** The distribution date of the tool, YYYY-MM-DD (§5-303(a)(2)). */
  distribution_date?: string;
  /** The source and explanation of the data (§5-303(a)(1)). */
  data_source?: string;
  /** Historical data (the tool's own use) or test data (§5-302). */
  data_kind?: "historical" | "test";
  /** With test data: why historical data was not used, and how the test data were made (§5-302(b)). */
  test_data_reason?: string;
  /** The auditor, whether they are independent (§5-300), and their statement of it. */
  auditor?: { name?: string; independent?: boolean; statement?: string };
  /** Each dimension's values as the data writes them → EEO-1 Component 1 category, or "unknown". */
  eeo1_mapping?: { sex?: Readonly<Record<string, string>>; race_ethnicity?: Readonly<Record<string, string>> };
}

/** The two LL144 dimensions that have a column each. */
export type LL144Dimension = "sex" | "race_ethnicity";

/** Why a value's category is unknown. */
export type UnknownReason = "missing" | "unknown_value" | "mapped_unknown";

/** One distinct value of an LL144 column: its rows and the category it counts in. */
export interface LL144ValueRow {
  /** The value as the data holds it; null for a missing value. */
  value: Level | null;
  rows: number;
  /** The category it counts in (its EEO-1 category with a mapping, else the value); null when unknown. */
  category: string | null;
  /** Why it is unknown; null when it counts in a category. */
  unknown: UnknownReason | null;
}

/** The values of one LL144 column and the categories they count in. */
export interface LL144ColumnValues {
  dimension: LL144Dimension;
  column: string;
  /** True when `ll144.eeo1_mapping` maps this column's values to EEO-1 categories. */
  mapped: boolean;
  values: LL144ValueRow[];
  /** With a mapping: the EEO-1 categories no value of the data maps to (nobody assessed in them). */
  empty_categories: string[];
}

/** The individuals one LL144 table counts: all assessed, in a category, in an unknown category. */
export interface LL144Total {
  dimension: "sex" | "race_ethnicity" | "intersectional";
  columns: string[];
  assessed: number;
  in_categories: number;
  unknown: number;
}

/** A fact the summary needs that the card file does not give. */
export interface LL144MissingField {
  /** Where the card file would give it, e.g. `ll144.audit_date`. */
  field: string;
  /** What it is, e.g. "the date of the bias audit". */
  what: string;
  /** The rule that asks for it (e.g. "6 RCNY §5-303(a)(1)"), or null when no rule does. */
  rule: string | null;
}

/** The summary of results (6 RCNY §5-303). */
export interface LL144Summary {
  basis: string;
  /** The tool (AEDT), from the card file's model details. */
  tool: { name: string | null; version: string | null };
  audit_date: string | null;
  distribution_date: string | null;
  /** When this report was generated (not the audit date unless the card says so). */
  report_date: string;
  /** What a positive decision (a high score) means for the person: the rates are of the favourable outcome. */
  positive_decision: DecisionMeaning;
  data: {
    source: string | null;
    kind: "historical" | "test" | null;
    test_data_reason: string | null;
    files: { name: string; sha256: string | null; rows: number }[];
  };
  auditor: { name: string | null; independent: boolean | null; statement: string | null };
  totals: LL144Total[];
  categories: LL144ColumnValues[];
  missing: LL144MissingField[];
  /** What the card file states that the rules do not allow, e.g. an auditor who is not independent. */
  warnings: string[];
}

/** The rules the summary answers to. */
export const LL144_SUMMARY_BASIS =
  "6 RCNY §5-303(a): before its use, the date of the most recent bias audit of the tool and a summary of its results (the source and explanation of the data, the number of individuals assessed in an unknown category, and for every category the number of applicants or candidates, the selection or scoring rate and the impact ratio), and the distribution date of the tool";

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Checks what the card file's schema cannot: the dates are calendar dates written YYYY-MM-DD.
 * `file` names the card file in the message (`card file card.yaml`).
 */
export function checkLL144Card(ll144: LL144Card | undefined, file: string): void {
  if (!ll144) return;
  for (const field of ["audit_date", "distribution_date"] as const) {
    const value = ll144[field];
    if (value !== undefined && !isCalendarDate(value.trim()))
      throw new FairkitError("BAD_ARGUMENT", messages.badDate(file, `ll144.${field}`, value), {
        argument: `ll144.${field}`,
      });
  }
}

/** The EEO-1 categories of a dimension, in the EEO-1 report's order. */
function categoriesOf(dimension: LL144Dimension): readonly string[] {
  return dimension === "sex" ? EEO1_SEX_CATEGORIES : EEO1_RACE_ETHNICITY_CATEGORIES;
}

/** One column's values, counted, with their categories; and the column recoded to EEO-1 categories under a mapping. */
function columnValues(
  dimension: LL144Dimension,
  name: string,
  column: Column,
  card: LL144Card,
  file: string,
  rows: number,
): { values: LL144ColumnValues; column: Column } {
  const unknown = unknownValueSet(card.unknown_values);
  const given = card.eeo1_mapping?.[dimension];
  const mapping = given ? new Map(Object.entries(given).map(([k, v]) => [k.trim(), v])) : undefined;
  const encoding = encodeGroups({ [name]: column }, rows, "sex");
  const counts = new Float64Array(encoding.groups.length);
  for (let i = 0; i < encoding.codes.length; i++) counts[encoding.codes[i]]++;
  const known = categoriesOf(dimension);
  const unmapped: string[] = [];
  const values: LL144ValueRow[] = encoding.groups.map((g, k) => {
    const value = g.values[name] ?? null;
    const text = value === null ? "" : String(value).trim();
    const category = mapping?.get(text);
    if (value === null || text === "") return { value, rows: counts[k], category: null, unknown: "missing" };
    if (isUnknownCategory(value, unknown)) {
      if (category !== undefined && category !== EEO1_UNKNOWN)
        throw new FairkitError("BAD_ARGUMENT", messages.unknownButMapped(file, dimension, text, category), {
          argument: `ll144.eeo1_mapping.${dimension}`,
        });
      return { value, rows: counts[k], category: null, unknown: "unknown_value" };
    }
    if (!mapping) return { value, rows: counts[k], category: levelLabel(value), unknown: null };
    if (category === undefined) {
      unmapped.push(text);
      return { value, rows: counts[k], category: null, unknown: null };
    }
    if (category === EEO1_UNKNOWN) return { value, rows: counts[k], category: null, unknown: "mapped_unknown" };
    if (!known.includes(category))
      throw new FairkitError("BAD_ARGUMENT", messages.wrongDimension(file, dimension, text, category, known), {
        argument: `ll144.eeo1_mapping.${dimension}`,
      });
    return { value, rows: counts[k], category, unknown: null };
  });
  if (unmapped.length > 0)
    throw new FairkitError("BAD_ARGUMENT", messages.unmappedValues(file, dimension, name, unmapped), {
      argument: `ll144.eeo1_mapping.${dimension}`,
    });
  const used = new Set(values.map((v) => v.category).filter((c): c is string => c !== null));
  let recoded: Column = column;
  if (mapping) {
    // The EEO-1 categories in the EEO-1 report's order; an unknown value is a missing code.
    const levels = known.filter((c) => used.has(c));
    const index = new Map(levels.map((c, j) => [c, j]));
    const codeOf = Int32Array.from(values, (v) => (v.category === null ? -1 : index.get(v.category)!));
    const codes = Int32Array.from(encoding.codes, (g) => codeOf[g]);
    recoded = { codes, levels } satisfies CategoricalColumn;
  }
  return {
    values: {
      dimension,
      column: name,
      mapped: mapping !== undefined,
      values,
      empty_categories: mapping ? known.filter((c) => !used.has(c)) : [],
    },
    column: recoded,
  };
}

/** The LL144 columns ready for {@link ll144Tables}, and what the summary says about their values. */
export interface PreparedLL144 {
  sex: Column;
  raceEthnicity: Column;
  categories: LL144ColumnValues[];
}

/**
 * The sex and race/ethnicity columns as the LL144 tables read them: recoded to EEO-1 categories
 * where the card file maps them (every value of the data must be mapped, or listed as unknown),
 * and each column's values counted with the category they count in. `file` names the card file
 * in messages.
 *
 * @example
 * const p = prepareLL144Columns({ sex: { name: "sex", column: ["F", "M", null] }, raceEthnicity: { name: "race", column: ["A", "B", "A"] },
 *   card: { eeo1_mapping: { sex: { F: "Female", M: "Male" } } }, rows: 3 });
 * p.categories[0].values.map((v) => v.category); // ["Female", "Male", null] (the third is missing)
 */
export function prepareLL144Columns(options: {
  sex: { name: string; column: Column };
  raceEthnicity: { name: string; column: Column };
  card?: LL144Card;
  rows: number;
  file?: string;
}): PreparedLL144 {
  const card = options.card ?? {};
  const file = options.file ?? "card";
  const sex = columnValues("sex", options.sex.name, options.sex.column, card, file, options.rows);
  const race = columnValues(
    "race_ethnicity",
    options.raceEthnicity.name,
    options.raceEthnicity.column,
    card,
    file,
    options.rows,
  );
  return { sex: sex.column, raceEthnicity: race.column, categories: [sex.values, race.values] };
}

/** What {@link buildLL144Summary} reads. */
export interface LL144SummaryInput {
  card?: LL144Card;
  /** The tool's name and version (the card file's model details). */
  tool?: { name?: string; version?: string };
  /** The tables (selection or scoring; their counts are the same). */
  result: LL144Result;
  categories: LL144ColumnValues[];
  generatedAt: string;
  files: readonly { name: string; sha256: string | null; rows: number }[];
  positiveDecision: DecisionMeaning;
}

/**
 * The summary of results: the card file's facts (or what is missing of them), the counts per
 * table, and the categories of the data's values.
 *
 * @example
 * const summary = buildLL144Summary({ card: card.ll144, result: tables, categories: prepared.categories, generatedAt, files });
 * summary.missing.map((m) => m.field); // ["ll144.audit_date", …] when the card file does not give them
 */
export function buildLL144Summary(input: LL144SummaryInput): LL144Summary {
  const card = input.card ?? {};
  const text = (s: string | undefined) => (s === undefined || s.trim() === "" ? null : s.trim());
  const missing: LL144MissingField[] = [];
  const need = (value: unknown, field: string, what: string, rule: string | null) => {
    if (value === null || value === undefined) missing.push({ field, what, rule });
  };
  const tool = { name: text(input.tool?.name), version: text(input.tool?.version) };
  const auditor = {
    name: text(card.auditor?.name),
    independent: card.auditor?.independent ?? null,
    statement: text(card.auditor?.statement),
  };
  const data = {
    source: text(card.data_source),
    kind: card.data_kind ?? null,
    test_data_reason: text(card.test_data_reason),
    files: input.files.map((f) => ({ name: f.name, sha256: f.sha256, rows: f.rows })),
  };
  need(tool.name, "model_details.name", "the name of the tool (AEDT)", null);
  need(text(card.audit_date), "ll144.audit_date", "the date of the bias audit", "6 RCNY §5-303(a)(1)");
  need(
    text(card.distribution_date),
    "ll144.distribution_date",
    "the distribution date of the tool",
    "6 RCNY §5-303(a)(2)",
  );
  need(data.source, "ll144.data_source", "the source and explanation of the data", "6 RCNY §5-303(a)(1)");
  need(data.kind, "ll144.data_kind", "whether the data are historical or test data", "6 RCNY §5-302");
  if (data.kind === "test")
    need(
      data.test_data_reason,
      "ll144.test_data_reason",
      "why historical data was not used, and how the test data were generated and obtained",
      "6 RCNY §5-302(b)",
    );
  need(auditor.name, "ll144.auditor.name", "the independent auditor", "6 RCNY §5-300, §5-301");
  need(
    auditor.independent,
    "ll144.auditor.independent",
    "whether the auditor is independent",
    "6 RCNY §5-300 (independent auditor)",
  );
  need(auditor.statement, "ll144.auditor.statement", "the auditor's statement of independence", "6 RCNY §5-300");
  for (const c of input.categories)
    if (!c.mapped)
      missing.push({
        field: `ll144.eeo1_mapping.${c.dimension}`,
        what: `the EEO-1 Component 1 category of each value of ${c.column}`,
        rule: "6 RCNY §5-300 (category)",
      });
  const warnings: string[] = [];
  if (auditor.independent === false)
    warnings.push(
      "the card file says the auditor is not independent: a bias audit must be conducted by an independent auditor (6 RCNY §5-300: not involved in using, developing or distributing the tool, not employed by the employer or vendor, no financial interest in either)",
    );
  if (data.kind === "historical" && data.test_data_reason !== null)
    warnings.push("the card file gives ll144.test_data_reason, but ll144.data_kind is historical");
  return {
    basis: LL144_SUMMARY_BASIS,
    tool,
    audit_date: text(card.audit_date),
    distribution_date: text(card.distribution_date),
    report_date: input.generatedAt,
    positive_decision: input.positiveDecision,
    data,
    auditor,
    totals: input.result.tables.map((t) => ({
      dimension: t.dimension,
      columns: [...t.columns],
      assessed: input.result.total,
      in_categories: t.rows.reduce((s, r) => s + r.count, 0),
      unknown: t.unknown_count,
    })),
    categories: input.categories,
    missing,
    warnings,
  };
}

/** The LL144 section of a report: the selection and scoring tables, the columns read, the summary of results. */
export interface LL144Section {
  /** Selection rates of the decisions (null in a regression's report, which has scores only). */
  selection: LL144Result | null;
  /** Scoring rates of the scores (null without scores). */
  scoring: LL144Result | null;
  /** The column read as sex. */
  sex: string;
  /** The column read as race/ethnicity. */
  race_ethnicity: string;
  summary: LL144Summary;
}

/** What {@link buildLL144Section} reads. */
export interface LL144SectionInput {
  sensitiveFeatures: Readonly<Record<string, Column>>;
  /** The sensitive columns in their order (the intersection's labels follow it). */
  sensitive: readonly string[];
  columns: { sex: string; raceEthnicity: string };
  /** Decisions (1 = selected) for the selection rates. */
  selected?: Parameters<typeof ll144Tables>[0]["selected"];
  /** Scores for the scoring rates. */
  scores?: Parameters<typeof ll144Tables>[0]["scores"];
  card?: LL144Card;
  tool?: { name?: string; version?: string };
  level: number;
  positiveDecision: DecisionMeaning;
  generatedAt: string;
  files: readonly { name: string; sha256: string | null; rows: number }[];
  /** The card file's name, for messages (`card file card.yaml`). */
  cardName?: string;
  rows: number;
}

/**
 * The LL144 section of the binary report and of a regression's report: the columns prepared
 * (EEO-1 categories, unknowns), the selection and/or scoring tables over them, and the summary.
 *
 * @example
 * const ll = buildLL144Section({ sensitiveFeatures: { sex, race }, sensitive: ["sex", "race"], columns: { sex: "sex", raceEthnicity: "race" },
 *   selected, level: 0.95, positiveDecision: "favourable", generatedAt, files, rows: sex.length });
 * ll.summary.totals[1].unknown; // individuals whose race is unknown
 */
export function buildLL144Section(input: LL144SectionInput): LL144Section {
  const { sex, raceEthnicity } = input.columns;
  const card = input.card ?? {};
  const prepared = prepareLL144Columns({
    sex: { name: sex, column: input.sensitiveFeatures[sex] },
    raceEthnicity: { name: raceEthnicity, column: input.sensitiveFeatures[raceEthnicity] },
    card,
    rows: input.rows,
    file: input.cardName ? `card file ${input.cardName}` : "card",
  });
  const justification = card.exclusion_justification;
  const common = {
    sex: prepared.sex,
    raceEthnicity: prepared.raceEthnicity,
    columnNames: { sex, raceEthnicity },
    // Intersections read in the order of the sensitive columns, as in every other section.
    intersectionOrder:
      input.sensitive.indexOf(raceEthnicity) < input.sensitive.indexOf(sex)
        ? ("race_first" as const)
        : ("sex_first" as const),
    unknownValues: card.unknown_values,
    exclude: justification ? { justification, share: card.exclusion_share } : undefined,
    level: input.level,
    positiveDecision: input.positiveDecision,
  };
  const selection = input.selected === undefined ? null : ll144Tables({ ...common, selected: input.selected });
  const scoring = input.scores === undefined ? null : ll144Tables({ ...common, scores: input.scores });
  const result = (selection ?? scoring)!;
  return {
    selection,
    scoring,
    sex,
    race_ethnicity: raceEthnicity,
    summary: buildLL144Summary({
      card,
      tool: input.tool,
      result,
      categories: prepared.categories,
      generatedAt: input.generatedAt,
      files: input.files,
      positiveDecision: input.positiveDecision,
    }),
  };
}
