/**
 * Sources of bias, measured where the data allows (after Suresh & Guttag's taxonomy):
 *
 * - **representation**: each group's share of the rows, and, given reference population shares,
 *   the gap to them (share − reference) and their ratio;
 * - **historical**: base rates (share truly positive) per group and their gap: a decision that
 *   tracks the label inherits whatever made the label unequal;
 * - **evaluation coverage**: for each group and metric, the rows in the metric's denominator
 *   (positives for the TPR, negatives for the FPR, …) and the width of its Wilson interval; a
 *   group with too few is flagged, because its numbers cannot support a conclusion;
 * - **aggregation**: per-group AUC and calibration error (when scores are given): a model that
 *   ranks or calibrates much worse for one group hints that one model does not fit all.
 *
 * Everything is computed from the engine's confusion counts and score tables; nothing here has a
 * formula of its own beyond shares and gaps.
 */
import { calibrationByGroup } from "../core/calibration.js";
import { type ConfusionTable, countConfusion, groupCells, sumCells } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Column, type Level, encodeGroups, groupTuple, namedColumns } from "../core/groups.js";
import { type Interval, wilsonForCells } from "../core/intervals.js";
import { type ProportionSpec, evaluateMetric, metricSpec } from "../core/metrics.js";
import { prepareLabels } from "../core/prepare.js";
import { type BinaryInput, type NumericInput, checkLength, toScores, toWeights } from "../core/validate.js";
import { curveSummary } from "../thresholds/curves.js";
import { buildScoreTable } from "../thresholds/score-table.js";
import { DEFAULTS } from "../core/defaults.js";

/** Options of {@link biasSources}. */
export interface BiasSourcesOptions {
  yTrue: BinaryInput;
  yPred: BinaryInput;
  /** Sensitive columns by name: each is examined alone, and all together (their intersection). */
  sensitiveFeatures: Readonly<Record<string, Column>>;
  /** Scores, for the aggregation measures (AUC; calibration when they lie in [0, 1]). */
  scores?: NumericInput;
  sampleWeight?: NumericInput;
  /** Positive value of `yTrue` when it is not 0/1 or booleans. */
  posLabel?: unknown;
  /** Positive value of `yPred` when it is not 0/1 or booleans (default `posLabel`). */
  predPosLabel?: unknown;
  /** Reference population shares per column and level, e.g. `{ sex: { Female: 0.51, Male: 0.49 } }`. */
  referenceShares?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Metrics whose coverage is checked (default selection rate, TPR, FPR, PPV). */
  metrics?: readonly string[];
  /** Fewest denominator rows for a metric to count as covered (default 30). */
  minRows?: number;
  /** Interval width above which coverage is flagged as too uncertain (default 0.2). */
  maxIntervalWidth?: number;
  /** Confidence level (default 0.95). */
  level?: number;
}

/** One group's representation. */
export interface RepresentationRow {
  /** The group's values, one per column of the grouping. */
  group: (Level | null)[];
  label: string;
  rows: number;
  /** Weighted share of all rows. */
  share: number;
  reference_share: number | null;
  /** share − referenceShare. */
  gap: number | null;
  /** share / referenceShare. */
  ratio: number | null;
}

/** One group's base rate. */
export interface HistoricalRow {
  group: (Level | null)[];
  label: string;
  rows: number;
  base_rate: number;
  interval: Interval;
}

/** A grouping (one column, or the intersection of all). */
export interface Grouping<T> {
  columns: string[];
  groups: T[];
}

/** One (group, metric) cell of the coverage table. */
export interface CoverageCell {
  metric: string;
  /** Rows in the metric's denominator. */
  rows: number;
  value: number;
  interval: Interval;
  width: number;
  /** `ok`, `few_rows` (under minRows), `wide` (interval wider than maxIntervalWidth) or `undefined` (no rows). */
  status: "ok" | "few_rows" | "wide" | "undefined";
}

