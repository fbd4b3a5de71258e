/** Running a long query with progress reported from DuckDB's own progress counter. */
import type { DuckDBConnection, DuckDBResultReader } from "@duckdb/node-api";
import type { Progress } from "./progress-sink.js";

/**
 * Runs `sql` to completion; while it runs, polls DuckDB's progress and reports it to `progress`
 * (only when given: tracking costs a little).
 */
export async function runWithProgress(
  connection: DuckDBConnection,
  sql: string,
  progress?: Progress,
  label = "reading",
): Promise<DuckDBResultReader> {
  if (!progress) return connection.runAndReadAll(sql);
  await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
  const timer = setInterval(() => {
    const p = connection.progress.percentage;
    if (p >= 0) progress.update(p / 100, label);
  }, 200);
  try {
    return await connection.runAndReadAll(sql);
  } finally {
    clearInterval(timer);
    progress.update(1, label);
  }
}
