/**
 * Properties of group identity: tuples of awkward values (separators, quotes, spaces, the word
 * "(missing)", numbers, booleans, missing values) never collide; chunk counts merged in any order
 * equal one pass over all rows; policies and counts round-trip through JSON.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  FairkitError,
  type Level,
  ThresholdOptimizer,
  confusionFromJSON,
  confusionToJSON,
  countConfusion,
  encodeGroups,
  findGroup,
  groupId,
  groupLabel,
  mergeConfusion,
} from "../../src/index.js";

const awkwardText = fc.constantFrom(
  "x",
  "y",
  "x, y",
  "y, z",
  ", ",
  ",",
  " x",
  "x ",
  "",
  '"',
  '"x"',
  "(missing)",
  "1",
  "true",
  "a\tb",
  "a\nb",
  "é",
  "\u0000",
);
const value = fc.oneof(awkwardText, fc.constantFrom<Level | null>(1, 2.5, -0, 0, true, false, null));

test("property: distinct tuples always get distinct labels, or the column is refused for mixing types", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 30 }), (rows) => {
      let enc: ReturnType<typeof encodeGroups>;
      try {
        enc = encodeGroups({ a: rows.map((r) => r[0]), b: rows.map((r) => r[1]) });
      } catch (e) {
        // Only a column that holds a number or boolean and its text twin may be refused.
        assert.ok(
          e instanceof FairkitError && /different values that would show as the same group/.test(e.message),
          String(e),
        );
        return;
      }
      const labels = enc.groups.map((g) => g.key);
      assert.equal(new Set(labels).size, labels.length, `labels collide: ${JSON.stringify(labels)}`);
      const ids = new Set(
        rows.map((r) => groupId([r[0], r[1]].map((v) => (typeof v === "number" && Object.is(v, -0) ? 0 : v)))),
      );
      assert.equal(enc.groups.length, ids.size);
      // Each row's group holds exactly its values, and each label finds its group back.
      rows.forEach((r, i) => {
        const g = enc.groups[enc.codes[i]];
        assert.deepEqual(
          [g.values.a, g.values.b],
          r.map((v) => (typeof v === "number" && Object.is(v, -0) ? 0 : v)),
        );
      });
      enc.groups.forEach((g, k) => {
        assert.equal(findGroup(enc.groups, g.key), k);
        assert.equal(findGroup(enc.groups, [g.values.a, g.values.b]), k);
      });
    }),
    { numRuns: 400 },
  );
});

test("property: the label of a tuple of text values is unique among all tuples of text values", () => {
  fc.assert(
    fc.property(
      fc.array(awkwardText, { minLength: 1, maxLength: 3 }),
      fc.array(awkwardText, { minLength: 1, maxLength: 3 }),
      (x, y) => {
        if (x.length === y.length && x.every((v, i) => v === y[i])) return;
        if (x.length !== y.length) return; // labels of tables with different columns are not compared
        assert.notEqual(groupLabel(x), groupLabel(y));
      },
    ),
    { numRuns: 2000 },
  );
});

test("property: counts of chunks merged in any order equal one pass over all rows", () => {
  const row = fc.record({
    y: fc.integer({ min: 0, max: 1 }),
    p: fc.integer({ min: 0, max: 1 }),
    a: awkwardText,
    b: fc.option(awkwardText, { nil: null }),
    w: fc.integer({ min: 0, max: 6 }).map((k) => k / 2),
  });
  fc.assert(
    fc.property(
      fc.array(row, { minLength: 1, maxLength: 60 }),
      fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
      (rows, cuts) => {
        const count = (part: typeof rows) =>
          countConfusion(
            Uint8Array.from(part, (r) => r.y),
            Uint8Array.from(part, (r) => r.p),
            encodeGroups({ a: part.map((r) => r.a), b: part.map((r) => r.b) }),
            Float64Array.from(part, (r) => r.w),
          );
        const bounds = [...new Set([0, ...cuts.map((c) => c % rows.length), rows.length])].sort((p, q) => p - q);
        const chunks = bounds
          .slice(1)
          .map((end, i) => rows.slice(bounds[i], end))
          .filter((c) => c.length > 0);
        const forward = chunks.map(count).reduce(mergeConfusion);
        const backward = chunks.map(count).reverse().reduce(mergeConfusion);
        const once = count(rows);
        assert.deepEqual(confusionToJSON(forward), confusionToJSON(once));
        assert.deepEqual(confusionToJSON(backward), confusionToJSON(once));
        // And through JSON, as shards written to files would travel.
        const viaJson = chunks
          .map((c) => confusionFromJSON(JSON.parse(JSON.stringify(confusionToJSON(count(c))))))
          .reduce(mergeConfusion);
        assert.deepEqual(confusionToJSON(viaJson), confusionToJSON(once));
      },
    ),
    { numRuns: 200 },
  );
});

test("property: a policy round-trips through JSON: same document, same probabilities", () => {
  const row = fc.record({
    s: fc.integer({ min: 0, max: 9 }).map((k) => k / 10),
    y: fc.integer({ min: 0, max: 1 }),
    g: fc.constantFrom("a", "b, c", '"d"'),
  });
  fc.assert(
    fc.property(
      fc.array(row, { minLength: 8, maxLength: 80 }),
      fc.constantFrom("demographic_parity", "equalized_odds", "true_positive_rate_parity"),
      (rows, constraint) => {
        const groups = [...new Set(rows.map((r) => r.g))];
        fc.pre(
          groups.every((g) => rows.some((r) => r.g === g && r.y === 1) && rows.some((r) => r.g === g && r.y === 0)),
        );
        const opt = new ThresholdOptimizer({ constraint }).fit(
          rows.map((r) => r.s),
          rows.map((r) => r.y),
          { g: rows.map((r) => r.g) },
        );
        const text = JSON.stringify(opt);
        const back = ThresholdOptimizer.fromJSON(JSON.parse(text));
        assert.equal(JSON.stringify(back), text);
        const scores = rows.map((r) => r.s);
        assert.deepEqual(
          back.predictProba(scores, { g: rows.map((r) => r.g) }),
          opt.predictProba(scores, { g: rows.map((r) => r.g) }),
        );
      },
    ),
    { numRuns: 100 },
  );
});