/** Result of {@link biasSources}. */
export interface BiasSourcesResult {
  representation: Grouping<RepresentationRow>[];
  /** Base rates; `difference`/`ratio` are over groups with at least `minRows` rows, the others are in `left_out`. */
  historical: (Grouping<HistoricalRow> & { difference: number; ratio: number; left_out: (Level | null)[][] })[];
  coverage: {
    columns: string[];
    min_rows: number;
    max_interval_width: number;
    groups: { group: (Level | null)[]; label: string; rows: number; cells: CoverageCell[] }[];
    flagged: number;
  };
  aggregation: {
    available: boolean;
    note: string;
    groups: { group: (Level | null)[]; label: string; rows: number; auc: number; ece: number | null }[];
    /** Over groups with at least `minRows` positives and negatives; the others are in `left_out`. */
    auc_difference: number;
    ece_difference: number | null;
    left_out: (Level | null)[][];
  };
  /** One-line findings, for the summary. */
  findings: string[];
}

function spread(values: number[]): { difference: number; ratio: number } {
  const d = values.filter((v) => !Number.isNaN(v));
  if (d.length < 2) return { difference: Number.NaN, ratio: Number.NaN };
  const max = Math.max(...d);
  const min = Math.min(...d);
  return { difference: max - min, ratio: max > 0 ? min / max : Number.NaN };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Representation alone: each group's weighted share of the rows (each sensitive column alone and,
 * with several, their intersection), against reference population shares when given. It needs
 * no labels, so regression and multiclass reports use it as the binary report does.
 *
 * @example
 * representationOf({ sensitiveFeatures: { sex: ["F", "M", "M"] } }).representation[0].groups[0].share; // 1/3
 */
export function representationOf(options: {
  sensitiveFeatures: Readonly<Record<string, Column>>;
  sampleWeight?: NumericInput;
  referenceShares?: BiasSourcesOptions["referenceShares"];
}): { representation: Grouping<RepresentationRow>[]; findings: string[] } {
  const named = namedColumns(options.sensitiveFeatures);
  const n = encodeGroups(options.sensitiveFeatures).codes.length;
  const weights = options.sampleWeight === undefined ? undefined : toWeights(options.sampleWeight);
  const groupings: string[][] = named.map(([name]) => [name]);
  if (named.length > 1) groupings.push(named.map(([name]) => name));
  const columns = Object.fromEntries(named);
  const zeros = new Uint8Array(n);
  const tables = groupings.map((cols): ConfusionTable => {
    const input: Record<string, Column> = {};
    for (const c of cols) input[c] = columns[c];
    return countConfusion(zeros, zeros, encodeGroups(input, n), weights);
  });
  const totalWeight = weights ? weights.reduce((s, w) => s + w, 0) : n;
  const findings: string[] = [];
  const references = options.referenceShares ?? {};
  for (const column of Object.keys(references)) {
    if (!(column in columns)) {
      throw new FairkitError("BAD_ARGUMENT", messages.referenceSharesNotSensitive(column, Object.keys(columns)), {
        argument: "referenceShares",
      });
    }
  }
  const representation = tables.map((table, t) => {
    const cols = groupings[t];
    const ref = cols.length === 1 ? references[cols[0]] : undefined;
    const groups = table.groups.map((info, g): RepresentationRow => {
      const all = sumCells(groupCells(table, g), 15);
      const share = all.weight / totalWeight;
      const value = cols.length === 1 ? info.values[cols[0]] : null;
      const referenceShare = ref && value !== null && String(value) in ref ? ref[String(value)] : null;
      return {
        group: groupTuple(info.values, cols),
        label: info.key,
        rows: all.rows,
        share,
        reference_share: referenceShare,
        gap: referenceShare === null ? null : share - referenceShare,
        ratio: referenceShare === null || referenceShare === 0 ? null : share / referenceShare,
      };
    });
    for (const g of groups) {
      if (g.ratio !== null && g.ratio < 0.8)
        findings.push(
          `representation: ${cols.join(" × ")} = ${g.label} is ${pct(g.share)} of the data against ${pct(g.reference_share!)} of the reference population`,
        );
    }
    return { columns: cols, groups };
  });
  return { representation, findings };
}

