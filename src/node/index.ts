/**
 * @fairkit/node: everything in `fairkit`, plus what needs Node: reading files of any size through
 * embedded DuckDB, databases audited in place (PostgreSQL, DuckDB files; SQL for the warehouses),
 * counts as mergeable documents, the dataset loaders (HolisticBias too), text-probe scorers (VADER,
 * HTTP endpoints, OpenAI-compatible generators), and auditing a file end to end.
 * @packageDocumentation
 */
export * from "fairkit";
export { type AuditFileOptions, auditFile } from "./io/audit-file.js";
export {
  type AuditDatabaseOptions,
  type DatabaseRelation,
  readDatabaseCounts,
  openRelation,
} from "./db/audit-database.js";
export { type CellRow, type CellChecks, countsFromCells } from "./io/cells.js";
export { CELL_COLUMNS, cellsQuery } from "./db/cells-query.js";
export { type EngineColumn, type SqlEngine, connect, isDatabaseAddress, redactAddress } from "./db/connect.js";
export {
  type CountsDocument,
  countsDocument,
  mergeCountsDocuments,
  readCountsDocument,
  readCountsResult,
} from "./db/counts-files.js";
export { type CountsOrigin, auditCounts, auditDatabase, countsOf, printedCellsQuery } from "./db/counts-of.js";
export { DIALECT_NAMES, DIALECTS, type Dialect, type DialectName, dialectOf } from "./db/dialects.js";
export { readDatabaseScoreTable, scoreCellsQuery } from "./db/read-database-scores.js";
export { whereSql } from "./db/where-sql.js";
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
export {
  type HttpOptions,
  type HttpScorerOptions,
  type OpenAIGeneratorOptions,
  followPath,
  httpScorer,
  openAIGenerator,
} from "./text/http.js";
export {
  HOLISTIC_BIAS_CITATION,
  HOLISTIC_BIAS_FILES,
  type HolisticBiasLoadOptions,
  loadHolisticBias,
} from "./text/holistic-bias.js";
export { VADER_POSITIVE, vaderScorer } from "./text/vader.js";
export type { Progress } from "./io/progress-sink.js";
export { type CountsRead, readCounts } from "./io/read-counts.js";
export { type RowsRead, readRows } from "./io/read-rows.js";
export { type ScoreColumns, type ScoreTableRead, readScoreTableFromFile } from "./io/read-scores.js";
export { type ReadTableOptions, readTable } from "./io/read-table.js";
export { type FileFormat, type Source, type SourceColumn, type SourceOptions, openSource } from "./io/source.js";
