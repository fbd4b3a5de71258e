import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError, MISSING_LABEL, encodeGroups, findGroup } from "../../src/index.js";

describe("encodeGroups", () => {
  test("one column: levels sorted, codes dense", () => {
    const enc = encodeGroups(["b", "a", "c", "a"]);
    assert.deepEqual(
      enc.groups.map((g) => g.key),
      ["a", "b", "c"],
    );
    assert.deepEqual([...enc.codes], [1, 0, 2, 0]);
    assert.deepEqual(enc.columns, ["group"]);
  });

  test("intersection of two columns: only combinations that occur, in level order", () => {
    const enc = encodeGroups({ race: ["x", "y", "x", "x"], sex: ["M", "F", "F", "M"] });
    assert.deepEqual(
      enc.groups.map((g) => g.key),
      ["x, F", "x, M", "y, F"],
    );
    assert.deepEqual([...enc.codes], [1, 2, 0, 1]);
    assert.deepEqual(enc.groups[2].values, { race: "y", sex: "F" });
  });

  test("numbers sort numerically, booleans work, missing values are an explicit last level", () => {
    const enc = encodeGroups({ age: [10, 9, null, 100, Number.NaN], flag: [true, false, true, undefined, true] });
    assert.deepEqual(
      enc.groups.map((g) => g.key),
      ["9, false", "10, true", "100, (missing)", "(missing), true"],
    );
    assert.deepEqual(enc.missing, { age: 2, flag: 1 });
    assert.equal(enc.groups[3].values.age, null);
    assert.ok(enc.groups[2].key.endsWith(MISSING_LABEL));
  });

  test("categorical columns keep their level order; negative codes are missing", () => {
    const enc = encodeGroups({ g: { codes: Int32Array.of(1, 0, -1, 1), levels: ["zeta", "alpha"] } });
    assert.deepEqual(
      enc.groups.map((g) => g.key),
      ["zeta", "alpha", "(missing)"],
    );
    assert.deepEqual([...enc.codes], [1, 0, 2, 1]);
  });

  test("categorical and plain encodings of the same column agree", () => {
    const values = ["b", "a", "b", "c", "a"];
    const levels = ["a", "b", "c"];
    const plain = encodeGroups({ v: values });
    const cat = encodeGroups({ v: { codes: Int32Array.from(values, (x) => levels.indexOf(x)), levels } });
    assert.deepEqual([...plain.codes], [...cat.codes]);
    assert.deepEqual(plain.groups, cat.groups);
  });

  test("a large mixed-radix space falls back to a map and stays correct", () => {
    const n = 300;
    const a = Array.from({ length: n }, (_, i) => `a${i}`);
    const b = Array.from({ length: n }, (_, i) => `b${(i * 7) % n}`);
    const c = Array.from({ length: n }, (_, i) => i % 300);
    const enc = encodeGroups({ a, b, c });
    assert.equal(enc.groups.length, n);
    for (let i = 0; i < n; i++) assert.equal(enc.groups[enc.codes[i]].values.a, a[i]);
  });

  test("findGroup by key or values; unknown reference is a clear error", () => {
    const enc = encodeGroups({ race: ["x", "y"], sex: ["F", "M"] });
    assert.equal(findGroup(enc.groups, "y, M"), 1);
    assert.equal(findGroup(enc.groups, { race: "x", sex: "F" }), 0);
    assert.throws(
      () => findGroup(enc.groups, "z"),
      (e: unknown) =>
        e instanceof FairkitError &&
        e.code === "UNKNOWN_GROUP" &&
        e.message === 'unknown reference group "z"; the groups are "x, F", "y, M"',
    );
  });

  test("columns of different lengths are an error naming both", () => {
    assert.throws(() => encodeGroups({ a: [1, 2], b: [1] }), /b has 1 rows but a has 2/);
  });
});
