/**
 * The published JSON Schemas: the files under schemas/ are the ones src/schemas defines; Ajv (a
 * well-kept, independent validator) compiles each in strict mode; every document fairkit writes
 * validates; and the core's own checker (which the library uses to read documents back) agrees
 * with Ajv on valid documents and on thousands of random corruptions of them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { countConfusion, confusionToJSON } from "../../src/core/confusion.js";
import { encodeGroups } from "../../src/core/groups.js";
import { createRandom } from "../../src/core/random.js";
import { type JsonSchema, matchesSchema } from "../../src/core/schema.js";
import { demoData } from "../../src/datasets/demo.js";
import { ExponentiatedGradient } from "../../src/mitigation/in/exponentiated-gradient.js";
import { GridSearch } from "../../src/mitigation/in/grid-search.js";
import { DemographicParity } from "../../src/mitigation/in/moments.js";
import { CorrelationRemover } from "../../src/mitigation/pre/correlation-remover.js";
import { DisparateImpactRemover } from "../../src/mitigation/pre/disparate-impact-remover.js";
import { LearnedFairRepresentations } from "../../src/mitigation/pre/learned-fair-representations.js";
import { ConstantEstimator } from "../../src/models/estimator.js";
import { LogisticRegression } from "../../src/models/logistic-regression.js";
import type { Matrix } from "../../src/models/matrix.js";
import { fitTabular } from "../../src/models/tabular.js";
import { SCHEMAS } from "../../src/schemas/index.js";
import { buildMonitorResult } from "../../src/monitor/monitor-result.js";
import { parseRules } from "../../src/monitor/rules.js";
import { parseWindow } from "../../src/monitor/windows.js";
import { analyseProbes } from "../../src/text/probe-result.js";
import { templateProbes } from "../../src/text/probes.js";
import { ThresholdOptimizer } from "../../src/thresholds/threshold-optimizer.js";
import { CalibratedEqualizedOdds } from "../../src/thresholds/calibrated-equalized-odds.js";
import { RejectOptionClassification } from "../../src/thresholds/reject-option.js";
import { DEFAULT_AUDIT_METRICS, buildAuditResult } from "../../src/audit/audit-result.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { buildReportData } from "../../src/audit/report-data.js";
import { documentText } from "../../src/core/document.js";
import { compareMitigations, comparisonDocument, methodDocument } from "../../src/mitigation/compare.js";
import { thresholdsDocument, thresholdsReport } from "../../src/node/cli/commands/thresholds.js";
import { renderJson } from "../../src/report/json.js";
import { scoreTable } from "../../src/thresholds/score-table.js";
import { flipTest } from "../../src/individual/counterfactual.js";
import { buildMulticlassAudit } from "../../src/audit/multiclass-audit.js";
import { buildRegressionAudit } from "../../src/audit/regression-audit.js";
import { buildTaskReport } from "../../src/audit/task-report.js";
import { BoundedGroupLoss, SquareLoss } from "../../src/mitigation/in/bounded-group-loss.js";
import { ExponentiatedGradientRegressor } from "../../src/mitigation/in/exponentiated-gradient-regressor.js";
import { GridSearchRegressor } from "../../src/mitigation/in/grid-search-regressor.js";
import { LinearRegression } from "../../src/models/linear-regression.js";
import { MulticlassFrame } from "../../src/multiclass/multiclass-frame.js";
import { RegressionFrame } from "../../src/regression/regression-frame.js";
import { consistency } from "../../src/individual/consistency.js";
import { counterfactualDocument, individualDocument, studyDocument } from "../../src/individual/documents.js";
import { lipschitzAudit } from "../../src/individual/lipschitz.js";
import { counterfactualStudy } from "../../src/individual/study.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: false });
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]));

/** A small data set: group b has a higher base rate, feature 0 reveals the group. */
function synthetic(n: number): { X: Matrix; y: Uint8Array; group: string[] } {
  const rng = createRandom(3);
  const X = { rows: n, cols: 3, data: new Float64Array(n * 3) };
  const y = new Uint8Array(n);
  const group: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = rng.next() < 0.4 ? 1 : 0;
    const skill = rng.normal();
    y[i] = rng.next() < 1 / (1 + Math.exp(-(1.5 * skill + (g ? 1 : -1)))) ? 1 : 0;
    X.data[i * 3] = g + 0.2 * rng.normal();
    X.data[i * 3 + 1] = skill;
    X.data[i * 3 + 2] = rng.normal();
    group.push(g ? "b" : "a, with a comma");
  }
  return { X, y, group };
}

