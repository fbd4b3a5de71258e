/**
 * Group encoding and group identity. One or more sensitive columns become one dense integer code
 * per row for their intersection. Only combinations that occur get a code; missing values are an
 * explicit level, `(missing)`, counted per column.
 *
 * The identity rule, used everywhere (engine, JSON, policy files, web): a group IS the tuple of
 * its values, one per sensitive column, compared with their type — the number 1 and the text "1"
 * are different values, so one column may not hold both (that is an error, never a silent merge).
 * Its `key` is a display label derived from the tuple: the values joined by ", ", each written
 * plainly unless it could be misread (it contains a comma, a quote or a control character, has
 * surrounding spaces, is empty, or reads "(missing)"), in which case it is JSON-quoted. So the
 * label is unique within a table ("x, y" + "z" shows as `"x, y", z`; "x" + "y, z" as `x, "y, z"`),
 * and tables from different sources are matched by {@link groupId}, the typed tuple.
 */
import { FairkitError, type FairkitWarning, messages } from "./errors.js";
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

/** One group: the value of each sensitive column (null = missing) and its display label. */
export interface GroupInfo {
  /** Display label derived from `values` by {@link groupLabel}: unique within a table. */
  key: string;
  /** Sensitive column name → value (null = missing), in column order. */
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
  if (input === null || typeof input !== "object") {
    throw new FairkitError("BAD_ARGUMENT", messages.badSensitiveFeatures(input), {
      argument: "sensitiveFeatures",
    });
  }
  const entries = Object.entries(input as Record<string, Column>);
  if (entries.length === 0) {
    throw new FairkitError("BAD_ARGUMENT", messages.namesNoColumn("sensitiveFeatures"), {
      argument: "sensitiveFeatures",
    });
  }
  for (const [name, column] of entries) {
    if (!isColumn(column)) {
      throw new FairkitError("BAD_ARGUMENT", messages.notAnArray(name), {
        argument: name,
      });
    }
  }
  return entries;
}

function columnLength(column: Column): number {
  return isCategorical(column) ? column.codes.length : column.length;
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The order of levels: numbers ascending, then booleans, then text. Text that reads as a number
 * sorts by its value ("9" before "10"; files are read as text, so this keeps ages and codes in
 * their natural order), then by code point.
 */
export function compareLevels(a: Level, b: Level): number {
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) {
    const rank = (t: string) => (t === "number" ? 0 : t === "boolean" ? 1 : 2);
    return rank(ta) - rank(tb);
  }
  if (ta === "number") return (a as number) - (b as number);
  if (ta === "string") {
    const na = NUMERIC_TEXT.test(a as string);
    const nb = NUMERIC_TEXT.test(b as string);
    if (na && nb) {
      const d = Number(a) - Number(b);
      if (d !== 0) return d;
    } else if (na !== nb) return na ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when a text value would be misread if written plainly in a group label. */
function needsQuotes(s: string): boolean {
  if (s === "" || s !== s.trim() || s === MISSING_LABEL) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 44 || c < 32 || c === 127) return true; // '"', ',' and control characters
  }
  return false;
}

/** The display of one value in a group label: `(missing)` for null, text JSON-quoted when it could be misread. */
export function levelLabel(value: Level | null): string {
  if (value === null) return MISSING_LABEL;
  if (typeof value === "string") return needsQuotes(value) ? JSON.stringify(value) : value;
  if (typeof value === "number" && Object.is(value, -0)) return "0";
  return String(value);
}

/**
 * The display label of a group: its values (in column order) joined by ", ", each by
 * {@link levelLabel}. Unique among the groups of one table.
 *
 * @example
 * groupLabel(["x, y", "z"]); // '"x, y", z'
 * groupLabel(["x", "y, z"]); // 'x, "y, z"'
 */
export function groupLabel(values: readonly (Level | null)[]): string {
  return values.map(levelLabel).join(", ");
}

/** A group's values in the order of `columns` (a missing column reads as null). */
export function groupTuple(
  values: Readonly<Record<string, Level | null>>,
  columns: readonly string[],
): (Level | null)[] {
  return columns.map((c) => values[c] ?? null);
}

/**
 * The identity of a group as a string: its typed tuple, so the number 1 and the text "1" differ.
 * Use it to match groups across tables, chunks and saved policies.
 */
export function groupId(tuple: readonly (Level | null)[]): string {
  return JSON.stringify(tuple.map((v) => (v === null || typeof v === "string" ? v : [typeof v, levelLabel(v)])));
}

/** How a value is named in messages: `the number 1`, `the text "1"`, `the boolean true`. */
export function describeLevel(value: Level | null): string {
  if (value === null) return "a missing value";
  return typeof value === "string" ? `the text ${JSON.stringify(value)}` : `the ${typeof value} ${String(value)}`;
}

