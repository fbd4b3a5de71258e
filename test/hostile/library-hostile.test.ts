/**
 * Hostile and awkward input to the library: every case either throws a FairkitError whose code
 * and message name the culprit (argument, index, field), or gives numbers checked here by an
 * independent computation. Never a TypeError, never a silent wrong number.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CorrelationRemover,
  DisparateImpactRemover,
  ExponentiatedGradient,
  FairkitError,
  GridSearch,
  LearnedFairRepresentations,
  LogisticRegression,
  MetricFrame,
  ThresholdOptimizer,
  calibrationByGroup,
  checkCardFile,
  confusionFromJSON,
  confusionToJSON,
  countConfusion,
  demographicParity,
  demographicParityDifference,
  encodeGroups,
  estimatorFromJSON,
  favourableCounts,
  findGroup,
  fourFifthsRule,
  ll144Tables,
  mergeConfusion,
  mergeScoreTables,
  scoreTable,
  TabularTransform,
} from "../../src/index.js";

/** Asserts a FairkitError with this code whose message matches. */
function refuses(f: () => unknown, code: string, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof FairkitError, `a FairkitError, not ${e}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

const table = () =>
  countConfusion(Uint8Array.of(1, 0, 1, 0), Uint8Array.of(1, 1, 0, 0), encodeGroups({ g: ["a", "a", "b", "b"] }));

interface Case {
  name: string;
  run: () => void;
}

const cases: Case[] = [
  // ------------------------------------------------------------ label and decision encodings
  {
    name: "posLabel applies to the labels; 0/1 decisions keep their meaning",
    run: () => {
      const mf = new MetricFrame({
        metrics: ["selection_rate", "true_positive_rate"],
        yTrue: ["yes", "no", "yes", "no"],
        yPred: [1, 1, 0, 0],
        sensitiveFeatures: ["a", "a", "b", "b"],
        posLabel: "yes",
      });
      assert.equal(mf.overall.metrics.selection_rate, 0.5);
      assert.equal(mf.byGroup[0].metrics.true_positive_rate, 1);
    },
  },
  {
    name: "yes/no decisions take posLabel by default",
    run: () => {
      const mf = new MetricFrame({
        metrics: ["accuracy"],
        yTrue: ["yes", "no"],
        yPred: ["yes", "yes"],
        sensitiveFeatures: ["a", "a"],
        posLabel: "yes",
      });
      assert.equal(mf.overall.metrics.accuracy, 0.5);
    },
  },
  {
    name: "predPosLabel sets the decisions' own positive value",
    run: () => {
      const mf = new MetricFrame({
        metrics: ["selection_rate"],
        yTrue: [">50K", "<=50K"],
        yPred: ["hire", "reject"],
        sensitiveFeatures: ["a", "b"],
        posLabel: ">50K",
        predPosLabel: "hire",
        minGroupSize: 1,
      });
      assert.deepEqual(mf.values("selection_rate"), [1, 0]);
    },
  },
  {
    name: "a posLabel that never occurs is an error",
    run: () =>
      refuses(
        () => demographicParityDifference(["hi", "lo"], [1, 0], { sensitiveFeatures: ["a", "b"], posLabel: "High" }),
        "NOT_BINARY",
        /yTrue never holds posLabel "High"; its values include "hi", "lo"/,
      ),
  },
  {
    name: "a predPosLabel that never occurs is an error",
    run: () =>
      refuses(
        () =>
          new MetricFrame({
            metrics: "accuracy",
            yTrue: [1, 0],
            yPred: ["y", "n"],
            sensitiveFeatures: ["a", "b"],
            predPosLabel: "Y",
          }),
        "NOT_BINARY",
        /yPred never holds predPosLabel "Y"/,
      ),
  },
  {
    name: "text labels without posLabel",
    run: () =>
      refuses(
        () => new MetricFrame({ metrics: "accuracy", yTrue: ["y", "n"], yPred: [1, 0], sensitiveFeatures: ["a", "b"] }),
        "NOT_BINARY",
        /yTrue must be binary .* at index 0\. Pass posLabel/,
      ),
  },
  {
    name: "a missing label names the index",
    run: () =>
      refuses(
        () =>
          new MetricFrame({
            metrics: "accuracy",
            yTrue: [1, null, 0],
            yPred: [1, 0, 0],
            sensitiveFeatures: ["a", "b", "a"],
          }),
        "MISSING_LABEL",
        /yTrue has a missing value \(null\) at index 1/,
      ),
  },
  {
    name: "demographicParity ignores labels, with text decisions",
    run: () =>
      assert.deepEqual(demographicParity(["yes", "no", "yes", "yes"], ["a", "a", "b", "b"], { posLabel: "yes" }), {
        a: 0.5,
        b: 1,
      }),
  },
  // ------------------------------------------------------------ weights
  {
    name: "weights whose sums overflow are an error (not a base rate of 0)",
    run: () =>
      refuses(
        () =>
          new MetricFrame({
            metrics: "base_rate",
            yTrue: [1, 1, 0],
            yPred: [1, 0, 0],
            sensitiveFeatures: ["a", "a", "a"],
            sampleWeight: [1e308, 1e308, 1],
          }),
        "BAD_WEIGHT",
        /the counts: the squared weight of group "a", cell FN, is Infinity: the weights are too large to add up/,
      ),
  },
  {
    name: "an infinite weight names its index",
    run: () =>
      refuses(
        () =>
          new MetricFrame({
            metrics: "accuracy",
            yTrue: [1, 0],
            yPred: [1, 0],
            sensitiveFeatures: ["a", "b"],
            sampleWeight: [1, Number.POSITIVE_INFINITY],
          }),
        "BAD_WEIGHT",
        /sampleWeight must be a finite number >= 0; found Infinity at index 1/,
      ),
  },
  {
    name: "score tables refuse overflowing weights too",
    run: () =>
      refuses(
        () =>
          scoreTable({
            scores: [0.1, 0.2],
            yTrue: [1, 0],
            sensitiveFeatures: ["a", "a"],
            sampleWeight: [1e308, 1e308],
          }),
        "BAD_WEIGHT",
        /too large to add up/,
      ),
  },
  // ------------------------------------------------------------ counts
  {
    name: "fromCounts: 5 numbers for a group",
    run: () =>
      refuses(
        () =>
          MetricFrame.fromCounts(
            { columns: ["g"], groups: [{ key: "a", values: { g: "a" } }], data: new Float64Array(5) },
            { metrics: "accuracy" },
          ),
        "BAD_ARGUMENT",
        /counts: data has 5 numbers but 1 groups need 12/,
      ),
  },
  {
    name: "fromCounts: a negative count",
    run: () => {
      const t = table();
      t.data[2] = -1;
      refuses(
        () => MetricFrame.fromCounts(t, { metrics: "accuracy" }),
        "BAD_ARGUMENT",
        /counts: group "a", cell TN: the rows is -1; it must be a finite number >= 0/,
      );
    },
  },
  {
    name: "fromCounts: a NaN weight",
    run: () => {
      const t = table();
      t.data[12] = Number.NaN;
      refuses(
        () => MetricFrame.fromCounts(t, { metrics: "accuracy" }),
        "BAD_ARGUMENT",
        /group "b", cell TN: the weight is NaN/,
      );
    },
  },
  {
    name: "fromCounts: weight without rows",
    run: () => {
      const t = table();
      t.data[3 * 3 + 2] = 0;
      refuses(
        () => MetricFrame.fromCounts(t, { metrics: "accuracy" }),
        "BAD_ARGUMENT",
        /group "a", cell TP: has weight 1 but 0 rows/,
      );
    },
  },
  {
    name: "fromCounts: two groups with the same values",
    run: () => {
      const t = table();
      t.groups = [t.groups[0], { key: "a", values: { g: "a" } }];
      refuses(() => MetricFrame.fromCounts(t, { metrics: "accuracy" }), "BAD_ARGUMENT", /two groups have the values a/);
    },
  },
  {
    name: "fromCounts: a label that does not match the values",
    run: () => {
      const t = table();
      t.groups = [{ key: "b", values: { g: "a" } }, t.groups[1]];
      refuses(
        () => MetricFrame.fromCounts(t, { metrics: "accuracy" }),
        "BAD_ARGUMENT",
        /groups\[0\] has the label "b" but its values give "a"/,
      );
    },
  },
  {
    name: "confusionFromJSON: a field of the wrong type is named",
    run: () =>
      refuses(
        () =>
          confusionFromJSON({
            ...confusionToJSON(table()),
            groups: [{ group: ["a"], cells: { tn: { weight: "1", weight_squared: 1, rows: 1 } } }],
          }),
        "BAD_ARGUMENT",
        /counts: groups\[0\]\.cells\.tn\.weight: must be a finite number; got "1"/,
      ),
  },
  {
    name: "confusionFromJSON: a tuple shorter than the columns",
    run: () =>
      refuses(
        () => confusionFromJSON({ ...confusionToJSON(table()), columns: ["g", "h"] }),
        "BAD_ARGUMENT",
        /groups\[0\]\.group has 1 values but there are 2 columns/,
      ),
  },
  {
    name: "confusionFromJSON: not a counts document",
    run: () =>
      refuses(
        () => confusionFromJSON({ columns: [], groups: [] }),
        "BAD_ARGUMENT",
        /counts: the field "kind" is missing/,
      ),
  },
  {
    name: "counts round-trip through JSON exactly",
    run: () => {
      const t = table();
      assert.deepEqual(confusionFromJSON(JSON.parse(JSON.stringify(confusionToJSON(t)))), t);
    },
  },
  // ------------------------------------------------------------ group identity
  {
    name: 'one column holding 1 and "1" is an error',
    run: () =>
      refuses(
        () => encodeGroups({ g: [1, "1", 2] }),
        "BAD_ARGUMENT",
        /sensitive feature "g" holds both the number 1 and the text "1", different values that would show as the same group "1"/,
      ),
  },
  {
    name: 'one column holding true and "true" is an error',
    run: () =>
      refuses(
        () => encodeGroups({ g: [true, "true"] }),
        "BAD_ARGUMENT",
        /holds both the boolean true and the text "true"/,
      ),
  },
  {
    name: "categorical levels listed twice",
    run: () =>
      refuses(
        () => encodeGroups({ g: { codes: Int32Array.of(0, 1), levels: ["a", "a"] } }),
        "BAD_ARGUMENT",
        /lists the level "a" twice \(levels\[0\] and levels\[1\]\)/,
      ),
  },
  {
    name: "a categorical level that is null",
    run: () =>
      refuses(
        () => encodeGroups({ g: { codes: Int32Array.of(0), levels: [null as unknown as string] } }),
        "BAD_ARGUMENT",
        /has level null at levels\[0\]: levels must be text, numbers or booleans/,
      ),
  },
  {
    name: "a value that is an object",
    run: () =>
      refuses(() => encodeGroups({ g: [{} as unknown as string] }), "BAD_ARGUMENT", /holds a value of type object/),
  },
  {
    name: "sensitiveFeatures missing",
    run: () =>
      refuses(
        () => encodeGroups(undefined as never),
        "BAD_ARGUMENT",
        /sensitiveFeatures must be a column \(an array\) or an object of named columns; got undefined/,
      ),
  },
  {
    name: "values with the separator get quoted labels and never collide",
    run: () => {
      const enc = encodeGroups({ a: ["x, y", "x", '"q"', "(missing)", null], b: ["z", "y, z", "p", "p", "p"] });
      assert.deepEqual(
        enc.groups.map((g) => g.key),
        ['"\\"q\\"", p', '"(missing)", p', 'x, "y, z"', '"x, y", z', "(missing), p"],
      );
      assert.equal(new Set(enc.groups.map((g) => g.key)).size, 5);
    },
  },
  {
    name: "findGroup by a JSON tuple, by values, by label",
    run: () => {
      const enc = encodeGroups({ a: ["x, y", "x"], b: ["z", "y, z"] });
      assert.equal(findGroup(enc.groups, '["x", "y, z"]'), 0);
      assert.equal(findGroup(enc.groups, { a: "x, y", b: "z" }), 1);
      assert.equal(findGroup(enc.groups, '"x, y", z'), 1);
      refuses(
        () => findGroup(enc.groups, "x, y, z"),
        "UNKNOWN_GROUP",
        /unknown reference group "x, y, z"; the groups are "x, \\"y, z\\"", "\\"x, y\\", z"/,
      );
    },
  },
  {
    name: 'merging counts where one column is 1 in one table and "1" in the other is an error',
    run: () => {
      const a = countConfusion(Uint8Array.of(1), Uint8Array.of(1), encodeGroups({ g: [1] }));
      const b = countConfusion(Uint8Array.of(1), Uint8Array.of(0), encodeGroups({ g: ["1"] }));
      refuses(
        () => mergeConfusion(a, b),
        "BAD_ARGUMENT",
        /group "1" has the number 1 for "g" in one table and the text "1" in the other/,
      );
    },
  },
  {
    name: 'merging counts keeps ("x, y", "z") and ("x", "y, z") apart',
    run: () => {
      const a = countConfusion(
        Uint8Array.of(1, 1),
        Uint8Array.of(1, 1),
        encodeGroups({ a: ["x, y", "x, y"], b: ["z", "z"] }),
      );
      const b = countConfusion(Uint8Array.of(0), Uint8Array.of(1), encodeGroups({ a: ["x"], b: ["y, z"] }));
      const m = mergeConfusion(a, b);
      assert.equal(m.groups.length, 2);
      const frame = MetricFrame.fromCounts(m, { metrics: ["count", "false_positive_rate"] });
      assert.deepEqual(
        frame.byGroup.map((g) => [g.key, g.metrics.count, g.metrics.false_positive_rate]),
        [
          ['x, "y, z"', 1, 1],
          ['"x, y", z', 2, Number.NaN],
        ],
      );
    },
  },
  {
    name: "merging score tables with typed collisions is an error too",
    run: () => {
      const a = scoreTable({ scores: [0.1], yTrue: [1], sensitiveFeatures: { g: [true] } });
      const b = scoreTable({ scores: [0.2], yTrue: [0], sensitiveFeatures: { g: ["true"] } });
      refuses(
        () => mergeScoreTables(a, b),
        "BAD_ARGUMENT",
        /the boolean true for "g" in one table and the text "true" in the other/,
      );
    },
  },
  // ------------------------------------------------------------ policies
  {
    name: 'ThresholdOptimizer: ("x, y", "z") and ("x", "y, z") each get their own rule',
    run: () => {
      const scores: number[] = [];
      const yTrue: number[] = [];
      const a: string[] = [];
      const b: string[] = [];
      for (let i = 0; i < 200; i++) {
        const s = (i % 20) / 20;
        scores.push(s, s);
        yTrue.push(s >= 0.7 ? 1 : 0, s >= 0.3 ? 1 : 0);
        a.push("x, y", "x");
        b.push("z", "y, z");
      }
      const opt = new ThresholdOptimizer({ constraint: "true_positive_rate_parity" }).fit(scores, yTrue, { a, b });
      const p = opt.predictProba([0.5, 0.5], { a: ["x, y", "x"], b: ["z", "y, z"] });
      assert.deepEqual(Array.from(p), [0, 1]);
      assert.equal(opt.training.accuracy, 1);
    },
  },
  {
    name: "ThresholdOptimizer.fromJSON: two groups with one key",
    run: () => {
      const json = JSON.parse(
        JSON.stringify(new ThresholdOptimizer().fit([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 1], ["a", "a", "b", "b"])),
      );
      json.groups[1].group = ["a"];
      refuses(
        () => ThresholdOptimizer.fromJSON(json),
        "BAD_ARGUMENT",
        /policy: groups\[0\] and groups\[1\] are the same group "a"/,
      );
    },
  },
  {
    name: "ThresholdOptimizer.fromJSON: a rule with too few probabilities",
    run: () => {
      const json = JSON.parse(
        JSON.stringify(new ThresholdOptimizer().fit([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 1], ["a", "a", "b", "b"])),
      );
      json.groups[0].rule = { cuts: [0.5], probabilities: [1] };
      refuses(
        () => ThresholdOptimizer.fromJSON(json),
        "BAD_ARGUMENT",
        /policy: groups\[0\]\.rule: has 1 cut and 1 probability; it needs one more probability than cuts/,
      );
    },
  },
  {
    name: "ThresholdOptimizer.fromJSON: null, a string, an array",
    run: () => {
      refuses(() => ThresholdOptimizer.fromJSON(null), "BAD_ARGUMENT", /policy: must be an object; got null/);
      refuses(() => ThresholdOptimizer.fromJSON("policy"), "BAD_ARGUMENT", /policy: must be an object; got "policy"/);
      refuses(() => ThresholdOptimizer.fromJSON([]), "BAD_ARGUMENT", /policy: must be an object; got \[\]/);
    },
  },
  {
    name: "a policy fitted on text values does not take numbers, and says why",
    run: () => {
      const opt = new ThresholdOptimizer().fit([0.1, 0.9, 0.2, 0.8], [0, 1, 0, 1], ["1", "1", "2", "2"]);
      refuses(
        () => opt.predictProba([0.5], [1]),
        "UNKNOWN_GROUP",
        /group "1" was not seen when the policy was fitted \(the policy has a group shown the same way, with values of another type: the text "1"\)/,
      );
    },
  },
  {
    name: "a policy round-trips through JSON with the same decisions",
    run: () => {
      const scores = Array.from({ length: 60 }, (_, i) => (i % 10) / 10);
      const yTrue = scores.map((s, i) => (s + (i % 3) * 0.1 > 0.5 ? 1 : 0));
      const groups = scores.map((_, i) => (i % 2 ? "a, b" : "c"));
      const opt = new ThresholdOptimizer({ constraint: "equalized_odds" }).fit(scores, yTrue, groups);
      const back = ThresholdOptimizer.fromJSON(JSON.parse(JSON.stringify(opt)));
      assert.deepEqual(back.predictProba(scores, groups), opt.predictProba(scores, groups));
    },
  },
  // ------------------------------------------------------------ saved models
  {
    name: "estimatorFromJSON: a fairkit 0.1 kind says so",
    run: () =>
      refuses(
        () => estimatorFromJSON({ kind: "logistic_regression" }),
        "BAD_ARGUMENT",
        /"logistic_regression" is fairkit 0\.1's name: save the model again/,
      ),
  },
  {
    name: "LogisticRegression.fromJSON: coef missing",
    run: () =>
      refuses(
        () =>
          LogisticRegression.fromJSON({
            kind: "fairkit.logistic_regression",
            schema_version: 1,
            options: { l2: 1, fit_intercept: true, max_iter: 10, tol: 1e-8, warm_start: false },
            intercept: 0,
          }),
        "BAD_ARGUMENT",
        /logistic regression: the field "coef" is missing/,
      ),
  },
  {
    name: "LogisticRegression.fromJSON: a coefficient that is text",
    run: () =>
      refuses(
        () =>
          LogisticRegression.fromJSON({
            kind: "fairkit.logistic_regression",
            schema_version: 1,
            options: { l2: 1, fit_intercept: true, max_iter: 10, tol: 1e-8, warm_start: false },
            coef: [1, "2"],
            intercept: 0,
          }),
        "BAD_ARGUMENT",
        /coef\[1\]: must be a finite number; got "2"/,
      ),
  },
  {
    name: "TabularTransform.fromJSON: an unknown encoding kind",
    run: () =>
      refuses(
        () =>
          TabularTransform.fromJSON({
            kind: "fairkit.tabular_transform",
            schema_version: 1,
            missing_values: [],
            encodings: [{ name: "x", kind: "ordinal" }],
          }),
        "BAD_ARGUMENT",
        /tabular transform: encodings\[0\]/,
      ),
  },
  {
    name: "CorrelationRemover.fromJSON: sizes that disagree",
    run: () =>
      refuses(
        () =>
          CorrelationRemover.fromJSON({
            kind: "fairkit.correlation_remover",
            schema_version: 1,
            sensitive_columns: [0],
            alpha: 1,
            input_columns: 3,
            sensitive_mean: [0],
            beta: [1],
          }),
        "BAD_ARGUMENT",
        /need 1 means and 2 beta entries; got 1 and 1/,
      ),
  },
  {
    name: "DisparateImpactRemover.fromJSON: a grid per group is missing",
    run: () =>
      refuses(
        () =>
          DisparateImpactRemover.fromJSON({
            kind: "fairkit.disparate_impact_remover",
            schema_version: 1,
            repair_level: 1,
            columns: [0],
            sensitive_columns: ["g"],
            groups: [["a"], ["b"]],
            quantiles: [[[0, 1]]],
            median: [[0, 1]],
          }),
        "BAD_ARGUMENT",
        /quantiles\[0\] has 1 grids for 2 groups/,
      ),
  },
  {
    name: "LearnedFairRepresentations.fromJSON: no prototypes",
    run: () =>
      refuses(
        () =>
          LearnedFairRepresentations.fromJSON({
            kind: "fairkit.learned_fair_representations",
            schema_version: 1,
            prototypes: [],
            feature_weights: [1],
            prototype_predictions: [],
          }),
        "BAD_ARGUMENT",
        /sizes disagree/,
      ),
  },
  {
    name: "ExponentiatedGradient.fromJSON: weights that do not sum to 1",
    run: () => {
      const lr = new LogisticRegression()
        .fit({ rows: 2, cols: 1, data: Float64Array.of(0, 1) }, Uint8Array.of(0, 1))
        .toJSON();
      refuses(
        () =>
          ExponentiatedGradient.fromJSON({
            kind: "fairkit.exponentiated_gradient",
            schema_version: 1,
            constraint: "demographic_parity",
            eps: 0.01,
            weights: [0.5],
            predictors: [lr],
          }),
        "BAD_ARGUMENT",
        /the weights are mixing probabilities and must sum to 1; they sum to 0\.5/,
      );
    },
  },
  {
    name: "ExponentiatedGradient.fromJSON: a predictor of an unknown kind is named",
    run: () =>
      refuses(
        () =>
          ExponentiatedGradient.fromJSON({
            kind: "fairkit.exponentiated_gradient",
            schema_version: 1,
            constraint: "dp",
            eps: 0.01,
            weights: [1],
            predictors: [{ kind: "xgboost" }],
          }),
        "BAD_ARGUMENT",
        /ExponentiatedGradient: predictors\[0\]: cannot read a saved estimator of kind "xgboost"/,
      ),
  },
  {
    name: "GridSearch.fromJSON: best_index beyond the points",
    run: () =>
      refuses(
        () =>
          GridSearch.fromJSON({
            kind: "fairkit.grid_search",
            schema_version: 1,
            constraint: "dp",
            best_index: 3,
            points: [{ coordinates: [0], error: 0, max_gamma: 0, loss: 0 }],
            best: { kind: "fairkit.constant_estimator", schema_version: 1, value: 1 },
          }),
        "BAD_ARGUMENT",
        /best_index 3 is not one of the 1 points/,
      ),
  },
  {
    name: "card file: an unknown nested field",
    run: () =>
      refuses(
        () => checkCardFile({ model_details: { nmae: "x" } }, "card.yaml"),
        "BAD_ARGUMENT",
        /card\.yaml: model_details: unknown field "nmae"; known fields: name, overview/,
      ),
  },
  // ------------------------------------------------------------ meaning of the decision
  {
    name: "four-fifths on a burden rates not being selected: the most-flagged group is the one flagged",
    run: () => {
      // Group a flagged 60 of 100, group b 30 of 100.
      const yPred = [
        ...Array(100)
          .fill(0)
          .map((_, i) => (i < 60 ? 1 : 0)),
        ...Array(100)
          .fill(0)
          .map((_, i) => (i < 30 ? 1 : 0)),
      ];
      const groups = [...Array(100).fill("a"), ...Array(100).fill("b")];
      const counts = countConfusion(new Uint8Array(200), Uint8Array.from(yPred), encodeGroups({ g: groups }));
      const { counts: c, outcome } = favourableCounts(counts, "unfavourable");
      const r = fourFifthsRule(c, { outcome });
      assert.equal(outcome, "not selected");
      assert.deepEqual(r.highest, ["b"]);
      assert.equal(r.rows[0].impact_ratio, 0.4 / 0.7);
      assert.equal(r.rows[0].status, "adverse_impact");
      const favourable = fourFifthsRule(favourableCounts(counts, "favourable").counts);
      assert.deepEqual(favourable.highest, ["a"]);
    },
  },
  {
    name: "LL144 on a burden rates the favourable outcome",
    run: () => {
      const r = ll144Tables({
        sex: ["F", "F", "M", "M"],
        raceEthnicity: ["A", "A", "A", "A"],
        selected: [1, 1, 1, 0],
        positiveDecision: "unfavourable",
      });
      const sex = r.tables[0];
      assert.equal(r.outcome, "not selected");
      assert.deepEqual(
        sex.rows.map((row) => [row.category, row.rate]),
        [
          ["F", 0],
          ["M", 0.5],
        ],
      );
      assert.equal(sex.highest, "M");
    },
  },
  {
    name: "calibration: scores outside [0, 1] are refused with their index",
    run: () =>
      refuses(
        () => calibrationByGroup([0.5, 1.5], [1, 0], ["a", "b"]),
        "BAD_SCORE",
        /scores must be a probability in \[0, 1\]; found 1\.5 at index 1/,
      ),
  },
];

describe("hostile and awkward library input", () => {
  for (const c of cases) test(c.name, c.run);
});
