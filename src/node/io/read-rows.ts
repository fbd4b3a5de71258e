/**
 * Row-level data from a file, fetched chunk by chunk from DuckDB into typed arrays (no per-row
 * JavaScript objects): what a bootstrap or a custom metric needs. Labels and decisions arrive as
 * 0/1 bytes and each sensitive column as integer codes into its levels (a categorical column),
 * all mapped in SQL. Run {@link readCounts} first: its checks and mappings are reused here.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import type { CategoricalColumn } from "fairkit/internal";
import { type ColumnRoles, binarySql, levelCodeSql, textColumnsOf } from "./columns.js";
import type { Progress } from "./progress-sink.js";
import { type CountsRead, roleExpressions } from "./read-counts.js";
import { type Source, filteredFrom, sourceError, withText } from "./source.js";

/** Rows as typed arrays, ready for `new MetricFrame({ yTrue, yPred, sensitiveFeatures, sampleWeight })`. */
export interface RowsRead {
  yTrue: Uint8Array;
  yPred: Uint8Array;
  /** Absent without a weight column. */
  sampleWeight: Float64Array | undefined;
  /** One categorical column per sensitive column (code -1 = missing). */
  sensitiveFeatures: Record<string, CategoricalColumn>;
  n: number;
}

type TypedItems = Uint8Array | Int32Array | Float64Array;

function itemsOf(vector: unknown): TypedItems {
  // The vector's raw data. Safe to read without the validity mask: the SQL below never yields NULL.
  return (vector as { items: TypedItems }).items;
}

/**
 * Reads the rows behind `counts` into typed arrays.
 *
 * @example
 * const counts = await readCounts(con, source, roles);
 * const rows = await readRows(con, source, roles, counts);
 * new MetricFrame({ metrics: "accuracy", intervals: "bootstrap", ...rows });
 */
export async function readRows(
  connection: DuckDBConnection,
  opened: Source,
  roles: ColumnRoles,
  counts: CountsRead,
  options: { progress?: Progress } = {},
): Promise<RowsRead> {
  const source = withText(opened, textColumnsOf(roles));
  const ex = await roleExpressions(connection, source, roles);
  const n = counts.rows;
  const columns = [
    `${binarySql(ex.yTrue, counts.yTrue)} AS yt`,
    counts.yPred ? `${binarySql(ex.yPred, counts.yPred)} AS yp` : `CAST(${ex.yPred} AS UTINYINT) AS yp`,
    ...(ex.weight ? [`CAST(${ex.weight} AS DOUBLE) AS w`] : []),
    ...(await Promise.all(
      roles.sensitive.map(
        async (c, j) => `${await levelCodeSql(connection, ex.sensitive[j], counts.levels[c])} AS c${j}`,
      ),
    )),
  ];
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  const sampleWeight = ex.weight ? new Float64Array(n) : undefined;
  const codes = roles.sensitive.map(() => new Int32Array(n));
  const targets: TypedItems[] = [yTrue, yPred, ...(sampleWeight ? [sampleWeight] : []), ...codes];
  let offset = 0;
  try {
    const result = await connection.stream(`SELECT ${columns.join(", ")} FROM ${filteredFrom(source)}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (offset + m > n) throw new Error(`${source.path} changed while it was read (more rows than counted)`);
      targets.forEach((target, c) => {
        target.set(itemsOf(chunk.getColumnVector(c)).subarray(0, m), offset);
      });
      offset += m;
      options.progress?.update(offset / n, "reading rows");
    }
  } catch (error) {
    throw await sourceError(source, error);
  }
  if (offset !== n) throw new Error(`${source.path} changed while it was read (${offset} rows, counted ${n})`);
  for (const c of codes)
    if (c.includes(-2))
      throw new Error(`${source.path} changed while it was read (a group value not seen when counting)`);
  const sensitiveFeatures: Record<string, CategoricalColumn> = {};
  roles.sensitive.forEach((c, j) => {
    sensitiveFeatures[c] = { codes: codes[j], levels: counts.levels[c] };
  });
  return { yTrue, yPred, sampleWeight, sensitiveFeatures, n };
}
