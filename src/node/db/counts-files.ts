/**
 * Counts as files: the result of the cells query a user ran themselves in a warehouse console
 * (CSV, Parquet or JSON with the columns `--print-sql` names), and fairkit's own counts document
 * (`fairkit.counts`, written by `fairkit counts` and `fairkit merge`). Both become the same
 * checked counts the file and database readers return, so `fairkit audit --from-counts FILE`
 * is the audit of the rows those counts came from.
 *
 * Merging is exact: counts of disjoint row sets add cell by cell, groups matched by their value
 * tuples (`mergeConfusion`), so the audit of merged shards equals the audit of their union.
 */
import { readFile } from "node:fs/promises";
import {
  type ConfusionTable,
  type ConfusionTableJSON,
  compareLevels,
  confusionFromJSON,
  confusionToJSON,
  FairkitError,
  type Level,
  mergeConfusion,
} from "fairkit/internal";
import type { CountsRead } from "../io/cells.js";
import { cellRowsOf, countsFromCells } from "../io/cells.js";
import type { ColumnRoles } from "../io/columns.js";
import { withDuckDB } from "../io/duckdb.js";
import { openSource, requireColumns, type SourceOptions } from "../io/source.js";
import { sqlIdentifier } from "../io/sql.js";
import { CELL_COLUMNS } from "./cells-query.js";

/** What a counts document says about where its counts came from. */
export interface CountsInput {
  sources: string[];
  rows: number;
  where: string | null;
  y_true: string | null;
  y_pred: string | null;
  score: string | null;
  threshold: number | null;
  weight: string | null;
  pos_label: string | null;
  nulls: Record<string, number>;
}

/** The counts document with fairkit's `input` block. */
export type CountsDocument = ConfusionTableJSON & { tool?: { name: "fairkit"; version: string }; input?: CountsInput };

/** A counts document for counts read from a source. */
export function countsDocument(
  counts: CountsRead,
  input: Omit<CountsInput, "rows" | "nulls">,
  version: string,
): CountsDocument {
  return {
    ...confusionToJSON(counts.table),
    tool: { name: "fairkit", version },
    input: { ...input, rows: counts.rows, nulls: counts.nulls },
  };
}

/** Reads a `fairkit.counts` document (checked against its schema). */
export async function readCountsDocument(path: string): Promise<{ table: ConfusionTable; input?: CountsInput }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new FairkitError("BAD_FILE", `${path}: cannot read the counts document: ${why}`, { file: path });
  }
  const table = confusionFromJSON(json, path);
  return { table, input: (json as CountsDocument).input };
}

/** True when a file is a fairkit counts document rather than a query result. */
export async function isCountsDocument(path: string): Promise<boolean> {
  if (!/\.json$/i.test(path)) return false;
  try {
    const head = (await readFile(path, "utf8")).slice(0, 4096);
    return /"kind"\s*:\s*"fairkit\.counts"/.test(head);
  } catch {
    return false;
  }
}

/**
 * Merges counts documents exactly. Their columns must be the same sensitive columns; the
 * sources, rows and missing values add up, the filter is kept only when every document had the
 * same, and the other input fields (label, decision, score and threshold, weight) must agree.
 */
export function mergeCountsDocuments(
  docs: readonly { path: string; table: ConfusionTable; input?: CountsInput }[],
  version: string,
): CountsDocument {
  if (docs.length === 0) throw new FairkitError("BAD_ARGUMENT", "fairkit merge needs at least one counts file", {});
  const first = docs[0];
  let table = first.table;
  for (const doc of docs.slice(1)) {
    if (doc.table.columns.join("\u0000") !== first.table.columns.join("\u0000"))
      throw new FairkitError(
        "BAD_ARGUMENT",
        `${doc.path}: its groups are by ${doc.table.columns.join(", ")} but ${first.path}'s are by ${first.table.columns.join(", ")}; merge counts of the same sensitive columns`,
        { file: doc.path },
      );
    // Shards differ in their filters (a day, a partition), so `where` may differ; the rest may not.
    for (const key of ["y_true", "y_pred", "score", "threshold", "weight", "pos_label"] as const) {
      const a = first.input?.[key] ?? null;
      const b = doc.input?.[key] ?? null;
      if (a !== b)
        throw new FairkitError(
          "BAD_ARGUMENT",
          `${doc.path}: its ${key} is ${JSON.stringify(b)} but ${first.path}'s is ${JSON.stringify(a)}; merged counts must measure the same thing`,
          { file: doc.path, argument: key },
        );
    }
    table = mergeConfusion(table, doc.table);
  }
  // Groups in the core's order, whatever order the shards met them in.
  const order = table.groups
    .map((g, i) => ({ i, key: table.columns.map((c) => g.values[c]) }))
    .sort((a, b) => {
      for (let j = 0; j < a.key.length; j++) {
        const x = a.key[j];
        const y = b.key[j];
        if (x === y) continue;
        if (x === null) return 1;
        if (y === null) return -1;
        const c = compareLevels(x as Level, y as Level);
        if (c !== 0) return c;
      }
      return 0;
    });
  const sorted = confusionFromJSON({
    ...confusionToJSON(table),
    groups: order.map(({ i }) => confusionToJSON(table).groups[i]),
  });
  const nulls: Record<string, number> = {};
  for (const doc of docs) for (const [c, n] of Object.entries(doc.input?.nulls ?? {})) nulls[c] = (nulls[c] ?? 0) + n;
  const head = first.input;
  return {
    ...confusionToJSON(sorted),
    tool: { name: "fairkit", version },
    input: {
      sources: docs.flatMap((d) => d.input?.sources ?? [d.path]),
      rows: docs.reduce((s, d) => s + (d.input?.rows ?? rowsOf(d.table)), 0),
      // One filter when every shard had the same; otherwise each shard's is its own, and none holds for the union.
      where: docs.every((d) => (d.input?.where ?? null) === (head?.where ?? null)) ? (head?.where ?? null) : null,
      y_true: head?.y_true ?? null,
      y_pred: head?.y_pred ?? null,
      score: head?.score ?? null,
      threshold: head?.threshold ?? null,
      weight: head?.weight ?? null,
      pos_label: head?.pos_label ?? null,
      nulls,
    },
  };
}

