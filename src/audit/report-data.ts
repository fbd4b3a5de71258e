/**
 * Everything an audit report shows, assembled in one plain object from the engine: the audit
 * JSON (the same object `fairkit audit --format json` prints), the model card, the datasheet
 * facts, the NYC LL144 tables, the EEOC four-fifths rule, the EU AI Act test log, the bias
 * sources and the subgroup search. The renderers (src/report/) only lay this object out; they
 * compute nothing, so the HTML, Markdown and JSON reports carry the same numbers.
 *
 * Browser-safe: hashes and file facts come in through `provenance`.
 */

import { thinPoints } from "../charts/svg.js";
import { countConfusion } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Column, encodeGroups, namedColumns, levelLabel, type Level, groupTuple } from "../core/groups.js";
import { MetricFrame } from "../core/metric-frame.js";
import { metricSpec } from "../core/metrics.js";
import type { BinaryInput, NumericInput } from "../core/validate.js";
import { toBinary, toDecisions, toScores, toWeights } from "../core/validate.js";
import { rocCurve } from "../thresholds/curves.js";
import { buildScoreTable } from "../thresholds/score-table.js";
import { VERSION } from "../version.js";
import { type AuditResult, buildAuditResult, DEFAULT_AUDIT_METRICS } from "./audit-result.js";
import { type BiasSourcesResult, biasSources } from "./bias-sources.js";
import { buildDatasheet, type ColumnProfile, type Datasheet, profileColumns } from "./datasheet.js";
import { REPORT_SCHEMA_VERSION } from "../schemas/report.js";
import { type DecisionMeaning, decisionWords } from "./decision.js";
import { type FourFifthsResult, favourableCounts, fourFifthsRule } from "./four-fifths.js";
import type { LL144Result } from "./ll144.js";
import { buildLL144Section, type LL144Section } from "./ll144-summary.js";
import { buildModelCard, type CardFile, type MctPerformanceMetric, type ModelCard } from "./model-card.js";
import { discoverSubgroups, type SubgroupDiscoveryResult } from "./subgroup-discovery.js";
import { DEFAULTS } from "../core/defaults.js";
import type { ConsistencyResult } from "../individual/consistency.js";
import { type IndividualAbout, type IndividualSection, individualSections } from "../individual/documents.js";
import type { LipschitzResult } from "../individual/lipschitz.js";

/** Version of the report JSON layout. */
export { REPORT_SCHEMA_VERSION };

/** One input file (or in-memory data set) with its SHA-256. */
export interface DataProvenance {
  name: string;
  sha256: string | null;
  rows: number;
  bytes?: number;
}

/** Where the numbers came from. */
export interface Provenance {
  /** ISO 8601 time the report was generated. */
  generated_at: string;
  data: DataProvenance[];
  /** The configuration the report was generated with (columns, options, card file), and its SHA-256. */
  config: Record<string, unknown>;
  config_sha256: string | null;
  card_file?: { name: string; sha256: string } | null;
}

/** Options of {@link buildReportData}. */
export interface ReportDataInput {
  title?: string;
  yTrue: BinaryInput;
  yPred: BinaryInput;
  sensitiveFeatures: Readonly<Record<string, Column>>;
  scores?: NumericInput;
  sampleWeight?: NumericInput;
  /** Positive value of `yTrue` when it is not 0/1 or booleans. */
  posLabel?: unknown;
  /** Positive value of `yPred` when it is not 0/1 or booleans (default `posLabel`). */
  predPosLabel?: unknown;
  /** More attributes for the subgroup search (e.g. an age band); the sensitive features are always searched. */
  attributes?: Readonly<Record<string, Column>>;
  /** The audit JSON; built here from the rows (Wilson intervals, default metrics) when omitted. */
  audit?: AuditResult;
  /**
   * What the positive decision means (`favourable`, the default, or `unfavourable`): the
   * four-fifths and LL144 tables and the findings take their direction from it. With `audit`
   * given, the audit's own `settings.positive_decision` is used.
   */
  positiveDecision?: DecisionMeaning;
  card?: CardFile;
  /** Column profiles of the evaluation data (missing values per column); profiled from `sensitiveFeatures` and `attributes` when omitted. */
  columnProfiles?: ColumnProfile[];
  provenance: Provenance;
  /** Which sensitive columns are sex and race/ethnicity for NYC LL144 (omit both to leave the section out). */
  ll144?: { sex: string; raceEthnicity: string };
  /** Four-fifths options; `minCount` defaults to the audit's minimum group size (30). */
  fourFifths?: { threshold?: number; alpha?: number; minCount?: number };
  subgroups?: { metric?: string; maxDepth?: number; minSupport?: number; alpha?: number; top?: number };
  /** Individual fairness of the same rows: consistency and the Lipschitz audit (see src/individual). */
  individual?: { consistency: ConsistencyResult; lipschitz: LipschitzResult; about: IndividualAbout };
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "undefined";
}

