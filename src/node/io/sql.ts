/** Quoting for the SQL that fairkit writes: identifiers and literals, never string-pasted values. */

/** A quoted SQL identifier: `sqlIdentifier('two "x"')` → `"two ""x"""`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A quoted SQL string literal: `sqlString("it's")` → `'it''s'`. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL literal for a value read back from DuckDB (string, number, bigint or boolean). */
export function sqlLiteral(value: string | number | bigint | boolean): string {
  if (typeof value === "string") return sqlString(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number" && !Number.isFinite(value)) return `'${value}'::DOUBLE`;
  return String(value);
}