/** Documents of every kind, as fairkit writes them (JSON round trip, as a file would hold): [schema name, document]. */
function documents(): [string, unknown][] {
  const { X, y, group } = synthetic(400);
  const demo = demoData({ seed: 5 });
  const json = (x: unknown) => JSON.parse(JSON.stringify(x));
  const table = countConfusion(
    Uint8Array.from(y),
    Uint8Array.from(y, (v, i) => (i % 3 === 0 ? 1 - v : v)),
    encodeGroups({ g: group, flag: group.map((_, i) => i % 2 === 0) }),
  );
  const frame = new MetricFrame({
    metrics: [...DEFAULT_AUDIT_METRICS],
    yTrue: demo.yTrue,
    yPred: demo.score.map((x) => (x >= 0.5 ? 1 : 0)),
    sensitiveFeatures: { group: demo.group },
  });
  const taskInput = {
    source: "demo",
    format: null,
    rows: demo.yTrue.length,
    where: null,
    y_true: "y",
    y_pred: "prediction",
    sensitive: ["group"],
    weight: null,
    nulls: {},
  };
  const input = {
    source: "demo",
    format: null,
    rows: demo.yTrue.length,
    where: null,
    y_true: "y",
    y_pred: null,
    score: "score",
    threshold: 0.5,
    sensitive: ["group"],
    weight: null,
    pos_label: null,
    pred_pos_label: null,
    nulls: { group: 0 },
  };
  const scores = scoreTable({ scores: demo.score, yTrue: demo.yTrue, sensitiveFeatures: { group: demo.group } });
  const thresholds = thresholdsReport(scores, { threshold: 0.5 });
  const report = buildReportData({
    yTrue: demo.yTrue,
    yPred: demo.score.map((x) => (x >= 0.5 ? 1 : 0)),
    scores: demo.score,
    sensitiveFeatures: {
      sex: Array.from(demo.group.codes, (c) => (demo.group.levels[c] === "A" ? "Female" : "Male")),
      race: Array.from(demo.score, (_, i) => ["a", "b", "c, d"][i % 3]),
    },
    ll144: { sex: "sex", raceEthnicity: "race" },
    provenance: {
      generated_at: "2026-01-01T00:00:00.000Z",
      data: [{ name: "demo", sha256: "ab".repeat(32), rows: demo.score.length }],
      config: {},
      config_sha256: "cd".repeat(32),
    },
  });
  const features = {
    x0: Array.from({ length: X.rows }, (_, i) => X.data[i * 3]),
    x1: Array.from({ length: X.rows }, (_, i) => X.data[i * 3 + 1]),
    job: Array.from({ length: X.rows }, (_, i) => ["p", "q", "r"][i % 3]),
  };
  const comparison = compareMitigations({
    table: { ...features, g: group, y: Array.from(y) },
    yTrue: "y",
    sensitive: ["g"],
    methods: [
      "reweighing",
      "resample-uniform",
      "correlation-remover",
      "disparate-impact-remover",
      "lfr",
      "expgrad-dp",
      "gridsearch-dp",
      "threshold-eo",
      "reject-option",
      "calibrated-eo",
    ],
    bootstrap: 5,
  });
  const comparisonInput = { source: "synthetic", yTrue: "y", sensitive: ["g"] };
  // A regression's report with LL144 scoring rates and a card file's summary facts (EEO-1 mapping, a missing value).
  const sexOf = Array.from(demo.group.codes, (c) => (demo.group.levels[c] === "A" ? "F" : "M"));
  const raceOf = Array.from(demo.score, (_, i) => (i % 7 === 0 ? null : ["p", "q"][i % 2]));
  const taskReport = buildTaskReport({
    audit: buildRegressionAudit(
      new RegressionFrame({
        yTrue: demo.score.map((v, i) => v + (demo.yTrue[i] as number)),
        yPred: demo.score,
        sensitiveFeatures: { sex: sexOf, race: raceOf },
      }),
      { input: { ...taskInput, sensitive: ["sex", "race"] } },
    ),
    sensitiveFeatures: { sex: sexOf, race: raceOf },
    predictions: demo.score,
    ll144: { sex: "sex", raceEthnicity: "race" },
    card: {
      ll144: {
        audit_date: "2026-01-02",
        data_kind: "test",
        auditor: { name: "A", independent: true, statement: "independent" },
        eeo1_mapping: { sex: { F: "Female", M: "Male" }, race_ethnicity: { p: "Hispanic or Latino", q: "unknown" } },
      },
    },
    columnProfiles: [],
    provenance: {
      generated_at: "2026-01-01T00:00:00.000Z",
      data: [{ name: "demo", sha256: null, rows: demo.score.length }],
      config: {},
      config_sha256: null,
    },
  });
  assert.ok(taskReport.ll144 && taskReport.ll144.summary.missing.length > 0);
  const rules = {
    rules: [
      { name: "dp", measure: "demographic_parity_ratio", tolerance: 0.8, min_count: 50, persistence: { k: 2, m: 3 } },
      { measure: "psi", tolerance: 0.25 },
    ],
  };
  const monitorWindow = (day: number) => ({
    start: Date.UTC(2026, 0, 5 + day),
    decisions: table,
    labelled: day < 2 ? table : { columns: table.columns, groups: [], data: new Float64Array(0) },
    scores: Object.fromEntries(table.groups.map((g, i) => [g.key, [10 + i * day, 10, 10 - day]])),
  });
  const monitor = buildMonitorResult([0, 1, 2].map(monitorWindow), {
    input: { ...input, time: "t", y_pred: "p", score: "s", threshold: 0.5, sensitive: table.columns, pos_label: null },
    window: parseWindow("day"),
    reference: { kind: "first" },
    bins: { rule: "reference deciles", edges: [0.3, 0.6] },
    rules: parseRules(rules, "rules.yaml"),
  });
  const probes = templateProbes(
    ["{term} wrote this.", "I met {term}.", "Ask {term}."],
    [
      { term: "she", group: "female", attribute: "gender" },
      { term: "he", group: "male", attribute: "gender" },
    ],
  );
  const probe = analyseProbes(
    probes,
    probes.map((p, i) => i / 10 - (p.group === "female" ? 0.1 : 0)),
    { scorer: "test", responses: probes.map((p) => `ok ${p.term}`) },
  );
  return [
    ["probe", json(probe)],
    ["monitor", json(monitor)],
    ["monitor-rules", rules],
    ["report", json(JSON.parse(renderJson(report)))],
    ["task-report", json(taskReport)],
    [
      "thresholds",
      JSON.parse(
        documentText(
          thresholdsDocument({
            input: {
              source: "demo",
              rows: demo.score.length,
              score: "score",
              y_true: "y",
              sensitive: ["group"],
              weight: null,
              pos_label: null,
              where: null,
              threshold: 0.5,
            },
            table: scores,
            ...thresholds,
          }),
        ),
      ),
    ],
    ["mitigation-comparison", JSON.parse(documentText(comparisonDocument(comparison, comparisonInput, "0.0.0")))],
    ["threshold-policy", json(new RejectOptionClassification().fit(demo.score, demo.yTrue, { group: demo.group }))],
    [
      "threshold-policy",
      json(new RejectOptionClassification({ search: "grid" }).fit(demo.score, demo.yTrue, { group: demo.group })),
    ],
    ["threshold-policy", json(new CalibratedEqualizedOdds().fit(demo.score, demo.yTrue, { group: demo.group }))],
    ...comparison.results.map((r): [string, unknown] => [
      "mitigation-model",
      JSON.parse(documentText(methodDocument(comparison, r, comparisonInput, "0.0.0"))),
    ]),
    ...(Object.entries({
      audit: json(buildAuditResult(frame, { input, reference: "A" })),
      counts: json(confusionToJSON(table)),
      "threshold-policy": json(
        new ThresholdOptimizer({ constraint: "equalized_odds" }).fit(demo.score, demo.yTrue, { group: demo.group }),
      ),
      "card-file": parseYaml(readFileSync(join(root, "examples/compas-card.yaml"), "utf8")),
      "logistic-regression": json(new LogisticRegression().fit(X, y)),
      "constant-estimator": json(new ConstantEstimator(1)),
      "tabular-transform": json(fitTabular({ age: [20, 30, 40, null], job: ["a", "b", "?", "a"] })),
      "correlation-remover": json(new CorrelationRemover({ sensitiveColumns: [0], alpha: 0.5 }).fit(X)),
      "disparate-impact-remover": json(new DisparateImpactRemover({ repairLevel: 1, gridSize: 11 }).fit(X, { group })),
      "learned-fair-representations": json(
        new LearnedFairRepresentations({ prototypes: 3, maxIter: 30 }).fit(X, y, { sensitiveFeatures: group }),
      ),
      "exponentiated-gradient": json(
        new ExponentiatedGradient(() => new LogisticRegression(), new DemographicParity(), { maxIter: 5 }).fit(X, y, {
          sensitiveFeatures: group,
        }),
      ),
      "grid-search": json(
        new GridSearch(() => new LogisticRegression(), new DemographicParity(), { gridSize: 3 }).fit(X, y, {
          sensitiveFeatures: group,
        }),
      ),
      "linear-regression": json(new LinearRegression().fit(X, y)),
      "exponentiated-gradient-regressor": json(
        new ExponentiatedGradientRegressor(
          () => new LinearRegression(),
          new BoundedGroupLoss(new SquareLoss(-5, 5), { upperBound: 1 }),
          { maxIter: 5 },
        ).fit(X, y, { sensitiveFeatures: group }),
      ),
      "grid-search-regressor": json(
        new GridSearchRegressor(() => new LinearRegression(), new BoundedGroupLoss(new SquareLoss(-5, 5)), {
          gridSize: 3,
        }).fit(X, y, { sensitiveFeatures: group }),
      ),
      "regression-audit": json(
        buildRegressionAudit(
          new RegressionFrame({
            yTrue: demo.score.map((v, i) => v + (demo.yTrue[i] as number)),
            yPred: demo.score,
            sensitiveFeatures: { group: demo.group },
            reference: "A",
          }),
          { input: taskInput },
        ),
      ),
      "task-report": json(
        buildTaskReport({
          audit: buildRegressionAudit(
            new RegressionFrame({
              yTrue: demo.score.map((v, i) => v + (demo.yTrue[i] as number)),
              yPred: demo.score,
              sensitiveFeatures: { group: demo.group },
            }),
            { input: taskInput },
          ),
          sensitiveFeatures: { group: demo.group },
          columnProfiles: [],
          provenance: {
            generated_at: "2026-01-01T00:00:00.000Z",
            data: [{ name: "demo", sha256: null, rows: demo.score.length }],
            config: {},
            config_sha256: null,
          },
        }),
      ),
      "multiclass-audit": json(
        buildMulticlassAudit(
          new MulticlassFrame({
            yTrue: Array.from(demo.score, (v) => (v < 0.3 ? "low" : v < 0.6 ? "mid" : "high")),
            yPred: Array.from(demo.score, (v, i) =>
              v < 0.3 ? "low" : v < 0.6 || demo.yTrue[i] === 0 ? "mid" : "high",
            ),
            sensitiveFeatures: { group: demo.group },
          }),
          { input: taskInput, reference: "A" },
        ),
      ),
    }) as [string, unknown][]),
  ];
}

