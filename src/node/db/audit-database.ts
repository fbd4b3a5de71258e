/**
 * Reading a database table or query in place (`fairkit audit postgres://… --table T`; the audit
 * itself is `auditDatabase` in counts-of.ts): the counting is pushed down as the one `GROUP BY` of src/node/db/cells-query.ts, the rows never
 * leave the database, and the counts that come back go through the same checks
 * (src/node/io/cells.ts) and the same audit as a file's. `--where` has the file's meaning and
 * confinement: parsed and checked by DuckDB's parser against the relation's columns, then
 * printed in the database's dialect (src/node/db/where-sql.ts).
 */
import { FairkitError } from "fairkit/internal";
import type { AuditFileOptions } from "../io/audit-file.js";
import { type CellChecks, type CellProblem, type CountsRead, cellRowsOf, countsFromCells } from "../io/cells.js";
import { type ColumnRoles, checkRoles, ROLE_OPTIONS } from "../io/columns.js";
import { withDuckDB } from "../io/duckdb.js";
import type { Progress } from "../io/progress-sink.js";
import { cellsQuery } from "./cells-query.js";
import type { EngineColumn, SqlEngine } from "./connect.js";
import { whereSql } from "./where-sql.js";

/** Which rows of the database to audit: a table (or view) by name, or a query. */
export interface DatabaseRelation {
  /** A table or view, `name` or `schema.name` (each part quoted as given: case matters). */
  table?: string;
  /** A SELECT whose result is audited (run as a subquery). */
  query?: string;
}

/** Options of {@link auditDatabase}: the relation, the roles and what to compute (as {@link AuditFileOptions}). */
export interface AuditDatabaseOptions
  extends DatabaseRelation,
    ColumnRoles,
    Omit<
      AuditFileOptions,
      keyof ColumnRoles | "format" | "header" | "columns" | "delimiter" | "nullValues" | "textColumns"
    > {}

/** A relation opened on an engine: its SQL, its columns, the filter in the engine's dialect. */
export interface OpenedRelation {
  engine: SqlEngine;
  /** `"schema"."table"` or `(SELECT …)`. */
  sql: string;
  /** How messages name it: `postgres://u@h/db, table "compas"`. */
  name: string;
  columns: EngineColumn[];
  /** The `--where` filter in the engine's dialect, and as the user wrote it. */
  where: string | undefined;
  whereText: string | undefined;
}