/** The report, ready to render. */
export interface ReportData {
  kind: "fairkit.report";
  schema_version: typeof REPORT_SCHEMA_VERSION;
  title: string;
  generated_at: string;
  tool: { name: "fairkit"; version: string };
  provenance: Provenance;
  audit: AuditResult;
  /** Disaggregated metrics per single sensitive column (the audit holds the intersection). */
  unitary: { column: string; groups: AuditResult["groups"] }[];
  model_card: ModelCard;
  datasheet: Datasheet;
  /** NYC LL144: the selection (and, with scores, scoring) tables and the summary of results; null without sex and race/ethnicity columns. */
  ll144: (LL144Section & { selection: LL144Result }) | null;
  four_fifths: (FourFifthsResult & { columns: string[] })[];
  eu_ai_act: EuAiActLog;
  bias_sources: BiasSourcesResult;
  subgroups: SubgroupDiscoveryResult;
  /** ROC curve per group of the finest grouping (when scores are given), thinned to at most 200 points. */
  curves: { group: (Level | null)[]; label: string; auc: number; points: [number, number][] }[];
  /** One-line findings, most important first. */
  findings: string[];
  /** Individual fairness, when features were given; null otherwise. */
  individual: IndividualSection | null;
}

/** What the EU AI Act test log answers to (every report's log carries it). */
export const EU_AI_ACT_BASIS =
  "Regulation (EU) 2024/1689, Annex IV point 2(g): validation and testing procedures, data, metrics (incl. potentially discriminatory impacts), dated test logs";

/** EU AI Act, Annex IV point 2(g): the test log fields. */
export interface EuAiActLog {
  basis: string;
  date: string;
  tool: string;
  data: DataProvenance[];
  config_sha256: string | null;
  metrics: { name: string; formula: string; meaning: string }[];
  tests: { name: string; result: string }[];
  responsible_persons: string[];
  signature: string;
}

/**
 * Assembles a report from rows, the user's card file and provenance.
 *
 * @example
 * const data = buildReportData({ yTrue, yPred, sensitiveFeatures: { race, sex }, ll144: { sex: "sex", raceEthnicity: "race" },
 *   provenance: { generatedAt: new Date().toISOString(), data: [{ name: "scores.csv", sha256, rows: yTrue.length }], config: {}, configSha256: null } });
 * renderHtml(data);
 */
