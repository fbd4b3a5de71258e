/**
 * The one rule for every JSON document fairkit writes (audit, counts, thresholds, policies,
 * mitigation results, reports, saved models): keys in snake_case, a `kind` and a
 * `schema_version`, groups as the tuples of their values, and every number finite — a value that
 * is undefined (NaN) or infinite is written as null, and each field that can be null says in its
 * schema what null means there (a threshold above every score, for instance). Indented by two
 * spaces, so documents diff well.
 */

/** JSON.stringify replacer: non-finite numbers to null, typed arrays to plain arrays. */
export function documentReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** A document as JSON text, by the rule above. */
export function documentText(document: unknown): string {
  return JSON.stringify(document, documentReplacer, 2);
}