/** The relation's SQL and name, checking that exactly one of table and query is given. */
export function relationOf(engine: { dialect: SqlEngine["dialect"]; address: string }, relation: DatabaseRelation) {
  if ((relation.table === undefined) === (relation.query === undefined))
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${engine.address}: name what to audit with --table NAME or --query SQL (one of them)`,
      { argument: "table" },
    );
  if (relation.table !== undefined)
    return { sql: engine.dialect.table(relation.table), name: `${engine.address}, table ${relation.table}` };
  const query = relation.query!.trim().replace(/;\s*$/, "");
  if (query === "") throw new FairkitError("BAD_ARGUMENT", "--query is empty", { argument: "query" });
  return { sql: `(${query})`, name: `${engine.address}, --query` };
}

/** Opens the relation: lists its columns and writes `where` in the engine's dialect. */
export async function openRelation(
  engine: SqlEngine,
  relation: DatabaseRelation,
  where: string | undefined,
): Promise<OpenedRelation> {
  const { sql, name } = relationOf(engine, relation);
  const columns = await engine.columns(sql);
  const printed =
    where === undefined
      ? undefined
      : await withDuckDB((duck) =>
          whereSql(
            duck,
            where,
            columns.map((c) => c.name),
            engine.dialect,
          ),
        );
  return { engine, sql, name, columns, where: printed, whereText: where };
}

/** Checks the roles' columns exist (and scores and weights are numeric) on an opened relation. */
export function checkRelationRoles(relation: OpenedRelation, roles: ColumnRoles): void {
  checkRoles({ path: relation.name, columns: relation.columns }, roles);
  for (const [column, option] of [
    [roles.score, ROLE_OPTIONS.score],
    [roles.weight, ROLE_OPTIONS.weight],
  ] as const) {
    if (column === undefined) continue;
    const c = relation.columns.find((x) => x.name === column)!;
    if (!c.numeric)
      throw new FairkitError(
        "BAD_SCORE",
        `${relation.name}: column ${JSON.stringify(column)} (${option}) must be numeric; its type is ${c.type} (cast it in a --query: SELECT CAST(${column} AS DOUBLE PRECISION) AS ${column}, …)`,
        { argument: column },
      );
  }
}

/**
 * Reads the confusion counts of a database relation: the cells query, then the shared checks.
 *
 * @example
 * const engine = await connect("postgres://fairkit@127.0.0.1:5432/audit");
 * const relation = await openRelation(engine, { table: "compas" }, undefined);
 * const counts = await readDatabaseCounts(relation, { yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race"] });
 */
export async function readDatabaseCounts(
  relation: OpenedRelation,
  roles: ColumnRoles,
  options: { progress?: Progress } = {},
): Promise<CountsRead> {
  checkRelationRoles(relation, roles);
  const { engine } = relation;
  options.progress?.update(0, "counting in the database");
  const rows = await engine.query(cellsQuery(engine.dialect, relation.sql, roles, relation.where));
  return countsFromCells(cellRowsOf(rows, roles), roles, relationChecks(relation, roles));
}

/** The checks' view of a database: no row numbers (a table has no order), but the value found. */
function relationChecks(relation: OpenedRelation, roles: ColumnRoles): CellChecks {
  const { engine } = relation;
  const d = engine.dialect;
  const id = d.identifier;
  const value = (column: string) => `NULLIF(${d.trim(d.text(id(column)))}, '')`;
  const firstSql = (condition: string, v: string) =>
    `SELECT fairkit_value FROM (SELECT *, ${v} AS fairkit_value FROM ${relation.sql} AS fairkit_input${relation.where ? ` WHERE ${relation.where}` : ""}) AS fairkit_rows WHERE ${condition} LIMIT 1`;
  const sqlFor = (problem: CellProblem): { condition: string; value: string } => {
    const c = problem.column;
    switch (problem.kind) {
      case "missing":
        return c === roles.score || c === roles.weight
          ? { condition: `${id(c)} IS NULL`, value: "NULL" }
          : { condition: `${value(c)} IS NULL`, value: "NULL" };
      case "not_finite":
        return { condition: d.notFinite(d.double(id(c))), value: d.double(id(c)) };
      case "bad_weight":
        return { condition: `(${d.double(id(c))} < 0 OR ${d.notFinite(d.double(id(c)))})`, value: d.double(id(c)) };
      case "not_binary":
        return {
          condition:
            problem.allowed.length === 0
              ? `${value(c)} IS NOT NULL`
              : `${value(c)} IS NOT NULL AND ${value(c)} NOT IN (${problem.allowed.map((v) => d.string(String(v))).join(", ")})`,
          value: value(c),
        };
    }
  };
  return {
    name: relation.name,
    file: undefined,
    async first(problem) {
      const { condition, value: v } = sqlFor(problem);
      const rows = await engine.query(firstSql(condition, v));
      return rows.length === 0 ? undefined : { value: rows[0][0], place: undefined };
    },
    async noRows() {
      const total = Number((await engine.query(`SELECT COUNT(*) FROM ${relation.sql} AS fairkit_input`))[0][0]);
      if (total === 0)
        throw new FairkitError("EMPTY_INPUT", `${relation.name}: there are no rows to measure`, {
          argument: "table",
        });
      throw new FairkitError(
        "EMPTY_INPUT",
        `${relation.name}: no rows match --where ${JSON.stringify(relation.whereText ?? "")} (it has ${total} rows)`,
        { argument: "where" },
      );
    },
  };
}
