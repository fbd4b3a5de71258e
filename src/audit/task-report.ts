/**
 * The report of a regression or multiclass audit (`fairkit.task_report`): the audit document as
 * `fairkit audit --task … --format json` writes it, a model card and datasheet completed from the
 * card file, representation shares, for a regression the NYC LL144 scoring-rate tables of the
 * predictions, the EU AI Act test log, and findings — the binary report's frame around the task
 * audit's numbers. Every number is the audit's or the engine's; nothing here computes a metric.
 */
import type { Column } from "../core/groups.js";
import type { DecisionMeaning } from "./decision.js";
import { levelLabel } from "../core/groups.js";
import type { NumericInput } from "../core/validate.js";
import { REGRESSION_CRITERIA, REGRESSION_METRICS } from "../regression/metrics.js";
import { TASK_REPORT_SCHEMA_VERSION } from "../schemas/task-audits.js";
import { VERSION } from "../version.js";
import { representationOf } from "./bias-sources.js";
import { type ColumnProfile, type Datasheet, buildDatasheet } from "./datasheet.js";
import type { LL144Result } from "./ll144.js";
import { buildLL144Section, type LL144Section } from "./ll144-summary.js";
import { type CardFile, type MctPerformanceMetric, type ModelCard, buildModelCard } from "./model-card.js";
import type { MulticlassAuditResult } from "./multiclass-audit.js";
import type { RegressionAuditResult } from "./regression-audit.js";
import { EU_AI_ACT_BASIS, type EuAiActLog, type Provenance } from "./report-data.js";

export { TASK_REPORT_SCHEMA_VERSION };

/** Options of {@link buildTaskReport}. */
export interface TaskReportInput {
  title?: string;
  /** The regression or multiclass audit document. */
  audit: RegressionAuditResult | MulticlassAuditResult;
  /** The sensitive columns by name, row by row (for representation and LL144). */
  sensitiveFeatures: Readonly<Record<string, Column>>;
  sampleWeight?: NumericInput;
  /** A regression's predictions, row by row: LL144's scoring rates are computed from them. */
  predictions?: NumericInput;
  /** For the LL144 scoring rates: whether a high prediction is `favourable` (default) or `unfavourable`. */
  positiveDecision?: DecisionMeaning;
  card?: CardFile;
  columnProfiles: ColumnProfile[];
  provenance: Provenance;
  /** Which sensitive columns are sex and race/ethnicity for NYC LL144 (regression only). */
  ll144?: { sex: string; raceEthnicity: string };
}

/** The task report. */
export interface TaskReport {
  kind: "fairkit.task_report";
  schema_version: typeof TASK_REPORT_SCHEMA_VERSION;
  title: string;
  generated_at: string;
  tool: { name: "fairkit"; version: string };
  task: "regression" | "multiclass";
  provenance: Provenance;
  audit: RegressionAuditResult | MulticlassAuditResult;
  model_card: ModelCard;
  datasheet: Datasheet;
  /** NYC LL144 scoring rates of the predictions (regression, with sex and race/ethnicity columns), else null. */
  ll144: (Omit<LL144Section, "selection" | "scoring"> & { scoring: LL144Result }) | null;
  eu_ai_act: EuAiActLog;
  findings: string[];
}

function three(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "undefined" : x.toFixed(3);
}

function intervalText(iv: readonly (number | null)[] | null | undefined): string {
  return iv && iv[0] !== null && iv[1] !== null ? ` (${three(iv[0])} to ${three(iv[1])})` : "";
}

/** What the regression audit says, most consequential first. */
function regressionFindings(doc: RegressionAuditResult): string[] {
  const c = doc.criteria;
  const out: string[] = [];
  const residual = c.mean_residual_difference;
  if (residual.value !== null && residual.labels.length === 2) {
    const [high, low] = residual.labels;
    const clears = residual.interval !== null && residual.interval[0] !== null && residual.interval[0] > 0;
    out.push(
      `residual parity: ${high}'s mean residual (y − ŷ) is ${three(residual.value)} above ${low}'s${intervalText(residual.interval)}: relative to ${low}, ${high} is under-predicted${clears ? "" : " (the interval reaches 0: this gap could be noise)"}`,
    );
  }
  const worst = c.worst_group_mean_squared_error;
  if (worst.value !== null)
    out.push(
      `bounded group loss: the largest group MSE is ${worst.labels[0]}'s, ${three(worst.value)}${intervalText(worst.interval)} (overall ${three(doc.overall.metrics.mean_squared_error)})`,
    );
  const ks = c.prediction_ks;
  if (ks.value !== null)
    out.push(
      `statistical parity: the prediction distributions of ${ks.labels.join(" and ")} are ${three(ks.value)} apart (Kolmogorov–Smirnov); mean predictions differ by up to ${three(c.mean_prediction_difference.value)}`,
    );
  const failed = Object.entries(doc.checks).filter(([, v]) => v?.pass === false);
  out.push(
    failed.length
      ? `checks: ${failed.length} unitless criteria outside tolerance: ${failed.map(([n, v]) => `${n} = ${three(v!.value)} (${v!.rule} ${v!.tolerance})`).join("; ")}`
      : doc.passed === true
        ? "checks: every unitless criterion within tolerance"
        : "checks: some criteria undefined",
  );
  return out;
}

