/**
 * One door to confusion counts, whatever holds the rows: a file (DuckDB reads it in place), a
 * database table or query (the GROUP BY runs there), or counts already made (`--from-counts`: a
 * query result or a `fairkit.counts` document). `fairkit audit`, `fairkit counts` and the audit
 * functions all come through here, so a number never depends on where the rows were.
 */
import { type AuditResult, FairkitError } from "fairkit/internal";
import { auditFromCounts, auditInput, type AuditFileOptions } from "../io/audit-file.js";
import type { CountsRead } from "../io/cells.js";
import type { ColumnRoles } from "../io/columns.js";
import { withDuckDB } from "../io/duckdb.js";
import { readCounts } from "../io/read-counts.js";
import { openSource, type SourceOptions } from "../io/source.js";
import { textColumnsOf } from "../io/columns.js";
import {
  type AuditDatabaseOptions,
  type DatabaseRelation,
  openRelation,
  readDatabaseCounts,
  relationOf,
} from "./audit-database.js";
import { cellsQuery } from "./cells-query.js";
import { connect, isDatabaseAddress } from "./connect.js";
import { type Dialect, dialectOf } from "./dialects.js";
import { countsOfDocument, isCountsDocument, readCountsDocument, readCountsResult } from "./counts-files.js";
import { whereSql } from "./where-sql.js";
import type { Progress } from "../io/progress-sink.js";

/** Where counts come from and how they were read. */
export interface CountsOrigin {
  counts: CountsRead;
  /** The file path, the database and relation, or the counts file. */
  source: string;
  /** The file's format, the database's dialect, or `counts`. */
  format: string;
}

/** Options of {@link countsOf}. */
export type CountsOfOptions = ColumnRoles & SourceOptions & DatabaseRelation & { progress?: Progress };

/**
 * The counts of a file or a database (`postgres://…`, `duckdb:FILE`, `@name` with `table` or
 * `query`).
 */
export async function countsOf(target: string, options: CountsOfOptions): Promise<CountsOrigin> {
  if (isDatabaseAddress(target)) {
    const engine = await connect(target);
    try {
      const relation = await openRelation(engine, options, options.where);
      const counts = await readDatabaseCounts(relation, options, { progress: options.progress });
      return { counts, source: relation.name, format: engine.dialect.name };
    } finally {
      await engine.close();
    }
  }
  if (options.table !== undefined || options.query !== undefined)
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${target}: --table and --query name rows of a database; give a database address (postgres://…, duckdb:FILE or @name), or drop them to read the file`,
      { argument: options.table !== undefined ? "table" : "query" },
    );
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, target, { ...options, textColumns: textColumnsOf(options) });
    const counts = await readCounts(connection, source, options, { progress: options.progress });
    return { counts, source: target, format: source.format };
  });
}

/** The counts in a counts file: a `fairkit.counts` document, or the cells query's result (CSV, Parquet, JSON). */
export async function countsOfFile(
  path: string,
  roles: Pick<ColumnRoles, "sensitive" | "posLabel" | "predPosLabel">,
  options: SourceOptions = {},
): Promise<CountsOrigin & { input?: Awaited<ReturnType<typeof readCountsDocument>>["input"] }> {
  if (await isCountsDocument(path)) {
    const { table, input } = await readCountsDocument(path);
    return { counts: countsOfDocument(table, input), source: path, format: "counts", input };
  }
  if (roles.sensitive.length === 0)
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${path}: name the sensitive columns of the counts with --sensitive COLUMN[,COLUMN…]`,
      { argument: "sensitive" },
    );
  return { counts: await readCountsResult(path, roles, options), source: path, format: "counts" };
}

/**
 * Audits a file's counts, a database's, or a counts file's (`fromCounts`), with Wilson intervals
 * or the cell bootstrap: the one audit of counts.
 *
 * @example
 * await auditCounts("postgres://fairkit@127.0.0.1/audit", { table: "compas", yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race"] });
 */
export async function auditCounts(
  target: string,
  options: CountsOfOptions & Omit<AuditFileOptions, keyof SourceOptions | keyof ColumnRoles> & { fromCounts?: boolean },
): Promise<AuditResult> {
  if (options.fromCounts) {
    const origin = await countsOfFile(target, options, options);
    const input = auditInput(origin.source, origin.format, origin.counts, {
      ...options,
      yTrue: origin.input?.y_true ?? "fairkit_label",
      yPred: origin.input?.y_pred ?? (origin.input?.score ? undefined : "fairkit_decision"),
      score: origin.input?.score ?? undefined,
      threshold: origin.input?.threshold ?? undefined,
      weight: origin.input?.weight ?? (origin.counts.unweighted ? undefined : "fairkit_weight"),
      posLabel: origin.input?.pos_label ?? options.posLabel,
      sensitive: origin.counts.table.columns,
      where: origin.input?.where ?? undefined,
    });
    return auditFromCounts(origin.counts, input, options);
  }
  const origin = await countsOf(target, options);
  return auditFromCounts(origin.counts, auditInput(origin.source, origin.format, origin.counts, options), options);
}

/**
 * Audits a database table or query in place: only counts leave the database.
 *
 * @example
 * const result = await auditDatabase("postgres://fairkit@127.0.0.1:5432/audit", {
 *   table: "compas", yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race"],
 *   where: "days_b_screening_arrest BETWEEN -30 AND 30",
 * });
 */
export async function auditDatabase(address: string, options: AuditDatabaseOptions): Promise<AuditResult> {
  if (!isDatabaseAddress(address))
    throw new FairkitError("BAD_ARGUMENT", `${address}: not a database address (postgres://…, duckdb:FILE, @name)`, {
      argument: "connection",
    });
  return auditCounts(address, options);
}

/**
 * The cells query `fairkit audit` would run, for `--print-sql`: on a database address its own
 * dialect and columns (the filter is checked against them); otherwise the dialect named, with the
 * filter's column names taken as written.
 */
export async function printedCellsQuery(
  target: string | undefined,
  options: ColumnRoles & DatabaseRelation & { where?: string; dialect?: string },
): Promise<string> {
  if (target !== undefined && isDatabaseAddress(target)) {
    const engine = await connect(target);
    try {
      const relation = await openRelation(engine, options, options.where);
      if (options.dialect !== undefined && dialectOf(options.dialect).name !== engine.dialect.name)
        throw new FairkitError(
          "BAD_ARGUMENT",
          `--dialect ${options.dialect}: ${engine.address} speaks ${engine.dialect.label}; leave --dialect out`,
          { argument: "dialect" },
        );
      return `${cellsQuery(engine.dialect, relation.sql, options, relation.where)};\n`;
    } finally {
      await engine.close();
    }
  }
  if (target !== undefined)
    throw new FairkitError(
      "BAD_ARGUMENT",
      `--print-sql shows the query for a database: give a database address (postgres://…, duckdb:FILE, @name), or --dialect with --table or --query and no FILE`,
      { argument: "print-sql" },
    );
  if (options.dialect === undefined)
    throw new FairkitError("BAD_ARGUMENT", "--print-sql without a database needs --dialect NAME", {
      argument: "dialect",
    });
  const dialect: Dialect = dialectOf(options.dialect);
  // The relation as a database audit writes it (the same checks: one of --table and --query, not empty).
  const relation = relationOf({ dialect, address: `--print-sql --dialect ${dialect.name}` }, options).sql;
  const where =
    options.where === undefined
      ? undefined
      : await withDuckDB((duck) => whereSql(duck, options.where!, "any", dialect));
  return `${cellsQuery(dialect, relation, options, where)};\n`;
}
