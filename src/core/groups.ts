/**
 * Group encoding: one or more sensitive columns become one dense integer code per row for their
 * intersection, with a label for every code. Only combinations that occur get a code; missing
 * values are an explicit level, `(missing)`, counted per column.
 */
import { FairkitError, messages } from "./errors.js";
import { checkLength, checkNotEmpty } from "./validate.js";

/** A value a sensitive column can take. */
export type Level = string | number | boolean;

/**
 * A column already encoded as integer codes into `levels` (like an Arrow dictionary or a pandas
 * Categorical); a negative code means missing. This is the fast path for millions of rows.
 */
export interface CategoricalColumn {
  codes: ArrayLike<number>;
  levels: readonly Level[];
}

/** One sensitive column: plain values (null, undefined or NaN are missing) or categorical codes. */
export type Column = ArrayLike<Level | null | undefined> | CategoricalColumn;

/** Sensitive features: one column, or several by name (their intersection defines the groups). */
export type SensitiveInput = Column | Readonly<Record<string, Column>>;

/** The label shown for a missing value. */
export const MISSING_LABEL = "(missing)";

/** One group: its key (values joined by ", ") and the value of each sensitive column (null = missing). */
export interface GroupInfo {
  key: string;
  values: Record<string, Level | null>;
}

/** The result of {@link encodeGroups}. */
export interface GroupEncoding {
  /** Names of the sensitive columns, in the order given. */
  columns: string[];
  /**
   * Group code of each row: an index into `groups`. May share memory with a categorical input
   * whose codes already are dense group codes.
   */
  codes: Int32Array;
  /** The groups that occur, ordered by the levels of the first column, then the second, … */
  groups: GroupInfo[];
  /** Rows with a missing value, per column. */
  missing: Record<string, number>;
}

/** True when `x` is a {@link CategoricalColumn}. */
export function isCategorical(x: unknown): x is CategoricalColumn {
  return typeof x === "object" && x !== null && "codes" in x && "levels" in x && !Array.isArray(x);
}

function isColumn(x: unknown): x is Column {
  return Array.isArray(x) || ArrayBuffer.isView(x) || isCategorical(x);
}

/** Normalises sensitive input to named columns; a single column is named `group`. */
export function namedColumns(input: SensitiveInput, defaultName = "group"): [string, Column][] {
  if (isColumn(input)) return [[defaultName, input]];
  const entries = Object.entries(input as Record<string, Column>);
  if (entries.length === 0) {
    throw new FairkitError("BAD_ARGUMENT", "sensitiveFeatures names no column", { argument: "sensitiveFeatures" });
  }
  for (const [name, column] of entries) {
    if (!isColumn(column)) {
      throw new FairkitError("BAD_ARGUMENT", `sensitive feature ${JSON.stringify(name)} is not an array of values`, {
        argument: name,
      });
    }
  }
  return entries;
}

function columnLength(column: Column): number {
  return isCategorical(column) ? column.codes.length : column.length;
}

function compareLevels(a: Level, b: Level): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) {
    const rank = (t: string) => (t === "number" ? 0 : t === "boolean" ? 1 : 2);
    return rank(ta) - rank(tb);
  }
  if (ta === "number") return (a as number) - (b as number);
  return a < b ? -1 : a > b ? 1 : 0;
}

interface EncodedColumn {
  /** Level index per row; missing rows get index `levels.length`. */
  index: Int32Array;
  levels: Level[];
  missing: number;
}

function encodeColumn(column: Column, name: string): EncodedColumn {
  const n = columnLength(column);
  let missing = 0;
  if (isCategorical(column)) {
    const levels = [...column.levels];
    const m = levels.length;
    const codes = column.codes;
    // Integer typed arrays need only a range check; anything else is checked value by value.
    const integral = codes instanceof Int32Array || codes instanceof Int16Array || codes instanceof Int8Array || codes instanceof Uint8Array || codes instanceof Uint16Array;
    let bad = -1;
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      if (c < 0) missing++;
      else if (c >= m || (!integral && !Number.isInteger(c))) {
        if (!Number.isNaN(c)) {
          bad = i;
          break;
        }
        missing++;
      }
    }
    if (bad >= 0) {
      throw new FairkitError("BAD_ARGUMENT", `sensitive feature ${JSON.stringify(name)} has code ${codes[bad]} at index ${bad}, but only ${m} levels`, {
        argument: name,
        row: bad,
      });
    }
    if (missing === 0 && codes instanceof Int32Array) return { index: codes, levels, missing };
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = codes[i];
      index[i] = c >= 0 ? c : m;
    }
    return { index, levels, missing };
  }
  const index = new Int32Array(n);
  const seen = new Map<Level, number>();
  const firstSeen: Level[] = [];
  const MISSING = -1;
  for (let i = 0; i < n; i++) {
    const v = column[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      index[i] = MISSING;
      missing++;
      continue;
    }
    let k = seen.get(v);
    if (k === undefined) {
      k = firstSeen.length;
      seen.set(v, k);
      firstSeen.push(v);
    }
    index[i] = k;
  }
  const order = firstSeen.map((_, k) => k).sort((a, b) => compareLevels(firstSeen[a], firstSeen[b]));
  const rank = new Int32Array(firstSeen.length);
  order.forEach((k, r) => {
    rank[k] = r;
  });
  const m = firstSeen.length;
  for (let i = 0; i < n; i++) index[i] = index[i] === MISSING ? m : rank[index[i]];
  return { index, levels: order.map((k) => firstSeen[k]), missing };
}

