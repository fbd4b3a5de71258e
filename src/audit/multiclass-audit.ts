/**
 * The multiclass audit document (`fairkit.multiclass_audit`). Each class's part is the binary
 * audit of "this class or not" — built by the binary audit's own `buildAuditResult` on the class's
 * one-vs-rest counts, so its group entries, criteria, small-group exclusions and checks are those
 * of `fairkit audit --pos-label CLASS` on a 0/1 recoding. The document's criteria are the worst
 * class of each (largest difference, smallest ratio), and the accuracy gap between groups.
 */
import type { CriterionSummaryName } from "../core/criteria.js";
import type { FairkitWarning } from "../core/errors.js";
import { findGroup, type GroupReference, groupTuple, type Level } from "../core/groups.js";
import { type MulticlassFrame, type MulticlassGroupResult, worstClass } from "../multiclass/multiclass-frame.js";
import { MULTICLASS_AUDIT_SCHEMA_VERSION } from "../schemas/task-audits.js";
import { VERSION } from "../version.js";
import {
  type AuditGroup,
  type AuditTolerances,
  type AuditWarning,
  buildAuditResult,
  type CriterionCheck,
  DEFAULT_TOLERANCES,
} from "./audit-result.js";
import type { RegressionAuditInput } from "./regression-audit.js";

export { MULTICLASS_AUDIT_SCHEMA_VERSION };

/** One group's multiclass entry. */
export interface MulticlassAuditGroup {
  group: (Level | null)[];
  label: string;
  n: number;
  weight: number;
  small: boolean;
  accuracy: number | null;
  accuracy_interval?: [number | null, number | null];
  macro_recall: number | null;
  macro_precision: number | null;
  confusion: number[][];
}

/** One class's one-vs-rest part. */
export interface MulticlassAuditClass {
  class: Level;
  label: string;
  overall: AuditGroup;
  groups: AuditGroup[];
  criteria: Record<CriterionSummaryName, number | null>;
  checks: Record<CriterionSummaryName, CriterionCheck>;
}

/** The criteria of the whole audit: each binary criterion's worst class, and the accuracy gap. */
export type MulticlassCriterionName = CriterionSummaryName | "accuracy_difference" | "accuracy_ratio";

/** The multiclass audit JSON. */
export interface MulticlassAuditResult {
  kind: "fairkit.multiclass_audit";
  schema_version: typeof MULTICLASS_AUDIT_SCHEMA_VERSION;
  tool: { name: "fairkit"; version: string };
  task: "multiclass";
  input: RegressionAuditInput;
  settings: {
    metrics: string[];
    intervals: "wilson" | "none";
    level: number;
    min_group_size: number;
    disparity: { method: "between_groups" | "to_reference"; reference: (Level | null)[] | null };
    tolerances: AuditTolerances;
    criteria_groups: "sufficient" | "all";
    equalized_odds_agg: "worst";
    class_agg: "worst";
  };
  classes: Level[];
  overall: MulticlassAuditGroup;
  groups: MulticlassAuditGroup[];
  per_class: MulticlassAuditClass[];
  criteria: Record<MulticlassCriterionName, { value: number | null; class: string | null }>;
  checks: Record<MulticlassCriterionName, CriterionCheck>;
  criteria_excluded: (Level | null)[][];
  passed: boolean | null;
  warnings: AuditWarning[];
}

