/**
 * The embedded DuckDB connection behind every file read. One in-memory database per read: files
 * are queried in place (`read_csv`, `read_parquet`, `read_json`), never loaded into JavaScript.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/**
 * Opens an in-memory DuckDB connection. Close it with `connection.closeSync()` when done.
 *
 * @example
 * const con = await openDuckDB();
 * try { await con.run("select 1"); } finally { con.closeSync(); }
 */
export async function openDuckDB(): Promise<DuckDBConnection> {
  // Loaded on first use: DuckDB's native library is the heaviest thing the CLI loads (about
  // 0.17 s), and `fairkit --version`, `--help` or a usage error need none of it.
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  return instance.connect();
}

/** Runs `f` with a fresh connection and closes it afterwards. */
export async function withDuckDB<T>(f: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await openDuckDB();
  try {
    return await f(connection);
  } finally {
    connection.closeSync();
  }
}

/** A bigint from DuckDB (counts, BIGINT columns) as a number; other values unchanged. */
export function toNumberIfBigInt<T>(value: T): T | number {
  return typeof value === "bigint" ? Number(value) : value;
}
