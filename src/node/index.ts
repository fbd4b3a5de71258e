/**
 * @fairkit/node: everything in `fairkit`, plus what needs Node: reading files of any size through
 * embedded DuckDB, the dataset loaders, and auditing a file end to end.
 * @packageDocumentation
 */
export * from "fairkit";
export { type AuditFileOptions, auditFile } from "./io/audit-file.js";
export { type BinaryMapping, type ColumnRoles, type RawValue, binaryMapping } from "./io/columns.js";
export {
  ADULT_COLUMNS,
  COMPAS_FILTER,
  DATASETS,
  type Dataset,
  type DatasetName,
  type DatasetOptions,
  type DatasetSpec,
  LAW_FILTER,
  datasetFile,
  loadAdult,
  loadCompas,
  loadLaw,
  sha256File,
} from "./io/datasets.js";
export { openDuckDB, withDuckDB } from "./io/duckdb.js";
export type { Progress } from "./io/progress-sink.js";
export { type CountsRead, readCounts } from "./io/read-counts.js";
export { type RowsRead, readRows } from "./io/read-rows.js";
export { type ScoreColumns, type ScoreTableRead, readScoreTableFromFile } from "./io/read-scores.js";
export { type ReadTableOptions, readTable } from "./io/read-table.js";
export { type FileFormat, type Source, type SourceColumn, type SourceOptions, openSource } from "./io/source.js";
