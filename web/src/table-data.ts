/**
 * A loaded table, column by column, as the file-reading worker hands it over: every column as
 * numbers (NaN where a value is empty or not a number) and, while it has few enough distinct
 * values, as dictionary codes (−1 where empty). Typed arrays only, so the transfer is free. Text
 * is trimmed and text that is empty after trimming is missing, as the CLI reads files.
 */

/** Distinct values beyond which a column is not offered as a sensitive feature. */
export const MAX_LEVELS = 5000;

export interface LoadedColumn {
  name: string;
  /** Value as a number per row (NaN when empty or not numeric). */
  numbers: Float64Array;
  /** True when every non-empty value is a number. */
  numeric: boolean;
  /** Rows with an empty value. */
  empty: number;
  /** Dictionary codes per row (−1 = empty), or null when the column has more than MAX_LEVELS values. */
  codes: Int32Array | null;
  /** The distinct values, in first-seen order (null with `codes`). */
  levels: string[] | null;
}

export interface LoadedTable {
  name: string;
  rows: number;
  columns: LoadedColumn[];
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: "progress"; loaded: number; total: number; rows: number }
  | { type: "done"; table: LoadedTable; ms: number }
  | { type: "error"; message: string };

/** Grows typed arrays while rows arrive. */
export class ColumnBuilder {
  readonly name: string;
  #numbers = new Float64Array(1024);
  #codes: Int32Array | null = new Int32Array(1024);
  #dict: Map<string, number> | null = new Map();
  #levels: string[] = [];
  #n = 0;
  #numeric = true;
  #empty = 0;

  constructor(name: string) {
    this.name = name;
  }

  #grow(): void {
    const cap = this.#numbers.length * 2;
    const numbers = new Float64Array(cap);
    numbers.set(this.#numbers);
    this.#numbers = numbers;
    if (this.#codes) {
      const codes = new Int32Array(cap);
      codes.set(this.#codes);
      this.#codes = codes;
    }
  }

  push(raw: unknown): void {
    if (this.#n === this.#numbers.length) this.#grow();
    const i = this.#n++;
    const value = typeof raw === "string" ? raw.trim() : raw;
    if (value === null || value === undefined || value === "") {
      this.#numbers[i] = Number.NaN;
      this.#empty++;
      if (this.#codes) this.#codes[i] = -1;
      return;
    }
    let num: number;
    let text: string;
    if (typeof value === "number") {
      num = value;
      text = String(value);
    } else if (typeof value === "bigint") {
      num = Number(value);
      text = value.toString();
    } else if (typeof value === "boolean") {
      num = value ? 1 : 0;
      text = String(value);
    } else {
      text = String(value);
      num = Number(text);
      if (Number.isNaN(num)) {
        num = Number.NaN;
        this.#numeric = false;
      }
    }
    this.#numbers[i] = num;
    if (this.#codes && this.#dict) {
      let code = this.#dict.get(text);
      if (code === undefined) {
        if (this.#levels.length >= MAX_LEVELS) {
          this.#codes = null;
          this.#dict = null;
          return;
        }
        code = this.#levels.length;
        this.#dict.set(text, code);
        this.#levels.push(text);
      }
      this.#codes[i] = code;
    }
  }

  get length(): number {
    return this.#n;
  }

  finish(): LoadedColumn {
    const n = this.#n;
    return {
      name: this.name,
      numbers: this.#numbers.slice(0, n),
      numeric: this.#numeric && this.#empty < n,
      empty: this.#empty,
      codes: this.#codes ? this.#codes.slice(0, n) : null,
      levels: this.#codes ? this.#levels : null,
    };
  }
}

/** Header names made unique the way the CLI's reader does it (a repeated name gets `_1`, `_2`, …). */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const name = raw.trim() === "" ? `column${i + 1}` : raw;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name}_${k}`;
  });
}

/** The transferable buffers of a table. */
export function transferables(table: LoadedTable): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const c of table.columns) {
    out.push(c.numbers.buffer as ArrayBuffer);
    if (c.codes) out.push(c.codes.buffer as ArrayBuffer);
  }
  return out;
}