export function buildReportData(input: ReportDataInput): ReportData {
  const card = input.card ?? {};
  const named = namedColumns(input.sensitiveFeatures);
  const sensitiveNames = named.map(([name]) => name);
  const audit =
    input.audit ??
    buildAuditResult(
      new MetricFrame({
        metrics: [...DEFAULT_AUDIT_METRICS],
        yTrue: input.yTrue,
        yPred: input.yPred,
        sensitiveFeatures: input.sensitiveFeatures,
        sampleWeight: input.sampleWeight,
        posLabel: input.posLabel,
        predPosLabel: input.predPosLabel,
      }),
      {
        positiveDecision: input.positiveDecision,
        input: {
          source: input.provenance.data.map((d) => d.name).join(", ") || "rows",
          format: null,
          rows: input.yTrue.length,
          where: null,
          y_true: "yTrue",
          y_pred: "yPred",
          score: null,
          threshold: null,
          sensitive: sensitiveNames,
          weight: input.sampleWeight ? "sampleWeight" : null,
          pos_label: input.posLabel === undefined ? null : String(input.posLabel),
          pred_pos_label: input.predPosLabel === undefined ? null : String(input.predPosLabel),
          nulls: {},
        },
      },
    );
  const metrics = audit.settings.metrics;
  const level = audit.settings.level;
  const meaning = audit.settings.positive_decision;
  const words = decisionWords(meaning);

  // Unitary results: each sensitive column alone, same metrics and settings as the audit.
  const yTrue = toBinary(input.yTrue, "yTrue", input.posLabel);
  const yPred = toDecisions(input.yPred, "yPred", input.posLabel, input.predPosLabel);
  const weights = input.sampleWeight === undefined ? undefined : toWeights(input.sampleWeight);
  const unitary =
    named.length < 2
      ? []
      : named.map(([column, values]) => {
          const frame = new MetricFrame({
            metrics,
            yTrue,
            yPred,
            sensitiveFeatures: { [column]: values },
            sampleWeight: weights,
            level,
            minGroupSize: audit.settings.min_group_size,
            intervals: audit.settings.intervals === "none" ? "none" : "wilson",
          });
          const result = buildAuditResult(frame, {
            input: audit.input,
            level,
            minGroupSize: audit.settings.min_group_size,
          });
          return { column, groups: result.groups };
        });

  const bias = biasSources({
    yTrue,
    yPred,
    sensitiveFeatures: input.sensitiveFeatures,
    scores: input.scores,
    sampleWeight: weights,
    referenceShares: card.reference_shares,
    level,
    minRows: audit.settings.min_group_size,
  });

  // NYC LL144: selection tables from the decisions; scoring tables too when scores are given.
  let ll144: ReportData["ll144"] = null;
  if (input.ll144) {
    const { sex, raceEthnicity } = input.ll144;
    for (const c of [sex, raceEthnicity]) {
      if (!(c in input.sensitiveFeatures)) {
        throw new FairkitError("BAD_ARGUMENT", messages.ll144NotSensitive(c, sensitiveNames), { argument: "ll144" });
      }
    }
    const section = buildLL144Section({
      sensitiveFeatures: input.sensitiveFeatures,
      sensitive: sensitiveNames,
      columns: { sex, raceEthnicity },
      selected: yPred,
      scores: input.scores,
      card: card.ll144,
      tool: { name: card.model_details?.name, version: card.model_details?.version?.name },
      level,
      positiveDecision: meaning,
      generatedAt: input.provenance.generated_at,
      files: input.provenance.data,
      cardName: input.provenance.card_file?.name,
      rows: yTrue.length,
    });
    ll144 = { ...section, selection: section.selection! };
  }

  // EEOC four-fifths: each sensitive column alone and, with several, their intersection.
  const groupings = named.map(([name]) => [name]);
  if (named.length > 1) groupings.push(sensitiveNames);
  const four_fifths = groupings.map((cols) => {
    const subset: Record<string, Column> = {};
    for (const c of cols) subset[c] = input.sensitiveFeatures[c];
    const table = countConfusion(yTrue, yPred, encodeGroups(subset, yTrue.length));
    const { counts, outcome } = favourableCounts(table, meaning);
    return {
      columns: cols,
      ...fourFifthsRule(counts, { minCount: audit.settings.min_group_size, ...input.fourFifths, outcome }),
    };
  });

  const subgroupOptions = input.subgroups ?? {};
  const subgroups = discoverSubgroups({
    yTrue,
    yPred,
    attributes: { ...input.sensitiveFeatures, ...(input.attributes ?? {}) },
    sampleWeight: weights,
    metric: subgroupOptions.metric ?? "false_positive_rate",
    maxDepth:
      subgroupOptions.maxDepth ??
      Math.min(DEFAULTS.subgroupDepth, named.length + Object.keys(input.attributes ?? {}).length),
    minSupport: subgroupOptions.minSupport ?? audit.settings.min_group_size,
    alpha: subgroupOptions.alpha ?? 0.05,
    top: subgroupOptions.top ?? 10,
    level,
  });

  const columnProfiles =
    input.columnProfiles ?? profileColumns({ ...input.sensitiveFeatures, ...(input.attributes ?? {}) });
  const datasheet = buildDatasheet(audit.input.rows, columnProfiles, bias, card.datasheet);

  // Findings, most consequential first, worded by what the decision means.
  const findings: string[] = [`decision: ${words.line}`];
  if (audit.passed === false) {
    const failed = Object.entries(audit.checks)
      .filter(([, c]) => c.pass === false)
      .map(([name, c]) => `${name} = ${c.value?.toFixed(3)} (tolerance ${c.rule} ${c.tolerance})`);
    findings.push(`audit: ${failed.length} criteria outside tolerance: ${failed.join("; ")}`);
  } else if (audit.passed === true) findings.push("audit: every criterion within tolerance");
  for (const ff of four_fifths) {
    const adverse = ff.rows.filter((r) => r.status === "adverse_impact");
    const weak = ff.rows.filter((r) => r.status === "below_threshold_not_significant");
    if (adverse.length) {
      findings.push(
        `four-fifths (${ff.columns.join(" × ")}, rate of ${words.favourableOutcome}): significant adverse impact for ${adverse.map((r) => `${r.label} (${meaning === "favourable" ? "selected" : "flagged"} ${pct(meaning === "favourable" ? r.rate : 1 - r.rate)}, impact ratio ${r.impact_ratio.toFixed(3)})`).join(", ")}`,
      );
    }
    if (weak.length)
      findings.push(
        `four-fifths (${ff.columns.join(" × ")}): below 0.8 but not significant (too few people in the group or in the highest group) for ${weak.map((r) => `${r.label} (n = ${r.count})`).join(", ")}`,
      );
  }
  if (subgroups.top.length) {
    const s = subgroups.top[0];
    findings.push(
      `subgroup search: ${subgroups.significant_count - subgroups.explained_count} subgroup(s) differ significantly on ${subgroups.metric}${subgroups.explained_count > 0 ? ` (${subgroups.significant_count} significant, ${subgroups.explained_count} of them refinements of a more general one)` : ""}; largest: ${s.description} (${s.value.toFixed(3)} vs ${s.rest_value.toFixed(3)} for the rest, n = ${s.size})`,
    );
  } else
    findings.push(
      `subgroup search: no subgroup differs significantly on ${subgroups.metric} after ${subgroups.correction} correction over ${subgroups.tested} subgroups`,
    );
  findings.push(...bias.findings);
  const individual = input.individual
    ? individualSections(input.individual.consistency, input.individual.lipschitz, input.individual.about)
    : null;
  if (individual) {
    const l = individual.lipschitz;
    findings.push(
      `individual fairness: consistency ${individual.consistency.value.toFixed(3)} (each decision against its ${individual.consistency.k} nearest neighbours on ${individual.features.length} features)${l.identical_treated_differently > 0 ? `; ${l.identical_treated_differently.toLocaleString("en-US")} pairs of people identical in every feature got different ${l.output}` : ""}`,
    );
  }

  // The model card's computed parts.
  const performanceMetrics: MctPerformanceMetric[] = [];
  const addMetrics = (slice: string, group: AuditResult["overall"]) => {
    for (const m of metrics) {
      const value = group.metrics[m];
      const interval = group.intervals[m];
      performanceMetrics.push({
        type: m,
        ...(value === null || value === undefined ? {} : { value: String(value) }),
        slice,
        ...(interval && interval[0] !== null && interval[1] !== null
          ? { confidence_interval: { lower_bound: String(interval[0]), upper_bound: String(interval[1]) } }
          : {}),
      });
    }
  };
  addMetrics("overall", audit.overall);
  for (const u of unitary) for (const g of u.groups) addMetrics(`${u.column} = ${g.label}`, g);
  for (const g of audit.groups)
    addMetrics(sensitiveNames.map((c, k) => `${c} = ${levelLabel(g.group[k] ?? null)}`).join(", "), g);
  const small = audit.groups.filter((g) => g.small).map((g) => `${g.label} (n = ${g.n})`);
  const computedLimitations = [
    ...(small.length
      ? [
          `groups too small to conclude anything (fewer than ${audit.settings.min_group_size} rows): ${small.join(", ")}`,
        ]
      : []),
    ...(bias.coverage.flagged
      ? [`${bias.coverage.flagged} group-metric cells lack evaluation coverage (see Bias sources)`]
      : []),
  ];
  const computedRisks = four_fifths.flatMap((ff) =>
    ff.rows
      .filter((r) => r.status === "adverse_impact")
      .map((r) => ({
        name: `adverse impact (rate of ${words.favourableOutcome}) for ${ff.columns.join(" × ")} = ${r.label}: impact ratio ${r.impact_ratio.toFixed(3)}, Fisher p = ${r.fisher_p.toPrecision(2)}`,
      })),
  );
  const dataNames = input.provenance.data.map((d) => d.name).join(", ");
  const model_card = buildModelCard(card, {
    name: input.title ?? "unnamed model",
    evaluationDataName: dataNames || "evaluation data",
    evaluationData: `${audit.input.rows} rows${input.provenance.data[0]?.sha256 ? `, SHA-256 ${input.provenance.data[0].sha256}` : ""}; sensitive columns ${sensitiveNames.join(", ")}; label ${audit.input.y_true}`,
    sensitiveColumns: sensitiveNames,
    performanceMetrics,
    computedLimitations,
    computedRisks,
  });

  let curves: ReportData["curves"] = [];
  if (input.scores !== undefined) {
    const scores = toScores(Float64Array.from(input.scores as ArrayLike<number>), "scores");
    const table = buildScoreTable(scores, yTrue, encodeGroups(input.sensitiveFeatures, yTrue.length), weights);
    curves = table.perGroup.map((group, g) => {
      const roc = rocCurve(group);
      // A group with no positives or no negatives has no ROC curve (one of its rates is undefined).
      const points: [number, number][] = Array.from(roc.fpr, (f, k) => [f, roc.tpr[k]] as [number, number]).filter(
        ([f, t]) => Number.isFinite(f) && Number.isFinite(t),
      );
      return {
        group: groupTuple(table.groups[g].values, table.columns),
        label: table.groups[g].key,
        auc: roc.auc,
        points: thinPoints(points),
      };
    });
  }

  const criteriaNames = Object.keys(audit.criteria);
  const eu_ai_act: EuAiActLog = {
    basis: EU_AI_ACT_BASIS,
    date: input.provenance.generated_at,
    tool: `fairkit ${VERSION}`,
    data: input.provenance.data,
    config_sha256: input.provenance.config_sha256,
    metrics: metrics.map((m) => {
      const spec = metricSpec(m);
      return { name: spec.name, formula: spec.formula, meaning: spec.meaning };
    }),
    tests: [
      {
        name: "group fairness criteria vs tolerances",
        result: `${audit.passed === true ? "pass" : audit.passed === false ? "fail" : "undetermined"} (${criteriaNames.length} values; difference <= ${audit.settings.tolerances.difference}, ratio >= ${audit.settings.tolerances.ratio})`,
      },
      ...four_fifths.map((ff) => ({
        name: `EEOC four-fifths rule, ${ff.columns.join(" × ")}`,
        // Count only the rated groups: a group too small (or undefined) is not below 0.8, it is not rated.
        result: (() => {
          const unrated = ff.rows.filter((r) => r.status === "too_small" || r.status === "undefined").length;
          return `${ff.flagged.length} of ${ff.rows.length - unrated} rated groups below ${ff.threshold}; ${ff.rows.filter((r) => r.status === "adverse_impact").length} significant at alpha ${ff.alpha}${unrated > 0 ? `; ${unrated} not rated (too few people, or no rate)` : ""}`;
        })(),
      })),
      ...(ll144
        ? [
            {
              name: "NYC LL144 impact ratios (selection rate)",
              result: ll144.selection.tables
                .map((t) => `${t.columns.join(" × ")}: lowest impact ratio ${minRatio(t.rows)}`)
                .join("; "),
            },
          ]
        : []),
      {
        name: `subgroup search on ${subgroups.metric}`,
        // The same counts as the section's sentence: significant, refinements left out, reported.
        result: `${subgroups.significant_count} significant of ${subgroups.tested} tested (${subgroups.correction}, alpha ${subgroups.alpha})${subgroups.explained_count > 0 ? `; ${subgroups.explained_count} of them refinements explained by a more general subgroup, leaving ${subgroups.significant_count - subgroups.explained_count}` : ""}`,
      },
    ],
    responsible_persons: [...(card.responsible_persons ?? [])],
    signature: "not signed: sign and date a printed or PDF copy",
  };

  return {
    kind: "fairkit.report",
    schema_version: REPORT_SCHEMA_VERSION,
    title: input.title ?? card.model_details?.name ?? "Fairness audit report",
    generated_at: input.provenance.generated_at,
    tool: { name: "fairkit", version: VERSION },
    provenance: input.provenance,
    audit,
    unitary,
    model_card,
    datasheet,
    ll144,
    four_fifths,
    eu_ai_act,
    bias_sources: bias,
    subgroups,
    curves,
    findings,
    individual,
  };
}

function minRatio(rows: { impact_ratio: number }[]): string {
  const r = rows.map((x) => x.impact_ratio).filter(Number.isFinite);
  return r.length ? Math.min(...r).toFixed(3) : "undefined";
}