/**
 * Measures the sources of bias the data can show.
 *
 * @example
 * const r = biasSources({ yTrue, yPred, sensitiveFeatures: { race, sex }, referenceShares: { sex: { Female: 0.5, Male: 0.5 } } });
 * r.representation[1].groups; // sex shares with their gap to 50%
 */
export function biasSources(options: BiasSourcesOptions): BiasSourcesResult {
  const { yTrue, yPred, weights, n } = prepareLabels(options);
  const level = options.level ?? DEFAULTS.level;
  const minRows = options.minRows ?? 30;
  const maxIntervalWidth = options.maxIntervalWidth ?? 0.2;
  const named = namedColumns(options.sensitiveFeatures);
  const groupings: string[][] = named.map(([name]) => [name]);
  if (named.length > 1) groupings.push(named.map(([name]) => name));
  const columns = Object.fromEntries(named);
  const tables = groupings.map((cols): ConfusionTable => {
    const input: Record<string, Column> = {};
    for (const c of cols) input[c] = columns[c];
    return countConfusion(yTrue, yPred, encodeGroups(input, n), weights);
  });
  const findings: string[] = [];

  const represented = representationOf({
    sensitiveFeatures: options.sensitiveFeatures,
    sampleWeight: weights,
    referenceShares: options.referenceShares,
  });
  const representation = represented.representation;
  findings.push(...represented.findings);

  const baseRate = metricSpec("base_rate") as ProportionSpec;
  const historical = tables.map((table, t) => {
    const groups = table.groups.map((info, g): HistoricalRow => {
      const cells = groupCells(table, g);
      return {
        group: groupTuple(info.values, groupings[t]),
        label: info.key,
        rows: sumCells(cells, 15).rows,
        base_rate: evaluateMetric(baseRate, cells),
        interval: wilsonForCells(baseRate, cells, level),
      };
    });
    // The spread is over groups large enough to say something: a 2-person group's 100% is noise.
    const sized = groups.filter((g) => g.rows >= minRows && !Number.isNaN(g.base_rate));
    const s = spread(sized.map((g) => g.base_rate));
    if (s.difference >= 0.1) {
      const hi = sized.reduce((a, b) => (b.base_rate > a.base_rate ? b : a));
      const lo = sized.reduce((a, b) => (b.base_rate < a.base_rate ? b : a));
      findings.push(
        `historical: base rates by ${groupings[t].join(" × ")} range from ${pct(lo.base_rate)} (${lo.label}) to ${pct(hi.base_rate)} (${hi.label})`,
      );
    }
    return {
      columns: groupings[t],
      groups,
      ...s,
      left_out: groups.filter((g) => !sized.includes(g)).map((g) => g.group),
    };
  });

  // Coverage on the finest grouping: the intersection when there are several columns.
  const finest = tables[tables.length - 1];
  const specs = (
    options.metrics ?? ["selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value"]
  ).map((m) => {
    const spec = metricSpec(m);
    if (spec.kind !== "proportion")
      throw new FairkitError("BAD_ARGUMENT", messages.coverageNeedsProportion(spec.name), { argument: "metrics" });
    return spec;
  });
  let flagged = 0;
  const coverageGroups = finest.groups.map((info, g) => {
    const cells = groupCells(finest, g);
    const out = specs.map((spec): CoverageCell => {
      const rows = sumCells(cells, spec.denominator).rows;
      const interval = wilsonForCells(spec, cells, level);
      const width = interval[1] - interval[0];
      const status = rows === 0 ? "undefined" : rows < minRows ? "few_rows" : width > maxIntervalWidth ? "wide" : "ok";
      if (status !== "ok") flagged++;
      return { metric: spec.name, rows, value: evaluateMetric(spec, cells), interval, width, status };
    });
    return {
      group: groupTuple(info.values, finest.columns),
      label: info.key,
      rows: sumCells(cells, 15).rows,
      cells: out,
    };
  });
  if (flagged > 0) {
    const worst = coverageGroups.filter((g) => g.cells.some((c) => c.status !== "ok")).map((g) => g.label);
    findings.push(
      `evaluation coverage: ${flagged} group-metric cells have fewer than ${minRows} rows or an interval wider than ${maxIntervalWidth} (groups: ${worst.slice(0, 6).join("; ")}${worst.length > 6 ? "; …" : ""})`,
    );
  }

  let aggregation: BiasSourcesResult["aggregation"] = {
    available: false,
    note: "no scores given: per-group AUC and calibration cannot be measured from decisions alone",
    groups: [],
    auc_difference: Number.NaN,
    ece_difference: null,
    left_out: [],
  };
  if (options.scores !== undefined) {
    checkLength(options.scores, "scores", n, "yTrue");
    const scores = toScores(Float64Array.from(options.scores as ArrayLike<number>), "scores");
    const finestColumns: Record<string, Column> = {};
    for (const c of groupings[groupings.length - 1]) finestColumns[c] = columns[c];
    const encoding = encodeGroups(finestColumns, n);
    const curves = curveSummary(buildScoreTable(scores, yTrue, encoding, weights));
    let probabilities = true;
    for (let i = 0; i < n; i++) if (!(scores[i] >= 0 && scores[i] <= 1)) probabilities = false;
    const calibration = probabilities
      ? calibrationByGroup(scores, yTrue, finestColumns, { sampleWeight: weights, level })
      : null;
    const groups = curves.map((c, g) => ({
      group: groupTuple(encoding.groups[g].values, encoding.columns),
      label: c.key,
      rows: c.rows,
      auc: c.auc,
      ece: calibration ? calibration.groups[g].ece : null,
    }));
    // Differences over groups with at least minRows positives and minRows negatives: AUC and
    // calibration of a handful of rows say nothing about the model.
    const sized = groups.filter((_, g) => curves[g].positives >= minRows && curves[g].negatives >= minRows);
    const auc = spread(sized.map((g) => g.auc));
    const ece = calibration ? spread(sized.map((g) => g.ece as number)) : null;
    aggregation = {
      available: true,
      note: `${
        probabilities
          ? "per-group AUC (ranking quality) and expected calibration error over 10 equal-width bins"
          : "per-group AUC (ranking quality); calibration needs scores in [0, 1], so it is not measured"
      }; differences over groups with at least ${minRows} positives and ${minRows} negatives`,
      groups,
      auc_difference: auc.difference,
      ece_difference: ece ? ece.difference : null,
      left_out: groups.filter((g) => !sized.includes(g)).map((g) => g.group),
    };
    if (auc.difference >= 0.05) {
      const lo = sized.filter((g) => !Number.isNaN(g.auc)).reduce((a, b) => (b.auc < a.auc ? b : a));
      findings.push(
        `aggregation: AUC differs by ${auc.difference.toFixed(3)} across groups (lowest ${lo.auc.toFixed(3)} for ${lo.label}): the score ranks some groups worse`,
      );
    }
    if (ece && ece.difference >= 0.05)
      findings.push(`aggregation: calibration error differs by ${ece.difference.toFixed(3)} across groups`);
  }

  return {
    representation,
    historical,
    coverage: {
      columns: groupings[groupings.length - 1],
      min_rows: minRows,
      max_interval_width: maxIntervalWidth,
      groups: coverageGroups,
      flagged,
    },
    aggregation,
    findings,
  };
}
