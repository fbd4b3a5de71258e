/**
 * The SQL dialects fairkit writes its one query in: PostgreSQL, DuckDB, BigQuery, Snowflake,
 * Databricks SQL, Trino and ClickHouse. A dialect knows how to quote a name and a string, cast to
 * text and to a double, test for a value that is not finite, and spell the types and functions a
 * `--where` filter may use. Nothing else differs: the query itself (src/node/db/cells-query.ts)
 * is the same plain `GROUP BY` everywhere, and 64-bit counts that come back as strings are read
 * with `Number` on the way in.
 */
import { FairkitError } from "fairkit/internal";

/** The dialects `--dialect` accepts. */
export const DIALECT_NAMES = [
  "postgres",
  "duckdb",
  "bigquery",
  "snowflake",
  "databricks",
  "trino",
  "clickhouse",
] as const;

/** A dialect's name. */
export type DialectName = (typeof DIALECT_NAMES)[number];

/** The types a `--where` cast may name, as DuckDB's parser names them. */
export type CastType = "INTEGER" | "BIGINT" | "DOUBLE" | "VARCHAR" | "DATE" | "TIMESTAMP" | "BOOLEAN" | "DECIMAL";

/** How one SQL dialect writes what fairkit needs. */
export interface Dialect {
  name: DialectName;
  /** The engine's name as people write it ("PostgreSQL"). */
  label: string;
  /** A quoted identifier: the name exactly as given (case and all). */
  identifier(name: string): string;
  /** A table name as the user gives it (`schema.table`, `project.dataset.table`), each part quoted. */
  table(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** The value as text. */
  text(expression: string): string;
  /** The value as a double. */
  double(expression: string): string;
  /** True where a double is NaN or infinite. */
  notFinite(expression: string): string;
  /** A type's name in this dialect (`DECIMAL` with its width and scale). */
  type(type: CastType, decimal?: { width: number; scale: number }): string;
  /** Trims surrounding spaces. */
  trim(expression: string): string;
  /** `TRY_CAST` where the dialect has it (undefined: it has none). */
  tryCast?: (expression: string, type: string) => string;
  /** `IS [NOT] DISTINCT FROM` (false: the dialect has none). */
  distinctFrom: boolean;
  /** ILIKE (false: written as lower(a) LIKE lower(b)). */
  ilike: boolean;
  /** Named scalar functions a filter may call, by DuckDB's name: how this dialect writes each. */
  functions: Readonly<Record<string, (args: string[]) => string>>;
}

const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const backticked = (name: string) => `\`${name.replaceAll("`", "``")}\``;
const standardString = (value: string) => `'${value.replaceAll("'", "''")}'`;
/** Strings where a backslash escapes (BigQuery, Databricks, ClickHouse): escape both. */
const backslashString = (value: string) => `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

/** Splits `a.b.c` into its parts; a part may be double-quoted to hold a dot. */
function tableParts(name: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < name.length) {
    if (name[i] === '"') {
      let j = i + 1;
      let part = "";
      while (j < name.length) {
        if (name[j] === '"' && name[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (name[j] === '"') break;
        else part += name[j++];
      }
      if (j >= name.length) throw badTable(name, "a quoted part is never closed");
      parts.push(part);
      i = j + 1;
    } else {
      const j = name.indexOf(".", i);
      parts.push(name.slice(i, j < 0 ? name.length : j));
      i = j < 0 ? name.length : j;
    }
    if (i < name.length) {
      if (name[i] !== ".") throw badTable(name, "parts are separated by dots");
      i++;
      if (i === name.length) throw badTable(name, "it ends with a dot");
    }
  }
  if (parts.length === 0 || parts.some((p) => p === "")) throw badTable(name, "a part is empty");
  return parts;
}

function badTable(name: string, why: string): FairkitError {
  return new FairkitError("BAD_ARGUMENT", `--table ${JSON.stringify(name)}: not a table name (${why})`, {
    argument: "table",
  });
}

/** Functions written the same way (by their lower-case name) in every dialect that has them. */
function same(...names: string[]): Record<string, (args: string[]) => string> {
  const out: Record<string, (args: string[]) => string> = {};
  for (const name of names) out[name] = (args) => `${name}(${args.join(", ")})`;
  return out;
}

const extract = (part: string) => (args: string[]) => `EXTRACT(${part} FROM ${args[0]})`;
const DATE_PARTS = { year: extract("YEAR"), month: extract("MONTH"), day: extract("DAY") };
const COMMON = {
  ...same("lower", "upper", "abs", "round", "floor", "sqrt", "exp", "coalesce", "nullif", "greatest", "least"),
  ...DATE_PARTS,
  ceil: (args: string[]) => `ceil(${args.join(", ")})`,
  ceiling: (args: string[]) => `ceil(${args.join(", ")})`,
  ln: (args: string[]) => `ln(${args[0]})`,
  pow: (args: string[]) => `power(${args.join(", ")})`,
  power: (args: string[]) => `power(${args.join(", ")})`,
  length: (args: string[]) => `length(${args[0]})`,
  substr: (args: string[]) => `substr(${args.join(", ")})`,
  substring: (args: string[]) => `substr(${args.join(", ")})`,
  trim: (args: string[]) => `trim(${args[0]})`,
  ltrim: (args: string[]) => `ltrim(${args[0]})`,
  rtrim: (args: string[]) => `rtrim(${args[0]})`,
  sign: (args: string[]) => `sign(${args[0]})`,
};

const POSTGRES: Dialect = {
  name: "postgres",
  label: "PostgreSQL",
  identifier: doubleQuoted,
  table: (name) => tableParts(name).map(doubleQuoted).join("."),
  string: standardString,
  text: (e) => `CAST(${e} AS TEXT)`,
  double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  notFinite: (e) =>
    `(${e}) IN (CAST('NaN' AS DOUBLE PRECISION), CAST('Infinity' AS DOUBLE PRECISION), CAST('-Infinity' AS DOUBLE PRECISION))`,
  type: (t, d) =>
    ({
      INTEGER: "INTEGER",
      BIGINT: "BIGINT",
      DOUBLE: "DOUBLE PRECISION",
      VARCHAR: "TEXT",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP",
      BOOLEAN: "BOOLEAN",
      DECIMAL: `NUMERIC(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  trim: (e) => `trim(${e})`,
  distinctFrom: true,
  ilike: true,
  functions: {
    ...COMMON,
    // PostgreSQL rounds to places only as NUMERIC.
    round: (a) => (a.length > 1 ? `round(CAST(${a[0]} AS NUMERIC), ${a[1]})` : `round(${a[0]})`),
    starts_with: (a) => `starts_with(${a.join(", ")})`,
  },
};

const DUCKDB: Dialect = {
  ...POSTGRES,
  name: "duckdb",
  label: "DuckDB",
  text: (e) => `CAST(${e} AS VARCHAR)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  notFinite: (e) => `NOT isfinite(${e})`,
  type: (t, d) =>
    ({
      INTEGER: "INTEGER",
      BIGINT: "BIGINT",
      DOUBLE: "DOUBLE",
      VARCHAR: "VARCHAR",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP",
      BOOLEAN: "BOOLEAN",
      DECIMAL: `DECIMAL(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  tryCast: (e, type) => `TRY_CAST(${e} AS ${type})`,
  functions: { ...COMMON, starts_with: (a) => `starts_with(${a.join(", ")})` },
};

const BIGQUERY: Dialect = {
  name: "bigquery",
  label: "BigQuery",
  identifier: backticked,
  // BigQuery quotes a whole path in one pair of backticks: `project.dataset.table`.
  table: (name) => backticked(tableParts(name).join(".")),
  string: backslashString,
  text: (e) => `CAST(${e} AS STRING)`,
  double: (e) => `CAST(${e} AS FLOAT64)`,
  notFinite: (e) => `(IS_NAN(${e}) OR IS_INF(${e}))`,
  type: (t, d) =>
    ({
      INTEGER: "INT64",
      BIGINT: "INT64",
      DOUBLE: "FLOAT64",
      VARCHAR: "STRING",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP",
      BOOLEAN: "BOOL",
      DECIMAL: d ? `NUMERIC(${d.width}, ${d.scale})` : "NUMERIC",
    })[t],
  trim: (e) => `TRIM(${e})`,
  tryCast: (e, type) => `SAFE_CAST(${e} AS ${type})`,
  distinctFrom: true,
  ilike: false,
  functions: { ...COMMON, starts_with: (a) => `STARTS_WITH(${a.join(", ")})` },
};

const SNOWFLAKE: Dialect = {
  ...POSTGRES,
  name: "snowflake",
  label: "Snowflake",
  // Snowflake's single-quoted strings take backslash escapes too.
  string: backslashString,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  notFinite: (e) => `(${e}) IN ('NaN'::DOUBLE, 'inf'::DOUBLE, '-inf'::DOUBLE)`,
  type: (t, d) =>
    ({
      INTEGER: "INTEGER",
      BIGINT: "BIGINT",
      DOUBLE: "DOUBLE",
      VARCHAR: "VARCHAR",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP_NTZ",
      BOOLEAN: "BOOLEAN",
      DECIMAL: `NUMBER(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  tryCast: (e, type) => `TRY_CAST(${e} AS ${type})`,
  functions: { ...COMMON, starts_with: (a) => `STARTSWITH(${a.join(", ")})` },
};

const DATABRICKS: Dialect = {
  name: "databricks",
  label: "Databricks SQL",
  identifier: backticked,
  table: (name) => tableParts(name).map(backticked).join("."),
  string: backslashString,
  text: (e) => `CAST(${e} AS STRING)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  notFinite: (e) => `(isnan(${e}) OR abs(${e}) = double('infinity'))`,
  type: (t, d) =>
    ({
      INTEGER: "INT",
      BIGINT: "BIGINT",
      DOUBLE: "DOUBLE",
      VARCHAR: "STRING",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP",
      BOOLEAN: "BOOLEAN",
      DECIMAL: `DECIMAL(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  trim: (e) => `trim(${e})`,
  tryCast: (e, type) => `try_cast(${e} AS ${type})`,
  distinctFrom: true,
  ilike: true,
  functions: { ...COMMON, starts_with: (a) => `startswith(${a.join(", ")})` },
};

const TRINO: Dialect = {
  ...POSTGRES,
  name: "trino",
  label: "Trino",
  text: (e) => `CAST(${e} AS VARCHAR)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  notFinite: (e) => `(is_nan(${e}) OR is_infinite(${e}))`,
  type: (t, d) =>
    ({
      INTEGER: "INTEGER",
      BIGINT: "BIGINT",
      DOUBLE: "DOUBLE",
      VARCHAR: "VARCHAR",
      DATE: "DATE",
      TIMESTAMP: "TIMESTAMP",
      BOOLEAN: "BOOLEAN",
      DECIMAL: `DECIMAL(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  tryCast: (e, type) => `try_cast(${e} AS ${type})`,
  ilike: false,
  functions: { ...COMMON, starts_with: (a) => `starts_with(${a.join(", ")})` },
};

const CLICKHOUSE: Dialect = {
  name: "clickhouse",
  label: "ClickHouse",
  identifier: doubleQuoted,
  table: (name) => tableParts(name).map(doubleQuoted).join("."),
  string: backslashString,
  text: (e) => `toString(${e})`,
  double: (e) => `toFloat64(${e})`,
  notFinite: (e) => `NOT isFinite(${e})`,
  type: (t, d) =>
    ({
      INTEGER: "Int32",
      BIGINT: "Int64",
      DOUBLE: "Float64",
      VARCHAR: "String",
      DATE: "Date",
      TIMESTAMP: "DateTime",
      BOOLEAN: "Bool",
      DECIMAL: `Decimal(${d?.width ?? 18}, ${d?.scale ?? 3})`,
    })[t],
  trim: (e) => `trimBoth(${e})`,
  distinctFrom: false,
  ilike: true,
  functions: {
    ...COMMON,
    substr: (a) => `substring(${a.join(", ")})`,
    substring: (a) => `substring(${a.join(", ")})`,
    trim: (a) => `trimBoth(${a[0]})`,
    ltrim: (a) => `trimLeft(${a[0]})`,
    rtrim: (a) => `trimRight(${a[0]})`,
    ln: (a) => `log(${a[0]})`,
    starts_with: (a) => `startsWith(${a.join(", ")})`,
  },
};

/** Every dialect by name. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  postgres: POSTGRES,
  duckdb: DUCKDB,
  bigquery: BIGQUERY,
  snowflake: SNOWFLAKE,
  databricks: DATABRICKS,
  trino: TRINO,
  clickhouse: CLICKHOUSE,
};

/** The dialect of a name, or a clear error listing the names. */
export function dialectOf(name: string): Dialect {
  const dialect = (DIALECTS as Record<string, Dialect>)[name.toLowerCase()];
  if (!dialect)
    throw new FairkitError(
      "BAD_ARGUMENT",
      `--dialect ${JSON.stringify(name)}: use one of ${DIALECT_NAMES.join(", ")}`,
      {
        argument: "dialect",
      },
    );
  return dialect;
}