function rowsOf(table: ConfusionTable): number {
  let rows = 0;
  for (let k = 2; k < table.data.length; k += 3) rows += table.data[k];
  return rows;
}

/** Counts from a counts document, as the readers return them (labels and decisions already 0/1). */
export function countsOfDocument(table: ConfusionTable, input: CountsInput | undefined): CountsRead {
  const levels: Record<string, Level[]> = {};
  for (const c of table.columns) {
    const seen = new Set<Level>();
    for (const g of table.groups) if (g.values[c] !== null) seen.add(g.values[c] as Level);
    levels[c] = [...seen].sort(compareLevels);
  }
  let unweighted = true;
  for (let k = 0; k < table.data.length && unweighted; k += 3)
    unweighted = table.data[k] === table.data[k + 2] && table.data[k + 1] === table.data[k + 2];
  const bits = { column: "", values: [0, 1], positives: [1], rule: "0/1" as const };
  return {
    table,
    rows: rowsOf(table),
    nulls: input?.nulls ?? {},
    yTrue: { ...bits, column: input?.y_true ?? "label" },
    yPred: { ...bits, column: input?.y_pred ?? "decision" },
    levels,
    unweighted,
  };
}

/**
 * Reads the result of the cells query (as `--print-sql` writes it) from a CSV, Parquet or JSON
 * file: the sensitive columns by name, then `fairkit_label`, `fairkit_decision`, `fairkit_rows`
 * and, when weighted, the weight columns. Labels and decisions map to 0/1 as in any audit
 * (`--pos-label`, `--pred-pos-label`).
 */
export async function readCountsResult(
  path: string,
  roles: Pick<ColumnRoles, "sensitive" | "posLabel" | "predPosLabel">,
  options: Pick<SourceOptions, "format" | "delimiter" | "header" | "columns" | "nullValues"> = {},
): Promise<CountsRead> {
  const C = CELL_COLUMNS;
  return withDuckDB(async (connection) => {
    const textColumns = [...roles.sensitive, C.label, C.decision];
    const source = await openSource(connection, path, { ...options, textColumns });
    const weighted = source.columns.some((c) => c.name === C.weight);
    requireColumns(source, [
      ...roles.sensitive.map((column) => ({ option: "--sensitive", column })),
      ...[C.label, C.decision, C.rows].map((column) => ({ option: "--from-counts", column })),
      ...(weighted
        ? [C.weight2, C.weightMissing, C.weightBad].map((column) => ({ option: "--from-counts", column }))
        : []),
    ]);
    const select = [
      ...textColumns.map((c) => source.text[c] ?? sqlIdentifier(c)),
      sqlIdentifier(C.rows),
      ...(weighted ? [C.weight, C.weight2, C.weightMissing, C.weightBad].map(sqlIdentifier) : []),
    ];
    const rows = (await connection.runAndReadAll(`SELECT ${select.join(", ")} FROM ${source.relation}`)).getRows();
    const cellRoles: ColumnRoles = {
      yTrue: C.label,
      yPred: C.decision,
      sensitive: roles.sensitive,
      posLabel: roles.posLabel,
      predPosLabel: roles.predPosLabel,
      ...(weighted ? { weight: C.weight } : {}),
    };
    for (const [r, row] of rows.entries()) {
      const n = Number(row[textColumns.length]);
      if (!(Number.isInteger(n) && n >= 0))
        throw new FairkitError(
          "BAD_FILE",
          `${path}: ${C.rows} must be a count (a whole number >= 0); found ${JSON.stringify(String(row[textColumns.length]))} on result row ${r + 1}`,
          { file: path, argument: C.rows, row: r + 1 },
        );
    }
    return countsFromCells(cellRowsOf(rows, cellRoles), cellRoles, {
      name: path,
      file: path,
      first: async () => undefined,
      noRows: async () => {
        throw new FairkitError("EMPTY_INPUT", `${path}: the counts hold no rows`, { file: path });
      },
    });
  });
}
