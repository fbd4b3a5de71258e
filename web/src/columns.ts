/**
 * A loaded column as the core wants it: its text values, its levels in the core's order, and as a
 * categorical sensitive column. The dashboard's binary audit and its regression and multiclass
 * audits read columns through these, so a value means the same in each.
 */
import { type CategoricalColumn, type Level, compareLevels } from "../../src/internal.js";
import type { LoadedColumn } from "./table-data.js";

/** Text values of a column (null where empty): dictionary values, or numbers as text. */
export function textValues(c: LoadedColumn): (string | null)[] {
  const out: (string | null)[] = new Array(c.numbers.length);
  if (c.codes && c.levels) for (let i = 0; i < out.length; i++) out[i] = c.codes[i] < 0 ? null : c.levels[c.codes[i]];
  else for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(c.numbers[i]) ? null : String(c.numbers[i]);
  return out;
}

/** A column's distinct values in the core's level order. */
export function sortedLevels(c: LoadedColumn): string[] {
  return [...(c.levels ?? [])].sort(compareLevels);
}

/** A sensitive column as categorical codes: the file's text values, in the core's level order. */
export function sensitiveColumn(c: LoadedColumn): CategoricalColumn {
  if (!c.codes || !c.levels)
    throw new Error(`column ${JSON.stringify(c.name)} has too many distinct values to be a sensitive feature`);
  const levels: Level[] = [...c.levels];
  const order = levels.map((_, k) => k).sort((a, b) => compareLevels(levels[a], levels[b]));
  const rank = new Int32Array(levels.length);
  order.forEach((k, r) => {
    rank[k] = r;
  });
  const codes = new Int32Array(c.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = c.codes[i] < 0 ? -1 : rank[c.codes[i]];
  return { codes, levels: order.map((k) => levels[k]) };
}
