/**
 * Rows from a database relation, for what needs them (`fairkit report` on a database: subgroup
 * discovery, significance, calibration): labels and decisions as 0/1 bytes, each sensitive
 * column as codes into the levels the counts found, weights, scores and extra attributes — the
 * named columns only, after the same filter. Run {@link readDatabaseCounts} first: its checks and
 * mappings are reused here, and a relation that changes between the two reads is an error.
 * Column profiles for the datasheet are one aggregate query, as for a file.
 */
import { type CategoricalColumn, type ColumnProfile, type Level, profilesOfRow } from "fairkit/internal";
import type { CountsRead } from "../io/cells.js";
import { type ColumnRoles, plainText } from "../io/columns.js";
import type { RowsRead } from "../io/read-rows.js";
import type { OpenedRelation } from "./audit-database.js";
import { scoreDecision } from "./cells-query.js";

/** What {@link readDatabaseRows} returns. */
export interface DatabaseRowsRead {
  rows: RowsRead;
  /** The score column's values, when one was asked for. */
  scores: Float64Array | undefined;
  /** Each extra attribute's values (trimmed text; null where missing). */
  attributes: Record<string, (Level | null)[]>;
}

/**
 * Reads the rows of an opened relation into typed arrays.
 *
 * @example
 * const counts = await readDatabaseCounts(relation, roles);
 * const { rows } = await readDatabaseRows(relation, roles, counts, { attributes: ["age_cat"] });
 */
export async function readDatabaseRows(
  relation: OpenedRelation,
  roles: ColumnRoles,
  counts: CountsRead,
  extra: { score?: string; attributes?: readonly string[] } = {},
): Promise<DatabaseRowsRead> {
  const d = relation.engine.dialect;
  const id = d.identifier;
  const attributes = extra.attributes ?? [];
  const select = [
    d.text(id(roles.yTrue)),
    roles.yPred !== undefined ? d.text(id(roles.yPred)) : scoreDecision(d, id(roles.score!), roles.threshold!),
    ...roles.sensitive.map((c) => d.text(id(c))),
    ...(roles.weight !== undefined ? [d.double(id(roles.weight))] : []),
    ...(extra.score !== undefined ? [d.double(id(extra.score))] : []),
    ...attributes.map((a) => d.text(id(a))),
  ];
  const result = await relation.engine.query(
    `SELECT ${select.join(", ")} FROM ${relation.sql} AS fairkit_input${relation.where ? ` WHERE ${relation.where}` : ""}`,
  );
  const n = result.length;
  if (n !== counts.rows)
    throw new Error(`${relation.name} changed while it was read (${n} rows, counted ${counts.rows})`);
  const yPos = new Set(counts.yTrue.positives.map(String));
  const pPos = counts.yPred ? new Set(counts.yPred.positives.map(String)) : undefined;
  const index = roles.sensitive.map((c) => new Map(counts.levels[c].map((v, i) => [String(v), i])));
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  const codes = roles.sensitive.map(() => new Int32Array(n));
  const sampleWeight = roles.weight !== undefined ? new Float64Array(n) : undefined;
  const scores = extra.score !== undefined ? new Float64Array(n) : undefined;
  const attributeValues: Record<string, (Level | null)[]> = {};
  for (const a of attributes) attributeValues[a] = new Array(n);
  const k = roles.sensitive.length;
  for (let r = 0; r < n; r++) {
    const row = result[r];
    yTrue[r] = yPos.has(String(plainText(row[0]))) ? 1 : 0;
    yPred[r] = pPos ? (pPos.has(String(plainText(row[1]))) ? 1 : 0) : Number(row[1]);
    for (let j = 0; j < k; j++) {
      const v = plainText(row[2 + j]);
      const code = v === null ? -1 : index[j].get(v);
      if (code === undefined)
        throw new Error(`${relation.name} changed while it was read (a group value not seen when counting)`);
      codes[j][r] = code;
    }
    let c = 2 + k;
    if (sampleWeight) sampleWeight[r] = Number(row[c++]);
    if (scores) scores[r] = Number(row[c++]);
    for (const a of attributes) attributeValues[a][r] = plainText(row[c++]);
  }
  const sensitiveFeatures: Record<string, CategoricalColumn> = {};
  roles.sensitive.forEach((c, j) => {
    sensitiveFeatures[c] = { codes: codes[j], levels: counts.levels[c] };
  });
  return { rows: { yTrue, yPred, sampleWeight, sensitiveFeatures, n }, scores, attributes: attributeValues };
}

/** The datasheet's facts about every column of the relation: type, missing and distinct values (one query). */
export async function relationProfiles(relation: OpenedRelation): Promise<ColumnProfile[]> {
  const id = relation.engine.dialect.identifier;
  const sql = `SELECT COUNT(*), ${relation.columns
    .map((c) => `COUNT(${id(c.name)}), COUNT(DISTINCT ${id(c.name)})`)
    .join(", ")} FROM ${relation.sql} AS fairkit_input${relation.where ? ` WHERE ${relation.where}` : ""}`;
  return profilesOfRow(relation.columns, (await relation.engine.query(sql))[0]);
}