/** Throws when two distinct levels of a column would show with the same label (e.g. 1 and "1"). */
function checkDistinctLabels(levels: readonly Level[], name: string): void {
  const byLabel = new Map<string, Level>();
  for (const level of levels) {
    const label = levelLabel(level);
    const other = byLabel.get(label);
    if (other !== undefined) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.sameLabel(name, describeLevel(other), describeLevel(level), label),
        { argument: name },
      );
    }
    byLabel.set(label, level);
  }
}

interface EncodedColumn {
  /** Level index per row; missing rows get index `levels.length`. */
  index: Int32Array;
  levels: Level[];
  missing: number;
}

/** The levels of a categorical column, checked: each a text, number or boolean, no two the same or labelled alike. */
export function checkedLevels(column: CategoricalColumn, name: string): Level[] {
  const levels = [...column.levels];
  const seenLevels = new Map<string, number>();
  levels.forEach((level, k) => {
    if (
      level === null ||
      level === undefined ||
      (typeof level === "number" && Number.isNaN(level)) ||
      !["string", "number", "boolean"].includes(typeof level)
    ) {
      throw new FairkitError("BAD_ARGUMENT", messages.badLevel(name, k, level), { argument: name });
    }
    const id = groupId([level]);
    const first = seenLevels.get(id);
    if (first !== undefined)
      throw new FairkitError("BAD_ARGUMENT", messages.duplicateLevel(name, levelLabel(level), first, k), {
        argument: name,
      });
    seenLevels.set(id, k);
  });
  checkDistinctLabels(levels, name);
  return levels;
}

function encodeColumn(column: Column, name: string): EncodedColumn {
  const n = columnLength(column);
  let missing = 0;
  if (isCategorical(column)) {
    const levels = checkedLevels(column, name);
    const m = levels.length;
    const codes = column.codes;
    // Integer typed arrays need only a range check; anything else is checked value by value.
    const integral =
      codes instanceof Int32Array ||
      codes instanceof Int16Array ||
      codes instanceof Int8Array ||
      codes instanceof Uint8Array ||
      codes instanceof Uint16Array;
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
      throw new FairkitError("BAD_ARGUMENT", messages.badCode(name, codes[bad], bad, m), {
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
      firstSeen.push(v === 0 ? 0 : v); // -0 and 0 are one value (the Map already says so): keep +0
    }
    index[i] = k;
  }
  for (const v of firstSeen) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw new FairkitError("BAD_ARGUMENT", messages.badValue(name, v), { argument: name });
    }
  }
  checkDistinctLabels(firstSeen, name);
  const order = firstSeen.map((_, k) => k).sort((a, b) => compareLevels(firstSeen[a], firstSeen[b]));
  const rank = new Int32Array(firstSeen.length);
  order.forEach((k, r) => {
    rank[k] = r;
  });
  const m = firstSeen.length;
  for (let i = 0; i < n; i++) index[i] = index[i] === MISSING ? m : rank[index[i]];
  return { index, levels: order.map((k) => firstSeen[k]), missing };
}

/**
 * The groups of mixed-radix codes: each code's level per column (`levels[c].length` means missing),
 * with its label. Shared by {@link encodeGroups} and the fused counting of prepare.ts.
 */
export function groupsOfRadixCodes(
  present: readonly number[],
  columns: readonly string[],
  levels: readonly (readonly Level[])[],
  strides: readonly number[],
  radix: readonly number[],
): GroupInfo[] {
  return present.map((radixCode) => {
    const values: Record<string, Level | null> = {};
    const tuple: (Level | null)[] = [];
    for (let c = 0; c < columns.length; c++) {
      const level = Math.floor(radixCode / strides[c]) % radix[c];
      const value = level < levels[c].length ? levels[c][level] : null;
      values[columns[c]] = value;
      tuple.push(value);
    }
    return { key: groupLabel(tuple), values };
  });
}

/** A column of integers in a typed array, as the fused counting reads it: value → level through a table. */
export interface IntegerColumnPlan {
  /** The values (the column itself when it is an Int32Array; a copy otherwise, so the hot loops see one array type). */
  values: Int32Array;
  min: number;
  /** Level index of value v at `slot[v − min]`. */
  slot: Int32Array;
  /** The values present, ascending (for a categorical column: its levels, in its order). */
  levels: Level[];
  /** A categorical column: its codes may be out of range (missing or wrong), which the fused pass must check. */
  categorical?: boolean;
}

/** Largest value range of an integer column looked up through a table. */
const INTEGER_RANGE_LIMIT = 1 << 20;