/** What the multiclass audit says, most consequential first. */
function multiclassFindings(doc: MulticlassAuditResult): string[] {
  const out: string[] = [];
  const dp = doc.criteria.demographic_parity_difference;
  if (dp.value !== null)
    out.push(
      `multiclass demographic parity: the largest gap in any class's selection rate is ${three(dp.value)}, in class ${dp.class}`,
    );
  const eo = doc.criteria.equalized_odds_difference;
  if (eo.value !== null) out.push(`equalized odds: worst gap ${three(eo.value)}, in class ${eo.class}`);
  const acc = doc.criteria.accuracy_difference;
  if (acc.value !== null)
    out.push(`accuracy differs by up to ${three(acc.value)} between groups (overall ${three(doc.overall.accuracy)})`);
  const failed = Object.entries(doc.checks).filter(([, v]) => v.pass === false);
  out.push(
    failed.length
      ? `checks: ${failed.length} of ${Object.keys(doc.checks).length} criteria outside tolerance`
      : "checks: every criterion within tolerance",
  );
  return out;
}

/**
 * Assembles the report of a regression or multiclass audit.
 *
 * @example
 * const report = buildTaskReport({ audit: doc, sensitiveFeatures: { race }, columnProfiles, provenance });
 * report.findings[0]; // "residual parity: White's mean residual (y − ŷ) is 0.588 above Black's …"
 */