/** The documents of the counterfactual tests (their functions are async): a planted model on synthetic rows. */
async function counterfactualDocuments(): Promise<[string, unknown][]> {
  const rng = createRandom(11);
  const n = 300;
  const A = Array.from({ length: n }, () => (rng.next() < 0.4 ? "b" : "a"));
  const X = A.map((a) => (a === "b" ? 1 : 0) + rng.normal());
  const Y = A.map((a, i) => 2 * X[i] - (a === "b" ? 0.5 : 0) + rng.normal());
  const table = { A, X, Y };
  const flip = await flipTest({
    table,
    attribute: "A",
    predict: (t) => Array.from(t.A, (a, i) => (a === "b" ? 0.6 : 0.4) + 0 * i),
  });
  const study = await counterfactualStudy({
    model: "A: categorical\nX <- A\nY <- X + A",
    table,
    target: "Y",
    sensitive: ["A"],
    unfairPaths: [["A", "Y"]],
    models: { model: (t) => Array.from(t.X, Number) },
  });
  // Rows 0 and 1 are identical but scored apart (ratio Infinity → null), and groups break both measures down.
  const points = [
    [0, 0],
    [0, 0],
    [1, 0],
    [2, 1],
    [3, 1],
    [3, 2],
  ];
  const groups = { g: ["a", "b", "a", "b", "a", "b"] };
  const c = consistency({
    X: points,
    yPred: [0, 1, 0, 1, 1, 1],
    k: 2,
    sensitiveFeatures: groups,
    bootstrap: { n: 20 },
  });
  const l = lipschitzAudit({
    X: points,
    scores: [0.1, 0.9, 0.3, 0.5, 0.6, 0.6],
    metric: { kind: "fair", sensitive: groups },
    k: 2,
    L: 0.5,
    sensitiveFeatures: groups,
  });
  const individual = individualDocument(c, l, {
    source: "synthetic",
    version: "0.0.0",
    features: ["u", "v"],
    encodedFeatures: 2,
    prediction: "d",
    output: "s",
    lipschitzMetric: "fair",
    consistencyMetric: "euclidean",
    values: (i) => ({ u: points[i][0], v: points[i][1] }),
  });
  return [
    ["individual", JSON.parse(documentText(individual))],
    [
      "counterfactual",
      JSON.parse(
        documentText(counterfactualDocument(flip, { source: "synthetic", model: "planted", version: "0.0.0" })),
      ),
    ],
    ["counterfactual-study", JSON.parse(documentText(studyDocument(study, { source: "synthetic", version: "0.0.0" })))],
  ];
}
const counterfactualDocs = await counterfactualDocuments();

