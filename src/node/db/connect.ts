/**
 * Connections to the databases fairkit audits in place: PostgreSQL (through the `pg` client, an
 * optional dependency loaded only here) and DuckDB database files. A connection is a
 * {@link SqlEngine}: it lists a relation's columns and runs queries, read-only — PostgreSQL in a
 * `READ ONLY` transaction, a DuckDB file opened read-only with no access to other files. The
 * address a user gives is written back (in messages and the audit JSON) without its password.
 *
 * Addresses: `postgres://user@host:port/db` (or `postgresql://…`; any part left out comes from
 * PostgreSQL's own `PG*` environment variables), `duckdb:path/to/file.duckdb`, or `@name` for the
 * address held in the environment variable `FAIRKIT_CONNECTION_NAME`, so that passwords stay out
 * of shell histories and CI logs.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { FairkitError } from "fairkit/internal";
import { DIALECTS, type Dialect } from "./dialects.js";

/** A column as an engine describes it: its name, its type's name, and whether it is numeric. */
export interface EngineColumn {
  name: string;
  type: string;
  numeric: boolean;
}

/** A database connection as the readers use it. */
export interface SqlEngine {
  dialect: Dialect;
  /** The address without its password (`postgres://fairkit@127.0.0.1:5433/audit`). */
  address: string;
  /** The columns of a relation (`"t"` or `(SELECT …)`), in order. */
  columns(relation: string): Promise<EngineColumn[]>;
  /** Rows of a query, each as an array of values (64-bit integers may be strings). */
  query(sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** True when an argument names a database rather than a file. */
export function isDatabaseAddress(target: string): boolean {
  return /^(postgres|postgresql):\/\//i.test(target) || /^duckdb:/i.test(target) || /^@[A-Za-z0-9_-]+$/.test(target);
}

/** The address behind `@name` (from `FAIRKIT_CONNECTION_NAME`), or the address itself. */
export function resolveAddress(target: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!target.startsWith("@")) return target;
  const variable = `FAIRKIT_CONNECTION_${target.slice(1).toUpperCase().replaceAll("-", "_")}`;
  const value = env[variable];
  if (value === undefined || value.trim() === "")
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${target}: no connection of that name; set the environment variable ${variable} to its address (postgres://user:password@host:port/db or duckdb:FILE)`,
      { argument: "connection" },
    );
  return value.trim();
}

/** An address without its password, for messages and documents. */
export function redactAddress(address: string): string {
  if (!/^(postgres|postgresql):\/\//i.test(address)) return address;
  try {
    const url = new URL(address);
    url.password = "";
    for (const key of [...url.searchParams.keys()])
      if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, "***");
    return url.toString().replace(/^(\w+:\/\/[^@/]*):@/, "$1@");
  } catch {
    return address.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1@");
  }
}

/** Opens a connection to a database address (see the file header for the forms). */
export async function connect(target: string): Promise<SqlEngine> {
  const address = resolveAddress(target);
  if (/^duckdb:/i.test(address)) return openDuckDBFile(address.slice("duckdb:".length));
  if (/^(postgres|postgresql):\/\//i.test(address)) return openPostgres(address);
  throw new FairkitError(
    "BAD_ARGUMENT",
    `${redactAddress(address)}: not a database address fairkit knows (postgres://…, postgresql://…, duckdb:FILE)`,
    { argument: "connection" },
  );
}

/** PostgreSQL type OIDs of the numeric types (int2, int4, int8, float4, float8, numeric). */
const PG_NUMERIC = new Set([20, 21, 23, 700, 701, 1700]);
const PG_TYPE_NAMES: Record<number, string> = {
  16: "boolean",
  20: "bigint",
  21: "smallint",
  23: "integer",
  25: "text",
  700: "real",
  701: "double precision",
  1043: "varchar",
  1082: "date",
  1114: "timestamp",
  1184: "timestamptz",
  1700: "numeric",
};

async function openPostgres(address: string): Promise<SqlEngine> {
  const shown = redactAddress(address);
  let pg: typeof import("pg");
  try {
    pg = (await import("pg")).default as unknown as typeof import("pg");
  } catch {
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${shown}: auditing PostgreSQL needs the pg client, which is not installed: run npm install pg`,
      { argument: "connection" },
    );
  }
  const client = new pg.Client({ connectionString: address, application_name: "fairkit" });
  client.on("error", () => {
    // A dropped connection surfaces as the failure of the query that was running.
  });
  try {
    await client.connect();
    // Nothing fairkit runs may write: every statement runs in one read-only transaction.
    await client.query("BEGIN TRANSACTION READ ONLY");
    // On a partitioned table (local or foreign partitions) the GROUP BY may then run per partition,
    // pushed to each server by postgres_fdw; the rows it counts are the same either way.
    await client.query("SET LOCAL enable_partitionwise_aggregate = on");
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new FairkitError("BAD_FILE", `${shown}: cannot connect: ${reason(error, address)}`, {
      argument: "connection",
    });
  }
  const run = async (sql: string) => {
    try {
      return await client.query({ text: sql, rowMode: "array" });
    } catch (error) {
      throw new FairkitError("BAD_FILE", `${shown}: the query failed: ${reason(error, address)}`, {
        argument: "connection",
      });
    }
  };
  return {
    dialect: DIALECTS.postgres,
    address: shown,
    async columns(relation) {
      const result = await run(`SELECT * FROM ${relation} AS fairkit_input LIMIT 0`);
      return result.fields.map((f) => ({
        name: f.name,
        type: PG_TYPE_NAMES[f.dataTypeID] ?? `type ${f.dataTypeID}`,
        numeric: PG_NUMERIC.has(f.dataTypeID),
      }));
    },
    async query(sql) {
      return (await run(sql)).rows as unknown[][];
    },
    async close() {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

async function openDuckDBFile(path: string): Promise<SqlEngine> {
  if (path === "")
    throw new FairkitError("BAD_ARGUMENT", "duckdb: needs a database file (duckdb:path/to/file.duckdb)", {
      argument: "connection",
    });
  if (!existsSync(path))
    throw new FairkitError("BAD_FILE", `duckdb:${path}: no such database file`, { file: path, argument: "connection" });
  const { DuckDBInstance } = await import("@duckdb/node-api");
  let connection: import("@duckdb/node-api").DuckDBConnection;
  try {
    const instance = await DuckDBInstance.create(resolve(path), { access_mode: "READ_ONLY" });
    connection = await instance.connect();
    // The database is open; no query may now reach another file or fetch an extension.
    await connection.run(
      "SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false",
    );
  } catch (error) {
    throw new FairkitError("BAD_FILE", `duckdb:${path}: cannot open the database: ${reason(error, path)}`, {
      file: path,
      argument: "connection",
    });
  }
  const run = async (sql: string) => {
    try {
      return await connection.runAndReadAll(sql);
    } catch (error) {
      throw new FairkitError("BAD_FILE", `duckdb:${path}: the query failed: ${reason(error, path)}`, {
        file: path,
        argument: "connection",
      });
    }
  };
  return {
    dialect: DIALECTS.duckdb,
    address: `duckdb:${path}`,
    async columns(relation) {
      const rows = (await run(`DESCRIBE SELECT * FROM ${relation} AS fairkit_input`)).getRowObjects();
      return rows.map((r) => {
        const type = String(r.column_type);
        return {
          name: String(r.column_name),
          type,
          numeric:
            /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/.test(
              type,
            ),
        };
      });
    },
    async query(sql) {
      return (await run(sql)).getRows() as unknown[][];
    },
    async close() {
      connection.closeSync();
    },
  };
}

/** The first line of an error, with any password in the address taken out. */
function reason(error: unknown, address: string): string {
  const text = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  const password = /\/\/[^:@/]*:([^@/]+)@/.exec(address)?.[1];
  return password ? text.replaceAll(password, "***") : text;
}