/** Options of {@link buildMulticlassAudit}. */
export interface BuildMulticlassAuditOptions {
  input: RegressionAuditInput;
  reference?: GroupReference;
  tolerances?: Partial<AuditTolerances>;
  includeSmallGroups?: boolean;
  warnings?: FairkitWarning[];
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function entry(r: MulticlassGroupResult, columns: readonly string[], overall: boolean): MulticlassAuditGroup {
  return {
    group: overall ? [] : groupTuple(r.group, columns),
    label: r.key,
    n: r.n,
    weight: r.weight,
    small: r.small,
    accuracy: finite(r.accuracy),
    ...(r.accuracyInterval
      ? { accuracy_interval: [finite(r.accuracyInterval[0]), finite(r.accuracyInterval[1])] }
      : {}),
    macro_recall: finite(r.macroRecall),
    macro_precision: finite(r.macroPrecision),
    confusion: r.confusion.map((row) => [...row]),
  };
}

/**
 * Writes a MulticlassFrame as the multiclass audit document.
 *
 * @example
 * const doc = buildMulticlassAudit(new MulticlassFrame({ yTrue, yPred, sensitiveFeatures: { sex } }), { input });
 * doc.criteria.demographic_parity_difference; // { value, class }
 */
export function buildMulticlassAudit(
  frame: MulticlassFrame,
  options: BuildMulticlassAuditOptions,
): MulticlassAuditResult {
  const columns = options.input.sensitive;
  const tolerances: AuditTolerances = { ...DEFAULT_TOLERANCES, ...(options.tolerances ?? {}) };
  const s = frame.settings;
  const binaryInput = (label: string) => ({
    source: options.input.source,
    format: options.input.format,
    rows: options.input.rows,
    where: options.input.where,
    y_true: options.input.y_true,
    y_pred: options.input.y_pred,
    score: null,
    threshold: null,
    sensitive: [...columns],
    weight: options.input.weight,
    pos_label: label,
    pred_pos_label: null,
    nulls: { ...options.input.nulls },
  });
  const binary = frame.byClass.map((view) =>
    buildAuditResult(view.frame, {
      input: binaryInput(view.label),
      intervals: s.intervals,
      level: s.level,
      minGroupSize: s.minGroupSize,
      reference: options.reference,
      tolerances,
      includeSmallGroups: options.includeSmallGroups,
    }),
  );
  const per_class: MulticlassAuditClass[] = binary.map((b, k) => ({
    class: frame.classes[k],
    label: frame.byClass[k].label,
    overall: b.overall,
    groups: b.groups,
    criteria: b.criteria,
    checks: b.checks,
  }));
  const criteria = {} as MulticlassAuditResult["criteria"];
  const checks = {} as MulticlassAuditResult["checks"];
  let anyFail = false;
  let anyUndefined = false;
  const check = (name: MulticlassCriterionName, value: number | null) => {
    const ratio = name.endsWith("_ratio");
    const tolerance = ratio ? tolerances.ratio : tolerances.difference;
    const pass = value === null ? null : ratio ? value >= tolerance : value <= tolerance;
    if (pass === false) anyFail = true;
    if (pass === null) anyUndefined = true;
    checks[name] = { value, rule: ratio ? ">=" : "<=", tolerance, pass };
  };
  for (const name of Object.keys(binary[0].criteria) as CriterionSummaryName[]) {
    const k = worstClass(
      name,
      binary.map((b) => b.criteria[name]),
    );
    const value = k < 0 ? null : binary[k].criteria[name];
    criteria[name] = { value, class: k < 0 ? null : per_class[k].label };
    check(name, value);
  }
  // Accuracy across the compared groups (the same groups the binary parts compare).
  const excludedIds = new Set(binary[0].criteria_excluded.map((t) => JSON.stringify(t)));
  const compared = frame.byGroup.filter((g) => !excludedIds.has(JSON.stringify(groupTuple(g.group, columns))));
  const accuracies = compared.map((g) => g.accuracy).filter((a) => !Number.isNaN(a));
  let difference: number | null = null;
  let ratioValue: number | null = null;
  if (options.reference !== undefined) {
    const ref =
      frame.byGroup[
        findGroup(
          frame.byGroup.map((g) => ({ key: g.key, values: g.group })),
          options.reference,
        )
      ];
    const others = compared.filter((g) => g !== ref && !Number.isNaN(g.accuracy));
    if (others.length > 0 && !Number.isNaN(ref.accuracy)) {
      difference = Math.max(...others.map((g) => Math.abs(g.accuracy - ref.accuracy)));
      ratioValue = Math.min(
        ...others.map((g) => Math.min(g.accuracy, ref.accuracy) / Math.max(g.accuracy, ref.accuracy)),
      );
    }
  } else if (accuracies.length >= 2) {
    difference = Math.max(...accuracies) - Math.min(...accuracies);
    ratioValue = Math.max(...accuracies) > 0 ? Math.min(...accuracies) / Math.max(...accuracies) : null;
  }
  criteria.accuracy_difference = { value: difference, class: null };
  criteria.accuracy_ratio = { value: ratioValue, class: null };
  check("accuracy_difference", difference);
  check("accuracy_ratio", ratioValue);
  // Warnings: the first class's binary warnings stand for all (small groups, exclusions), plus the frame's.
  const seen = new Set<string>();
  const warnings: AuditWarning[] = [];
  for (const w of [
    ...(options.warnings ?? []).map((x) => ({ code: x.code, message: x.message })),
    ...binary[0].warnings,
    ...frame.warnings.filter((w) => w.code === "UNDEFINED_METRIC").map((x) => ({ code: x.code, message: x.message })),
  ]) {
    if (seen.has(w.message)) continue;
    seen.add(w.message);
    warnings.push(w);
  }
  return {
    kind: "fairkit.multiclass_audit",
    schema_version: MULTICLASS_AUDIT_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    task: "multiclass",
    input: { ...options.input, sensitive: [...columns], nulls: { ...options.input.nulls } },
    settings: {
      metrics: [...s.metrics],
      intervals: s.intervals,
      level: s.level,
      min_group_size: s.minGroupSize,
      disparity: binary[0].settings.disparity as MulticlassAuditResult["settings"]["disparity"],
      tolerances,
      criteria_groups: options.includeSmallGroups ? "all" : "sufficient",
      equalized_odds_agg: "worst",
      class_agg: "worst",
    },
    classes: [...frame.classes],
    overall: entry(frame.overall, columns, true),
    groups: frame.byGroup.map((g) => entry(g, columns, false)),
    per_class,
    criteria,
    checks,
    criteria_excluded: binary[0].criteria_excluded,
    passed: anyFail ? false : anyUndefined ? null : true,
    warnings,
  };
}

/** The numbers a `--fail-on` gate can name in a multiclass audit: every criterion (worst class), `overall.accuracy`, and `CLASS.criterion`. */
export function multiclassGateValues(result: MulticlassAuditResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, c] of Object.entries(result.criteria)) out[name] = c.value;
  out["overall.accuracy"] = result.overall.accuracy;
  out["overall.macro_recall"] = result.overall.macro_recall;
  for (const part of result.per_class)
    for (const [name, v] of Object.entries(part.criteria)) out[`${part.label}.${name}`] = v;
  return out;
}