describe("published JSON Schemas", () => {
  test("the files under schemas/ are up to date (npm run schemas writes them)", () => {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const file = JSON.parse(readFileSync(join(root, "schemas", `${name}.schema.json`), "utf8"));
      assert.deepEqual(
        file,
        JSON.parse(JSON.stringify(schema)),
        `schemas/${name}.schema.json is stale: run npm run schemas`,
      );
    }
  });

  const docs = [...documents(), ...counterfactualDocs];

  test("every document fairkit writes is valid, by Ajv and by the core's checker", () => {
    assert.deepEqual(
      [...new Set(docs.map(([name]) => name))].sort(),
      Object.keys(SCHEMAS).sort(),
      "a document for every schema",
    );
    for (const [name, doc] of docs) {
      const validate = validators[name];
      assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`);
      assert.ok(matchesSchema(doc, SCHEMAS[name]), `${name}: the core's checker disagrees`);
    }
  });

  test("property: the core's checker and Ajv agree on random corruptions of every document", () => {
    /** Every path to a value inside a document. */
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
      const out: (string | number)[][] = [prefix];
      if (Array.isArray(value)) {
        for (let i = 0; i < Math.min(4, value.length); i++) out.push(...paths(value[i], [...prefix, i]));
      } else if (value !== null && typeof value === "object")
        for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
      return out;
    };
    const replacements = fc.oneof(
      fc.constant(undefined), // delete
      fc.constant(null),
      fc.constantFrom(-1, 0, 0.5, 1, 2, 1e308, "text", "", true, false, [], {}, [1, "a"], { unknown: 1 }),
    );
    for (const [name, doc] of docs) {
      const all = paths(doc).filter((p) => p.length > 0);
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: all.length - 1 }),
          replacements,
          fc.boolean(),
          (k, replacement, addField) => {
            const copy = structuredClone(doc) as Record<string, unknown>;
            const path = all[k];
            let parent: unknown = copy;
            for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
            const last = path[path.length - 1];
            if (addField && parent !== null && typeof parent === "object" && !Array.isArray(parent))
              (parent as Record<string, unknown>).not_a_field = replacement ?? 1;
            else if (replacement === undefined && !Array.isArray(parent))
              delete (parent as Record<string | number, unknown>)[last];
            else (parent as Record<string | number, unknown>)[last] = replacement ?? null;
            const byAjv = validators[name](copy) as boolean;
            assert.equal(
              matchesSchema(copy, SCHEMAS[name] as JsonSchema),
              byAjv,
              `${name} at ${path.join(".")}: Ajv says ${byAjv}`,
            );
          },
        ),
        { numRuns: 200 },
      );
    }
  });
});