/**
 * The plan of an integer typed-array column (Int8…Int32, Uint8…Uint16: no missing value is
 * possible), or undefined for any other column or a range over 2^20 values.
 */
export function integerColumnPlan(column: Column, n: number, name: string): IntegerColumnPlan | undefined {
  if (isCategorical(column)) {
    // Codes into known levels: the table is the identity, and the fused pass checks each code's range.
    if (!(column.codes instanceof Int32Array) || column.codes.length !== n) return undefined;
    const levels = checkedLevels(column, name);
    return { values: column.codes, min: 0, slot: Int32Array.from(levels, (_, k) => k), levels, categorical: true };
  }
  let values: Int32Array;
  if (column instanceof Int32Array) values = column;
  else if (
    column instanceof Int16Array ||
    column instanceof Int8Array ||
    column instanceof Uint8Array ||
    column instanceof Uint16Array
  )
    values = Int32Array.from(column);
  else return undefined;
  if (n === 0 || values.length !== n) return undefined;
  return planOf(values, n);
}

function planOf(values: Int32Array, n: number): IntegerColumnPlan | undefined {
  let min = values[0];
  let max = values[0];
  for (let i = 1; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (max - min >= INTEGER_RANGE_LIMIT) return undefined;
  const slot = new Int32Array(max - min + 1);
  for (let i = 0; i < n; i++) slot[values[i] - min] = 1;
  const levels: Level[] = [];
  for (let k = 0; k < slot.length; k++) if (slot[k] === 1) slot[k] = levels.push(k + min) - 1;
  return { values, min, slot, levels };
}

/** Largest mixed-radix space for which a dense lookup table is used instead of a hash map. */
export const TABLE_LIMIT = 1 << 24;

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
  const groups = groupsOfRadixCodes(
    present,
    columns,
    encoded.map((e) => e.levels),
    strides,
    radix,
  );
  const missing: Record<string, number> = {};
  columns.forEach((name, c) => {
    missing[name] = encoded[c].missing;
  });
  return { columns, codes, groups, missing };
}

/** A reference to one group: its label (`"a, F"`), its values by column, or its tuple of values. */
export type GroupReference = string | Readonly<Record<string, Level | null>> | readonly (Level | null)[];

/**
 * Finds a group by its label (`"a, F"`; a JSON array such as `["x, y", "z"]` is read as a tuple),
 * by its values (`{ race: "a", sex: "F" }`) or by its tuple (`["a", "F"]`); throws if absent.
 */
export function findGroup(groups: readonly GroupInfo[], reference: GroupReference): number {
  const columns = groups.length > 0 ? Object.keys(groups[0].values) : [];
  let tuple: readonly (Level | null)[] | undefined;
  let shown: string;
  if (typeof reference === "string") {
    const byLabel = groups.findIndex((g) => g.key === reference);
    if (byLabel >= 0) return byLabel;
    shown = reference;
    if (reference.trimStart().startsWith("[")) {
      try {
        const parsed: unknown = JSON.parse(reference);
        if (Array.isArray(parsed)) tuple = parsed as (Level | null)[];
      } catch {
        // not a tuple: reported as an unknown label below
      }
    }
  } else if (Array.isArray(reference)) {
    tuple = reference as readonly (Level | null)[];
    shown = groupLabel(tuple);
  } else {
    const record = reference as Readonly<Record<string, Level | null>>;
    const unknown = Object.keys(record).filter((c) => !columns.includes(c));
    if (unknown.length > 0 || Object.keys(record).length !== columns.length) {
      throw new FairkitError("UNKNOWN_GROUP", messages.referenceColumns(Object.keys(record), columns), {
        argument: "reference",
      });
    }
    tuple = groupTuple(record, columns);
    shown = groupLabel(tuple);
  }
  if (tuple !== undefined) {
    const id = groupId(tuple);
    const index = groups.findIndex((g) => groupId(groupTuple(g.values, columns)) === id);
    if (index >= 0) return index;
  }
  throw new FairkitError(
    "UNKNOWN_GROUP",
    messages.unknownGroup(
      shown,
      groups.map((g) => g.key),
    ),
    { argument: "reference" },
  );
}