/** Largest mixed-radix space for which a dense lookup table is used instead of a hash map. */
const TABLE_LIMIT = 1 << 24;

/**
 * Encodes one or more sensitive columns into one group code per row.
 *
 * @example
 * const { codes, groups } = encodeGroups({ race: ["a", "b", "a"], sex: ["F", "F", "M"] });
 * // groups: [{ key: "a, F" }, { key: "a, M" }, { key: "b, F" }]; codes: [0, 2, 1]
 */
export function encodeGroups(input: SensitiveInput, expectedRows?: number, expectedArgument = "yTrue"): GroupEncoding {
  const named = namedColumns(input);
  const n = columnLength(named[0][1]);
  for (const [name, column] of named) {
    if (expectedRows !== undefined) checkLength({ length: columnLength(column) }, name, expectedRows, expectedArgument);
    else checkLength({ length: columnLength(column) }, name, n, named[0][0]);
  }
  checkNotEmpty(n, named[0][0]);
  const encoded = named.map(([name, column]) => encodeColumn(column, name));
  const radix = encoded.map((e) => e.levels.length + (e.missing > 0 ? 1 : 0));
  const strides: number[] = new Array(radix.length);
  let space = 1;
  for (let c = radix.length - 1; c >= 0; c--) {
    strides[c] = space;
    space *= Math.max(radix[c], 1);
  }
  let codes: Int32Array;
  let present: number[];
  if (space <= TABLE_LIMIT) {
    // Mixed-radix codes fit in int32: one pass per column, one to mark the combinations that
    // occur, and a remap pass only when some combination is absent.
    let radixCodes: Int32Array;
    if (encoded.length === 1) radixCodes = encoded[0].index;
    else {
      radixCodes = new Int32Array(n);
      for (let c = 0; c < encoded.length; c++) {
        const idx = encoded[c].index;
        const s = strides[c];
        for (let i = 0; i < n; i++) radixCodes[i] += idx[i] * s;
      }
    }
    const dense = new Int32Array(space).fill(-1);
    for (let i = 0; i < n; i++) dense[radixCodes[i]] = 0;
    present = [];
    for (let k = 0; k < space; k++) if (dense[k] === 0) dense[k] = present.push(k) - 1;
    if (present.length === space) codes = radixCodes;
    else {
      codes = encoded.length === 1 ? new Int32Array(n) : radixCodes;
      for (let i = 0; i < n; i++) codes[i] = dense[radixCodes[i]];
    }
  } else {
    const radixCodes = new Float64Array(n);
    for (let c = 0; c < encoded.length; c++) {
      const idx = encoded[c].index;
      const s = strides[c];
      for (let i = 0; i < n; i++) radixCodes[i] += idx[i] * s;
    }
    const unique = [...new Set(radixCodes)].sort((a, b) => a - b);
    const dense = new Map<number, number>();
    unique.forEach((k, j) => {
      dense.set(k, j);
    });
    codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = dense.get(radixCodes[i])!;
    present = unique;
  }
  const columns = named.map(([name]) => name);
  const groups = present.map((radixCode) => {
    const values: Record<string, Level | null> = {};
    const parts: string[] = [];
    for (let c = 0; c < encoded.length; c++) {
      const level = Math.floor(radixCode / strides[c]) % radix[c];
      const value = level < encoded[c].levels.length ? encoded[c].levels[level] : null;
      values[columns[c]] = value;
      parts.push(value === null ? MISSING_LABEL : String(value));
    }
    return { key: parts.join(", "), values };
  });
  const missing: Record<string, number> = {};
  columns.forEach((name, c) => {
    missing[name] = encoded[c].missing;
  });
  return { columns, codes, groups, missing };
}

/** Finds a group by key (`"a, F"`) or by values (`{ race: "a", sex: "F" }`); throws if absent. */
export function findGroup(groups: readonly GroupInfo[], reference: string | Record<string, Level | null>): number {
  const key =
    typeof reference === "string"
      ? reference
      : Object.values(reference)
          .map((v) => (v === null ? MISSING_LABEL : String(v)))
          .join(", ");
  const index = groups.findIndex((g) => g.key === key);
  if (index < 0) {
    throw new FairkitError(
      "UNKNOWN_GROUP",
      messages.unknownGroup(
        key,
        groups.map((g) => g.key),
      ),
      { argument: "reference" },
    );
  }
  return index;
}
