/**
 * Datasheet facts for the evaluation data (after Gebru et al., "Datasheets for Datasets"): what
 * can be counted is counted — rows, missing values per column, group representation (and the gap
 * to reference population shares when given), base rates per group — and the user's answers to
 * the datasheet's questions (motivation, composition, collection, preprocessing, uses,
 * distribution, maintenance) are carried alongside, unchanged.
 */
import { type CategoricalColumn, isCategorical } from "../core/groups.js";
import type { BiasSourcesResult } from "./bias-sources.js";

/** One column's profile. */
export interface ColumnProfile {
  name: string;
  /** Storage type as the reader saw it (e.g. `VARCHAR`, `BIGINT`, `number`). */
  type: string;
  /** Missing values. */
  missing: number;
  /** Missing share of the rows. */
  missing_share: number;
  /** Distinct present values (exact for in-memory columns; the file reader may approximate). */
  distinct: number | null;
}

/** The datasheet questions of Gebru et al., by section, for the answers' headings. */
export const DATASHEET_SECTIONS = [
  "motivation",
  "composition",
  "collection_process",
  "preprocessing",
  "uses",
  "distribution",
  "maintenance",
] as const;

/** The assembled datasheet. */
export interface Datasheet {
  rows: number;
  columns: ColumnProfile[];
  representation: BiasSourcesResult["representation"];
  base_rates: BiasSourcesResult["historical"];
  /** Section (or question) → answer, as the card file gave them. */
  answers: { section: string; question: string | null; answer: string }[];
  /** Sections with no answer. */
  unanswered: string[];
}

function isMissing(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === "number" && Number.isNaN(v)) ||
    (typeof v === "string" && v.trim() === "")
  );
}

/**
 * Profiles in-memory columns: type, missing values (null, undefined, NaN, empty text) and distinct values.
 *
 * @example
 * profileColumns({ age: [30, null, 41] }, 3); // [{ name: "age", type: "number", missing: 1, missing_share: 1/3, distinct: 2 }]
 */
export function profileColumns(
  columns: Readonly<Record<string, ArrayLike<unknown> | CategoricalColumn>>,
  rows?: number,
): ColumnProfile[] {
  return Object.entries(columns).map(([name, column]) => {
    // A categorical column is profiled through its values (a negative code is missing).
    const values: ArrayLike<unknown> = isCategorical(column)
      ? Array.from(column.codes, (c) => (c >= 0 ? column.levels[c] : null))
      : column;
    const n = rows ?? values.length;
    let missing = 0;
    const distinct = new Set<unknown>();
    let type = "";
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (isMissing(v)) missing++;
      else {
        distinct.add(v);
        if (type === "") type = typeof v;
        else if (type !== typeof v) type = "mixed";
      }
    }
    return {
      name,
      type: type || "empty",
      missing,
      missing_share: n > 0 ? missing / n : Number.NaN,
      distinct: distinct.size,
    };
  });
}

/** Assembles the datasheet from counted facts and the user's answers. */
export function buildDatasheet(
  rows: number,
  columns: ColumnProfile[],
  bias: Pick<BiasSourcesResult, "representation" | "historical">,
  answers: Readonly<Record<string, string | Readonly<Record<string, string>>>> = {},
): Datasheet {
  const flat: Datasheet["answers"] = [];
  for (const [section, answer] of Object.entries(answers)) {
    if (typeof answer === "string") flat.push({ section, question: null, answer });
    else
      for (const [question, text] of Object.entries(answer ?? {}))
        flat.push({ section, question, answer: String(text) });
  }
  const answered = new Set(flat.map((a) => a.section));
  return {
    rows,
    columns,
    representation: bias.representation,
    base_rates: bias.historical,
    answers: flat,
    unanswered: DATASHEET_SECTIONS.filter((s) => !answered.has(s)),
  };
}

/**
 * Column profiles from one aggregate row: `count(*)`, then per column `count(col)` and
 * `count(DISTINCT col)` (as a file's DuckDB query and a database's query both return it).
 */
export function profilesOfRow(
  columns: readonly { name: string; type: string }[],
  row: readonly unknown[],
): ColumnProfile[] {
  const total = Number(row[0]);
  return columns.map((col, j) => {
    const missing = total - Number(row[1 + 2 * j]);
    return {
      name: col.name,
      type: col.type,
      missing,
      missing_share: total > 0 ? missing / total : Number.NaN,
      distinct: Number(row[2 + 2 * j]),
    };
  });
}