export function buildTaskReport(input: TaskReportInput): TaskReport {
  const doc = input.audit;
  const card = input.card ?? {};
  const sensitive = doc.input.sensitive;
  const represented = representationOf({
    sensitiveFeatures: input.sensitiveFeatures,
    sampleWeight: input.sampleWeight,
    referenceShares: card.reference_shares,
  });
  const datasheet = buildDatasheet(
    doc.input.rows,
    input.columnProfiles,
    { representation: represented.representation, historical: [] },
    card.datasheet,
  );
  let ll144: TaskReport["ll144"] = null;
  if (input.ll144 && doc.task === "regression" && input.predictions !== undefined) {
    const section = buildLL144Section({
      sensitiveFeatures: input.sensitiveFeatures,
      sensitive,
      columns: input.ll144,
      scores: input.predictions,
      card: card.ll144,
      tool: { name: card.model_details?.name, version: card.model_details?.version?.name },
      level: doc.settings.level,
      positiveDecision: input.positiveDecision ?? "favourable",
      generatedAt: input.provenance.generated_at,
      files: input.provenance.data,
      cardName: input.provenance.card_file?.name,
      rows: doc.input.rows,
    });
    const { selection: _none, ...rest } = section;
    ll144 = { ...rest, scoring: section.scoring! };
  }

  // The model card's computed parts: every group's metrics with their intervals.
  const performanceMetrics: MctPerformanceMetric[] = [];
  const slice = (g: { group: unknown[] }) =>
    g.group.length === 0
      ? "overall"
      : sensitive.map((c, k) => `${c} = ${levelLabel((g.group[k] ?? null) as never)}`).join(", ");
  const push = (type: string, slice: string, value: number | null, iv?: readonly (number | null)[] | null) => {
    performanceMetrics.push({
      type,
      ...(value === null ? {} : { value: String(value) }),
      slice,
      ...(iv && iv[0] !== null && iv[1] !== null
        ? { confidence_interval: { lower_bound: String(iv[0]), upper_bound: String(iv[1]) } }
        : {}),
    });
  };
  if (doc.task === "regression") {
    for (const g of [doc.overall, ...doc.groups])
      for (const m of REGRESSION_METRICS) push(m.name, slice(g), g.metrics[m.name], g.intervals[m.name]);
  } else {
    for (const g of [doc.overall, ...doc.groups]) {
      push("accuracy", slice(g), g.accuracy, g.accuracy_interval);
      push("macro_recall", slice(g), g.macro_recall);
      push("macro_precision", slice(g), g.macro_precision);
    }
  }
  const small = doc.groups.filter((g) => g.small).map((g) => `${g.label} (n = ${g.n})`);
  const computedLimitations = small.length
    ? [
        `groups too small to conclude anything (fewer than ${doc.settings.min_group_size} rows), left out of the criteria: ${small.join(", ")}`,
      ]
    : [];
  const findings = doc.task === "regression" ? regressionFindings(doc) : multiclassFindings(doc);
  findings.push(...represented.findings);
  const computedRisks = Object.entries(doc.checks)
    .filter(([, v]) => v?.pass === false)
    .map(([name, v]) => ({ name: `${name} = ${three(v!.value)}, outside tolerance ${v!.rule} ${v!.tolerance}` }));
  const dataNames = input.provenance.data.map((d) => d.name).join(", ");
  const model_card = buildModelCard(card, {
    name: input.title ?? "unnamed model",
    evaluationDataName: dataNames || "evaluation data",
    evaluationData: `${doc.input.rows} rows${input.provenance.data[0]?.sha256 ? `, SHA-256 ${input.provenance.data[0].sha256}` : ""}; sensitive columns ${sensitive.join(", ")}; ${doc.task === "regression" ? "outcome" : "true class"} ${doc.input.y_true}, ${doc.task === "regression" ? "prediction" : "decided class"} ${doc.input.y_pred}`,
    sensitiveColumns: [...sensitive],
    performanceMetrics,
    computedLimitations,
    computedRisks,
  });
  const metricDefinitions =
    doc.task === "regression"
      ? [
          ...REGRESSION_METRICS.map((m) => ({ name: m.name, formula: m.definition, meaning: m.label })),
          ...REGRESSION_CRITERIA.map((c) => ({ name: c.name, formula: c.definition, meaning: c.family })),
        ]
      : [
          { name: "accuracy", formula: "Σw·[ŷ = y] / Σw", meaning: "share decided into their true class" },
          {
            name: "macro_recall",
            formula: "mean over classes present of TP_c / (TP_c + FN_c)",
            meaning: "balanced accuracy",
          },
          {
            name: "macro_precision",
            formula: "mean over classes decided of TP_c / (TP_c + FP_c)",
            meaning: "how often a decided class is right, averaged",
          },
          {
            name: "per-class criteria",
            formula: "the binary criteria of 'class c or not', each criterion's worst class",
            meaning: "demographic parity for multiclass decisions: the largest gap in any class's selection rate",
          },
        ];
  const failedCount = Object.values(doc.checks).filter((v) => v?.pass === false).length;
  const eu_ai_act: EuAiActLog = {
    basis: EU_AI_ACT_BASIS,
    date: input.provenance.generated_at,
    tool: `fairkit ${VERSION}`,
    data: input.provenance.data,
    config_sha256: input.provenance.config_sha256,
    metrics: metricDefinitions,
    tests: [
      {
        name: `${doc.task} fairness criteria vs tolerances`,
        result: `${doc.passed === true ? "pass" : doc.passed === false ? "fail" : "undetermined"} (${failedCount} of ${Object.keys(doc.checks).length} checked criteria outside tolerance; difference <= ${doc.settings.tolerances.difference}, ratio >= ${doc.settings.tolerances.ratio})`,
      },
      ...(ll144
        ? [
            {
              name: "NYC LL144 impact ratios (scoring rate: share scoring above the sample median)",
              result: ll144.scoring.tables
                .map((t) => {
                  const r = t.rows.map((x) => x.impact_ratio).filter(Number.isFinite);
                  return `${t.columns.join(" × ")}: lowest impact ratio ${r.length ? Math.min(...r).toFixed(3) : "undefined"}`;
                })
                .join("; "),
            },
          ]
        : []),
    ],
    responsible_persons: [...(card.responsible_persons ?? [])],
    signature: "not signed: sign and date a printed or PDF copy",
  };
  return {
    kind: "fairkit.task_report",
    schema_version: TASK_REPORT_SCHEMA_VERSION,
    title:
      input.title ??
      card.model_details?.name ??
      `${doc.task === "regression" ? "Regression" : "Multiclass"} fairness audit report`,
    generated_at: input.provenance.generated_at,
    tool: { name: "fairkit", version: VERSION },
    task: doc.task,
    provenance: input.provenance,
    audit: doc,
    model_card,
    datasheet,
    ll144,
    eu_ai_act,
    findings,
  };
}
