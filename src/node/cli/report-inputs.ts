/**
 * What every report reads besides the audit: the data file's SHA-256, the card file, the
 * generation time (SOURCE_DATE_EPOCH fixes it), the configuration's canonical hash, and the
 * datasheet's column profiles. `fairkit report` and its regression and multiclass form share them.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  type CardFile,
  checkCardFile,
  type ColumnProfile,
  type DataProvenance,
  FairkitError,
  profilesOfRow,
  type Provenance,
} from "fairkit/internal";
import { filteredFrom, type Source } from "../io/source.js";
import { sqlIdentifier } from "../io/sql.js";
import { UsageError } from "./exit.js";

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** JSON with object keys sorted, so equal configurations hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Reads a card file (YAML or JSON; JSON is YAML too). */
export async function readCardFile(path: string): Promise<{ card: CardFile; sha256: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new FairkitError("BAD_FILE", `cannot read the card file ${path}: no such file`, { file: path });
  }
  let parsed: unknown;
  try {
    const { parse } = await import("yaml"); // loaded for a card file only
    parsed = parse(text);
  } catch (error) {
    throw new FairkitError(
      "BAD_FILE",
      `cannot parse the card file ${path}: ${(error as Error).message.split("\n")[0]}`,
      { file: path },
    );
  }
  return { card: checkCardFile(parsed, `card file ${path}`), sha256: createHash("sha256").update(text).digest("hex") };
}

/** The generation time: SOURCE_DATE_EPOCH (seconds) when set, for reproducible reports, else now. */
export function generationTime(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/** The report's provenance: the data, the configuration and its SHA-256, the card file. */
export function provenanceOf(
  data: DataProvenance,
  config: Record<string, unknown>,
  card: { sha256: string } | undefined,
  cardPath: string | undefined,
): Provenance {
  return {
    generated_at: generationTime(),
    data: [data],
    config,
    config_sha256: createHash("sha256").update(canonicalJson(config)).digest("hex"),
    card_file: card && cardPath ? { name: basename(cardPath), sha256: card.sha256 } : null,
  };
}

/** The datasheet's facts about every column of a source: type, missing and distinct values (one query). */
export async function columnProfilesOf(connection: DuckDBConnection, source: Source): Promise<ColumnProfile[]> {
  const profileSql = `SELECT count(*) AS n, ${source.columns
    .map((col, j) => `count(${sqlIdentifier(col.name)}) AS p${j}, count(DISTINCT ${sqlIdentifier(col.name)}) AS d${j}`)
    .join(", ")} FROM ${filteredFrom(source)}`;
  return profilesOfRow(source.columns, (await connection.runAndReadAll(profileSql)).getRows()[0]);
}

const SEX_NAMES = ["sex", "gender"];
const RACE_NAMES = ["race", "ethnicity", "race_ethnicity", "race/ethnicity"];

/**
 * The sensitive columns NYC LL144's tables use: the ones given (`--ll144-sex`, `--ll144-race`,
 * which must be sensitive columns), else one named sex or gender and one named race or ethnicity.
 */
export function ll144Columns(
  sex: string | undefined,
  race: string | undefined,
  sensitive: readonly string[],
): { sexColumn: string | undefined; raceColumn: string | undefined } {
  for (const [option, column] of [
    ["--ll144-sex", sex],
    ["--ll144-race", race],
  ] as const) {
    if (column !== undefined && !sensitive.includes(column))
      throw new UsageError(`${option} ${column} must be one of the --sensitive columns (${sensitive.join(", ")})`);
  }
  return {
    sexColumn: sex ?? sensitive.find((c) => SEX_NAMES.includes(c.toLowerCase())),
    raceColumn: race ?? sensitive.find((c) => RACE_NAMES.includes(c.toLowerCase())),
  };
}
