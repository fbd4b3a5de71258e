/**
 * The real data sets, fetched from their public origins, cached, and verified by SHA-256:
 *
 * - COMPAS (ProPublica, "Machine Bias", 2016): compas-scores-two-years.csv of
 *   github.com/propublica/compas-analysis (master branch).
 * - Adult (UCI, Kohavi & Becker 1996, CC BY 4.0): adult.data of the UCI repository.
 * - Law school (LSAC bar-passage study as used by Kusner et al. 2017, "Counterfactual Fairness"):
 *   law_data.csv of github.com/Xu-xinxin/Counterfactual-fairness (pinned commit), the copy public
 *   replications of the paper use; LSAC states no licence there: for tests and research.
 *
 * The data folder is `$FAIRKIT_DATA_DIR`, else ~/.cache/fairkit: `fairkit data NAME` fills it, the
 * loaders read it, and the test suite looks there. `from` takes a local copy instead of
 * downloading: it is verified and copied into the folder. The download base URL can be
 * overridden (`baseUrl` or `$FAIRKIT_DATA_BASE_URL`), e.g. for a mirror.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { copyFile, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { FairkitError } from "fairkit/internal";
import { withDuckDB } from "./duckdb.js";
import { type SourceOptions, filteredFrom, openSource } from "./source.js";
import { sqlIdentifier } from "./sql.js";

/** A known data set: where it comes from and the digest every copy must have. */
export interface DatasetSpec {
  name: DatasetName;
  file: string;
  url: string;
  sha256: string;
  /** How to read it: column names, missing-value markers, the usual filter. */
  read: SourceOptions;
  citation: string;
}

/** Adult's columns, in file order (the file has no header). */
export const ADULT_COLUMNS: readonly string[] = Object.freeze([
  "age",
  "workclass",
  "fnlwgt",
  "education",
  "education-num",
  "marital-status",
  "occupation",
  "relationship",
  "race",
  "sex",
  "capital-gain",
  "capital-loss",
  "hours-per-week",
  "native-country",
  "income",
]);

/** ProPublica's filter of COMPAS (6,172 rows remain). */
export const COMPAS_FILTER =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";

/** The paper's filter of the law-school data (21,790 rows remain). */
export const LAW_FILTER = "region_first != 'PO'";

/** The names of the data sets fairkit knows. */
export type DatasetName = "compas" | "adult" | "law";

/** The data sets fairkit knows. */
export const DATASETS: Readonly<Record<DatasetName, DatasetSpec>> = Object.freeze({
  compas: {
    name: "compas",
    file: "compas-scores-two-years.csv",
    url: "https://raw.githubusercontent.com/propublica/compas-analysis/master/compas-scores-two-years.csv",
    sha256: "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d",
    read: { format: "csv" },
    citation: "J. Angwin, J. Larson, S. Mattu, L. Kirchner, Machine Bias, ProPublica, 2016",
  },
  adult: {
    name: "adult",
    file: "adult.data",
    url: "https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.data",
    sha256: "a0351ccac2e50adb68d08c54a6ce37daae7714fac1423a7c09577ae0f55934ba",
    // Missing values are written "?" in the original and "MissingValue" in some copies; fields follow ", ".
    read: {
      format: "csv",
      header: false,
      columns: ADULT_COLUMNS,
      nullValues: ["?", " ?", "MissingValue", " MissingValue"],
    },
    citation: "R. Kohavi, B. Becker, Adult, UCI Machine Learning Repository, 1996 (CC BY 4.0)",
  },
  law: {
    name: "law",
    file: "law_data.csv",
    url: "https://raw.githubusercontent.com/Xu-xinxin/Counterfactual-fairness/74d672a3d6fb9d23678fbf632deef293ccaa3e26/law_data.csv",
    sha256: "778f7e055d7be170197b73c98d6ce7f18b4f38d5ca1093c6af10bb9fcd75181d",
    read: { format: "csv" },
    citation:
      "L. F. Wightman, LSAC National Longitudinal Bar Passage Study, 1998; as used by M. J. Kusner, J. Loftus, C. Russell, R. Silva, Counterfactual Fairness, NeurIPS 2017 (no licence stated: tests and research)",
  },
});

/** Options of the loaders. */
export interface DatasetOptions {
  /** Take this local copy instead of downloading: it must have the known SHA-256, and is copied into the data folder. */
  from?: string;
  /** The data folder; default `$FAIRKIT_DATA_DIR`, else ~/.cache/fairkit. */
  cacheDir?: string;
  /** Download from `${baseUrl}/${file}` instead of the origin (default `$FAIRKIT_DATA_BASE_URL`). */
  baseUrl?: string;
  /** Check the SHA-256 (default true). */
  verify?: boolean;
}

/** The SHA-256 of a file, as hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}

/** The environment variable naming the data folder. */
export const DATA_DIR_VARIABLE = "FAIRKIT_DATA_DIR";

/** The data folder: `cacheDir`, else `$FAIRKIT_DATA_DIR`, else ~/.cache/fairkit. */
export function cacheDir(options: DatasetOptions = {}): string {
  return options.cacheDir ?? (process.env[DATA_DIR_VARIABLE] || join(homedir(), ".cache", "fairkit"));
}

/** One file of a data set: where it lives in the data folder, where it comes from, its digest. */
export interface DataFileSpec {
  /** Path inside the data folder (may hold a folder: "holistic_bias/nouns.json"). */
  file: string;
  url: string;
  sha256: string;
}