/** Orders groups as {@link encodeGroups} does: by the first column's levels, then the second's, … (missing last). */
export function compareGroups(a: GroupInfo, b: GroupInfo, columns: readonly string[]): number {
  for (const c of columns) {
    const x = a.values[c] ?? null;
    const y = b.values[c] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    const d = compareLevels(x, y);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The groups of two tables over the same columns, matched by identity ({@link groupId}): the
 * union, and where each input group went. When the two lists are the same, the order is kept;
 * otherwise the union is in level order. Two groups whose labels coincide but whose typed values
 * differ (the number 1 in one table, the text "1" in the other) are an error, not a merge.
 */
export function unionGroups(
  a: readonly GroupInfo[],
  b: readonly GroupInfo[],
  columns: readonly string[],
): { groups: GroupInfo[]; fromA: Int32Array; fromB: Int32Array } {
  const ids = (list: readonly GroupInfo[]) => list.map((g) => groupId(groupTuple(g.values, columns)));
  const idsA = ids(a);
  const idsB = ids(b);
  if (idsA.length === idsB.length && idsA.every((id, i) => id === idsB[i])) {
    const same = Int32Array.from(idsA, (_, i) => i);
    return { groups: [...a], fromA: same, fromB: same };
  }
  const byId = new Map<string, GroupInfo>();
  for (const [list, listIds] of [
    [a, idsA],
    [b, idsB],
  ] as const) {
    list.forEach((g, i) => {
      if (!byId.has(listIds[i]))
        byId.set(listIds[i], { key: groupLabel(groupTuple(g.values, columns)), values: { ...g.values } });
    });
  }
  const groups = [...byId.values()].sort((x, y) => compareGroups(x, y, columns));
  const byLabel = new Map<string, GroupInfo>();
  for (const g of groups) {
    const other = byLabel.get(g.key);
    if (other) {
      const c = columns.find((col) => groupId([other.values[col] ?? null]) !== groupId([g.values[col] ?? null]))!;
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.mixedTypes(g.key, c, describeLevel(other.values[c] ?? null), describeLevel(g.values[c] ?? null)),
        { argument: c },
      );
    }
    byLabel.set(g.key, g);
  }
  const index = new Map(groups.map((g, i) => [groupId(groupTuple(g.values, columns)), i]));
  return {
    groups,
    fromA: Int32Array.from(idsA, (id) => index.get(id)!),
    fromB: Int32Array.from(idsB, (id) => index.get(id)!),
  };
}

/**
 * Warnings for sensitive columns that compare nothing: a column with one value in these rows
 * splits no one, and a single group leaves every criterion undefined. Every face shows them.
 */
export function singleLevelWarnings(encoding: Pick<GroupEncoding, "columns" | "groups">): FairkitWarning[] {
  const out: FairkitWarning[] = [];
  if (encoding.groups.length === 1) {
    out.push({
      code: "SINGLE_GROUP",
      group: encoding.groups[0].key,
      message: messages.singleGroup(encoding.groups[0].key),
    });
    return out;
  }
  for (const c of encoding.columns) {
    const values = new Set(encoding.groups.map((g) => groupId([g.values[c] ?? null])));
    if (values.size === 1)
      out.push({
        code: "SINGLE_GROUP",
        message: messages.singleLevel(c, levelLabel(encoding.groups[0].values[c] ?? null)),
      });
  }
  return out;
}

/**
 * Where each group of new rows sits among groups known from a fit (a policy, a fitted transform):
 * matched by identity (typed tuples), columns by name in any order (a single column may come
 * unnamed). Throws UNKNOWN_GROUP naming a group the fit did not see, and says so when the fit has
 * a group shown the same way with values of another type (1 versus "1").
 */
export function matchKnownGroups(
  known: { columns: readonly string[]; groups: readonly GroupInfo[] },
  rows: { columns: readonly string[]; groups: readonly GroupInfo[] },
  what: string,
): Int32Array {
  const sameNames =
    rows.columns.length === known.columns.length && known.columns.every((c) => rows.columns.includes(c));
  if (!sameNames && !(rows.columns.length === 1 && known.columns.length === 1)) {
    throw new FairkitError("BAD_ARGUMENT", messages.otherSensitiveColumns(what, known.columns, rows.columns), {
      argument: "sensitiveFeatures",
    });
  }
  const order = sameNames ? known.columns : rows.columns;
  const byId = new Map(known.groups.map((g, i) => [groupId(groupTuple(g.values, known.columns)), i]));
  const map = new Int32Array(rows.groups.length);
  rows.groups.forEach((info, g) => {
    const i = byId.get(groupId(groupTuple(info.values, order)));
    if (i === undefined) {
      const sameLabel = known.groups.find((k) => k.key === info.key);
      const sameShown = sameLabel ? groupTuple(sameLabel.values, known.columns).map(describeLevel) : undefined;
      throw new FairkitError(
        "UNKNOWN_GROUP",
        messages.unseenGroup(
          info.key,
          what,
          sameShown,
          known.groups.map((x) => x.key),
        ),
        { argument: "sensitiveFeatures" },
      );
    }
    map[g] = i;
  });
  return map;
}
