/**
 * What every post-processing policy is once fitted: one decision rule per group (the probability
 * of a positive decision as a step function of the score), over named sensitive columns. The
 * ThresholdOptimizer, reject-option classification and calibrated equalized odds all end here, so
 * they share one way to decide (exact probabilities, seeded draws), one way to count (exact
 * expected confusion), and one way to read a saved policy's groups. Rule: anything that only
 * needs the rules lives here, never in one method's file.
 */
import { type ConfusionTable, GROUP_STRIDE, totalCells } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import {
  type GroupInfo,
  type Level,
  type SensitiveInput,
  encodeGroups,
  groupId,
  groupLabel,
  matchKnownGroups,
} from "../core/groups.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { createRandom } from "../core/random.js";
import { checkSchema } from "../core/schema.js";
import { POLICY_SCHEMA } from "../schemas/policy.js";
import { type NumericInput, toScores } from "../core/validate.js";
import { type DecisionRule, checkRule, expectedCells, ruleProbability } from "./decision-rule.js";
import type { ScoreTable } from "./score-table.js";

/** One group of a fitted policy: its label, its values and its rule. */
export interface RuleGroup {
  key: string;
  values: GroupInfo["values"];
  rule: DecisionRule;
}

/**
 * A fitted policy's rules with everything that only needs them: exact probabilities, seeded
 * decisions, exact expected counts.
 *
 * @example
 * const rules = new PolicyRules(["race"], [{ key: "a", values: { race: "a" }, rule: thresholdRule(0.5) }]);
 * rules.predictProba([0.2, 0.7], { race: ["a", "a"] }); // [0, 1]
 */
export class PolicyRules {
  readonly columns: readonly string[];
  readonly groups: readonly RuleGroup[];
  constructor(columns: readonly string[], groups: readonly RuleGroup[]) {
    this.columns = [...columns];
    this.groups = groups;
  }

  /** The rule index of each group of `groups` (by identity); throws naming a group not fitted. */
  indexOf(groups: readonly GroupInfo[], columns: readonly string[]): Int32Array {
    return matchKnownGroups({ columns: [...this.columns], groups: [...this.groups] }, { columns, groups }, "policy");
  }

  /** The exact probability of a positive decision for each row. */
  predictProba(scores: NumericInput, sensitiveFeatures: SensitiveInput): Float64Array {
    const s = toScores(scores, "scores");
    const encoding = encodeGroups(sensitiveFeatures, s.length, "scores");
    const map = this.indexOf(encoding.groups, encoding.columns);
    const out = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = ruleProbability(this.groups[map[encoding.codes[i]]].rule, s[i]);
    return out;
  }

  /** 0/1 decisions drawn with `createRandom(seed)` (default 0), one draw per row in row order. */
  predict(scores: NumericInput, sensitiveFeatures: SensitiveInput, options: { seed?: number } = {}): Uint8Array {
    return drawDecisions(this.predictProba(scores, sensitiveFeatures), options.seed ?? 0);
  }

  /** Exact expected confusion counts on a score table (groups matched by identity). */
  expectedConfusion(table: ScoreTable): ConfusionTable {
    const map = this.indexOf(table.groups, table.columns);
    const data = new Float64Array(table.groups.length * GROUP_STRIDE);
    table.groups.forEach((_, g) => {
      expectedCells(
        this.groups[map[g]].rule,
        table.perGroup[g],
        data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE),
      );
    });
    return { columns: [...table.columns], groups: table.groups, data };
  }

  /** Expected accuracy and balanced accuracy (overall, weighted) on a score table. */
  accuracies(table: ScoreTable): { accuracy: number; balancedAccuracy: number } {
    const total = totalCells(this.expectedConfusion(table));
    return {
      accuracy: evaluateMetric(metricSpec("accuracy"), total),
      balancedAccuracy: evaluateMetric(metricSpec("balanced_accuracy"), total),
    };
  }
}

/**
 * 0/1 decisions from probabilities: one uniform draw per row from `createRandom(seed)`, in row
 * order, so row i's decision depends only on the seed and i (`u < p` is positive). `fairkit apply`
 * draws the same way.
 */
export function drawDecisions(probability: ArrayLike<number>, seed: number): Uint8Array {
  const rng = createRandom(seed);
  const out = new Uint8Array(probability.length);
  for (let i = 0; i < probability.length; i++) {
    const p = probability[i];
    const u = rng.next();
    out[i] = p >= 1 ? 1 : p <= 0 ? 0 : u < p ? 1 : 0;
  }
  return out;
}

/** The groups of a saved policy as the JSON stores them. */
export interface SavedRuleGroup {
  group: (Level | null)[];
  label?: string;
  rule: DecisionRule;
}

/**
 * Reads the groups of a saved policy (already checked against its schema), then checks them as a
 * policy: one value per column, no group twice, no two groups shown alike, each rule well formed.
 */
export function readRuleGroups<T extends SavedRuleGroup>(
  columns: readonly string[],
  saved: readonly T[],
  what: string,
): (RuleGroup & { saved: T })[] {
  const seen = new Map<string, number>();
  const labels = new Set<string>();
  return saved.map((g, i) => {
    if (g.group.length !== columns.length) {
      throw new FairkitError("BAD_ARGUMENT", messages.policyGroupArity(what, i, g.group.length, columns), {
        argument: what,
      });
    }
    const id = groupId(g.group);
    const first = seen.get(id);
    if (first !== undefined)
      throw new FairkitError("BAD_ARGUMENT", messages.policyRepeatedGroup(what, first, i, groupLabel(g.group)), {
        argument: what,
      });
    seen.set(id, i);
    checkRule(g.rule, `${what}: groups[${i}].rule`);
    const values: Record<string, Level | null> = {};
    columns.forEach((c, k) => {
      values[c] = g.group[k];
    });
    const key = groupLabel(g.group);
    if (labels.has(key))
      throw new FairkitError("BAD_ARGUMENT", messages.policySameLabel(what, key), { argument: what });
    labels.add(key);
    return { key, values, rule: { cuts: [...g.rule.cuts], probabilities: [...g.rule.probabilities] }, saved: g };
  });
}

/** A finite number, or null (JSON has no NaN or infinity). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * The head every method's saved policy is read through: the policy schema, the method named in
 * the document (never guessed from its fields), and the method's settings (`settings.FIELD`
 * present); the messages name the field.
 */
export function readPolicyHead<T extends { method: string; settings?: unknown }>(
  json: unknown,
  method: string,
  reader: string,
  field: string,
  what: string,
): T & { settings: NonNullable<T["settings"]> } {
  checkSchema(json, POLICY_SCHEMA, what);
  const doc = json as T;
  if (doc.method !== method)
    throw new FairkitError("BAD_ARGUMENT", messages.policyWrongMethod(what, doc.method, reader), { argument: what });
  const settings = doc.settings as Record<string, unknown> | undefined;
  if (settings === undefined || settings[field] === undefined)
    throw new FairkitError("BAD_ARGUMENT", messages.policyMethodField(what, method, `settings.${field}`), {
      argument: what,
    });
  return doc as T & { settings: NonNullable<T["settings"]> };
}