/** Writes `fill(temp)` to a temporary file beside `target`, verifies it, and renames it: the folder never holds a bad copy. */
async function intoFolder(
  target: string,
  spec: DataFileSpec,
  what: string,
  check: boolean,
  fill: (temp: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await fill(temp);
    if (check) await verify(temp, spec, what);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

async function verify(path: string, spec: DataFileSpec, what: string): Promise<void> {
  const digest = await sha256File(path);
  if (digest !== spec.sha256) {
    throw new FairkitError(
      "BAD_FILE",
      `${what}: SHA-256 is ${digest}, expected ${spec.sha256} for ${spec.file}: not the published file (or a damaged copy)`,
      { file: path },
    );
  }
}

/**
 * The verified path of a data set in the data folder: copied there from `from` if given, else the
 * copy already there, else downloaded (each to a temporary file, verified, then renamed: the folder
 * never holds a bad copy).
 *
 * @example
 * const path = await datasetFile("compas"); // ~/.cache/fairkit/compas-scores-two-years.csv
 */
export async function datasetFile(name: DatasetName, options: DatasetOptions = {}): Promise<string> {
  return verifiedFile(DATASETS[name], options);
}

/**
 * The verified path of one data file in the data folder, the way {@link datasetFile} finds it:
 * from `options.from`, else the folder's copy, else downloaded from its origin (or
 * `${baseUrl}/${file}`).
 */
export async function verifiedFile(spec: DataFileSpec, options: DatasetOptions = {}): Promise<string> {
  const check = options.verify ?? true;
  const dir = cacheDir(options);
  const cached = join(dir, spec.file);
  if (options.from !== undefined) {
    const from = options.from;
    if (!existsSync(from)) throw new FairkitError("BAD_FILE", `${from}: no such file`, { file: from });
    if (check) await verify(from, spec, from);
    // Already the folder's copy: nothing to copy.
    if (existsSync(cached) && (await realpath(cached)) === (await realpath(from))) return cached;
    await intoFolder(cached, spec, from, check, (temp) => copyFile(from, temp));
    return cached;
  }
  if (existsSync(cached)) {
    if (check) await verify(cached, spec, cached);
    return cached;
  }
  const base = options.baseUrl ?? process.env.FAIRKIT_DATA_BASE_URL;
  const url = base ? `${base.replace(/\/$/, "")}/${spec.file}` : spec.url;
  let body: Uint8Array;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new FairkitError(
      "BAD_FILE",
      `cannot download ${spec.file} from ${url}: ${(error as Error).message}; pass a local copy with --from FILE (library: { from })`,
      { file: url },
    );
  }
  await intoFolder(cached, spec, url, check, (temp) => writeFile(temp, body));
  return cached;
}

/** A loaded data set: its columns as plain arrays (text trimmed; missing values null). */
export interface Dataset {
  name: DatasetName;
  path: string;
  /** Rows (after the usual filter, for COMPAS and the law-school data, unless `filter: false`). */
  n: number;
  columns: Record<string, (string | number | boolean | null)[]>;
  citation: string;
}

async function load(name: DatasetName, options: DatasetOptions, where?: string): Promise<Dataset> {
  const spec = DATASETS[name];
  const path = await datasetFile(name, options);
  return withDuckDB(async (con) => {
    const source = await openSource(con, path, { ...spec.read, where });
    const select = source.columns.map((c) =>
      c.type === "VARCHAR" ? `trim(${sqlIdentifier(c.name)}) AS ${sqlIdentifier(c.name)}` : sqlIdentifier(c.name),
    );
    const reader = await con.runAndReadAll(`SELECT ${select.join(", ")} FROM ${filteredFrom(source)}`);
    const columns: Dataset["columns"] = {};
    const names = source.columns.map((c) => c.name);
    const raw = reader.getColumns();
    names.forEach((c, j) => {
      columns[c] = raw[j].map((v) =>
        v === null
          ? null
          : typeof v === "bigint"
            ? Number(v)
            : typeof v === "string" || typeof v === "number" || typeof v === "boolean"
              ? v
              : String(v),
      );
    });
    return { name, path, n: reader.currentRowCount, columns, citation: spec.citation };
  });
}

/**
 * COMPAS, with ProPublica's usual filter unless `filter: false` (6,172 rows; 7,214 without).
 * Duplicate column names in the file are read as DuckDB names them (`decile_score_1`, `priors_count_1`).
 *
 * @example
 * const compas = await loadCompas();
 * new MetricFrame({ metrics: "false_positive_rate", yTrue: compas.columns.two_year_recid,
 *   yPred: compas.columns.decile_score.map((d) => (Number(d) >= 5 ? 1 : 0)), sensitiveFeatures: { race: compas.columns.race } });
 */
export async function loadCompas(options: DatasetOptions & { filter?: boolean } = {}): Promise<Dataset> {
  return load("compas", options, options.filter === false ? undefined : COMPAS_FILTER);
}

/**
 * Adult (32,561 rows), columns named, text trimmed, `?` and `MissingValue` read as missing.
 *
 * @example
 * const adult = await loadAdult();
 * adult.columns.income; // ["<=50K", …]
 */
export async function loadAdult(options: DatasetOptions = {}): Promise<Dataset> {
  return load("adult", options);
}

/**
 * The law-school data of Kusner et al. 2017 with the paper's filter (`region_first != 'PO'`,
 * 21,790 rows; 21,791 with `filter: false`): race (8 levels), sex (1 or 2), LSAT, UGPA,
 * region_first, ZFYA (standardised first-year average), sander_index, first_pf. The file's first,
 * unnamed column is a row number (DuckDB names it `column0`).
 *
 * @example
 * const law = await loadLaw();
 * law.n; // 21790
 */
export async function loadLaw(options: DatasetOptions & { filter?: boolean } = {}): Promise<Dataset> {
  return load("law", options, options.filter === false ? undefined : LAW_FILTER);
}
