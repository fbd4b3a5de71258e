/**
 * Finds the real data sets for tests where fairkit itself keeps them: the data folder
 * ($FAIRKIT_DATA_DIR, else ~/.cache/fairkit, which `npx fairkit data NAME` fills), then the
 * project's shared data folder beside the checkout (../shared/data, where the development machines
 * and CI hold a copy). Where none holds the file, tests that need it skip with a message saying
 * how to get it.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { Matrix } from "../../src/models/matrix.js";
import { fitTabular } from "../../src/models/tabular.js";
import { ADULT_COLUMNS } from "../../src/node/io/datasets.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where the data sets are looked for, in order (the data folder as `cacheDir()` of src/node/io/datasets.ts resolves it, first). */
export function dataDirs(): string[] {
  return [process.env.FAIRKIT_DATA_DIR || join(homedir(), ".cache", "fairkit"), join(repoRoot, "..", "shared", "data")];
}

/** The data files the tests use. */
export type DataFile = "compas-scores-two-years.csv" | "adult.data" | "law_data.csv";

/** Full path of a data file, or undefined when it is nowhere to be found. */
export function dataPath(name: DataFile, dirs: readonly string[] = dataDirs()): string | undefined {
  for (const dir of dirs) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * For node:test's `skip` option: false when the file is there, else a message saying how to get
 * it (`npx fairkit data compas` / `npx fairkit data adult` download it into the data folder).
 */
export function skipWithoutData(name: DataFile): string | false {
  if (dataPath(name)) return false;
  const dataset = name === "adult.data" ? "adult" : name === "law_data.csv" ? "law" : "compas";
  return `${name} not found in ${dataDirs().join(" or ")}: run \`npx fairkit data ${dataset}\` (downloads and verifies it into $FAIRKIT_DATA_DIR, else ~/.cache/fairkit), or point FAIRKIT_DATA_DIR at a folder holding it`;
}

/** One COMPAS row as text fields (the test reading is independent of fairkit's own readers). */
export type CompasRow = Record<string, string>;

/** COMPAS rows after ProPublica's usual filter (6,172 rows), parsed by csv-parse. */
export function compasFiltered(): CompasRow[] {
  const path = dataPath("compas-scores-two-years.csv");
  if (!path) throw new Error("COMPAS data not found");
  const rows: CompasRow[] = parse(readFileSync(path), {
    columns: true,
    skip_empty_lines: true,
    relax_column_count: false,
    group_columns_by_name: false,
  });
  return rows.filter((r) => {
    if (r.days_b_screening_arrest === "") return false;
    const d = Number(r.days_b_screening_arrest);
    return d >= -30 && d <= 30 && r.is_recid !== "-1" && r.c_charge_degree !== "O" && r.score_text !== "N/A";
  });
}

/** Adult column names, in file order (the data set's own list: the file has no header). */
export { ADULT_COLUMNS };

/** Adult rows as text fields, split on ", " (missing values kept as they are written). */
export function adultRows(): Record<(typeof ADULT_COLUMNS)[number], string>[] {
  const path = dataPath("adult.data");
  if (!path) throw new Error("Adult data not found");
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const fields = line.split(", ");
      return Object.fromEntries(ADULT_COLUMNS.map((c, i) => [c, fields[i]])) as Record<
        (typeof ADULT_COLUMNS)[number],
        string
      >;
    });
}

/** Law-school rows as text fields (csv-parse), after the paper's filter (region_first != "PO": 21,790 rows). */
export function lawRows(): Record<string, string>[] {
  const path = dataPath("law_data.csv");
  if (!path) throw new Error("law-school data not found");
  const rows: Record<string, string>[] = parse(readFileSync(path), { columns: true, skip_empty_lines: true });
  return rows.filter((r) => r.region_first !== "PO");
}

/** Adult's numeric feature columns (standardised by {@link adultFeatures}). */
export const ADULT_NUMERIC = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"] as const;
/** Adult's categorical feature columns (one-hot encoded by {@link adultFeatures}). */
export const ADULT_CATEGORICAL = [
  "workclass",
  "education",
  "marital-status",
  "occupation",
  "relationship",
  "race",
  "sex",
  "native-country",
] as const;

/** Adult's feature matrix as the neighbour tests and benchmark use it: 5 standardised numerics, 8 one-hot categoricals (107 columns). */
export function adultFeatures(rows: ReturnType<typeof adultRows> = adultRows()): Matrix {
  const columns = [...ADULT_NUMERIC, ...ADULT_CATEGORICAL];
  const table: Record<string, string[]> = {};
  for (const c of columns) table[c] = rows.map((r) => r[c]);
  return fitTabular(table, { columns, numeric: [...ADULT_NUMERIC], categorical: [...ADULT_CATEGORICAL] }).transform(
    table,
  );
}
