/**
 * Calibrated equalized odds (Pleiss, Raghavan, Wu, Kleinberg & Weinberger 2017), with AIF360's
 * cost constraints, for any number of groups, as a saved, applicable policy.
 *
 * A calibrated score cannot equalize both error rates, but it can equalize one generalized cost
 * while staying calibrated: with probability α_g a row of group g has its score replaced by the
 * group's base rate μ_g (a calibrated, uninformative score), which moves the group's cost linearly
 * from its own cost c_g towards the trivial cost c̄_g of scoring everyone μ_g. The costs (weighted
 * means over the rows, as AIF360 defines them):
 *
 * - `fpr`: the generalized false positive rate E[score | y = 0] (trivial: μ_g);
 * - `fnr`: the generalized false negative rate E[1 − score | y = 1] (trivial: 1 − μ_g);
 * - `weighted` (AIF360's default, equal weights): ½·GFPR·(1 − μ_g) + ½·GFNR·μ_g (trivial: μ_g(1 − μ_g)).
 *
 * With two groups AIF360 mixes the cheaper group up to the dearer one. With k groups every group
 * is mixed up to the worst group's cost C = max c_g: α_g = (C − c_g) / (c̄_g − c_g), which needs
 * c̄_g ≥ C; a group whose trivial cost stays below C makes the problem infeasible (an error naming
 * it). The decision is the (possibly replaced) score thresholded at `threshold` (≥, default 0.5),
 * so each group's rule is a step function with explicit probabilities:
 * P(positive | s) = (1 − α_g)·[s ≥ t] + α_g·[μ_g ≥ t]. The randomised score itself, the paper's
 * output, is {@link CalibratedEqualizedOdds.transformScores}.
 *
 * Rule of this file: the mix rates and base rates are the whole model; the rules are derived from
 * them once, at fit, and stored beside them.
 */
import type { ConfusionTable } from "../core/confusion.js";
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Level, type SensitiveInput, encodeGroups, groupTuple } from "../core/groups.js";
import { createRandom } from "../core/random.js";
import { type BinaryInput, type NumericInput, toScores } from "../core/validate.js";
import { POLICY_SCHEMA_VERSION } from "../schemas/policy.js";
import { VERSION } from "../version.js";
import { type DecisionRule, constantRule, mixRules, thresholdRule } from "./decision-rule.js";
import { PolicyRules, type RuleGroup, finiteOrNull, readPolicyHead, readRuleGroups } from "./rule-policy.js";
import { type ScoreTable, scoreTable } from "./score-table.js";

/** Which generalized cost is equalized (AIF360's `cost_constraint`). */
export type CostConstraint = "fpr" | "fnr" | "weighted";
/** The cost constraints. */
export const COST_CONSTRAINTS: readonly CostConstraint[] = ["fpr", "fnr", "weighted"];

/** Options of {@link CalibratedEqualizedOdds}. */
export interface CalibratedEqualizedOddsOptions {
  /** Default `weighted` (AIF360's default). */
  costConstraint?: CostConstraint;
  /** A (possibly replaced) score ≥ threshold is positive; default 0.5 (AIF360's `predict`). */
  threshold?: number;
  /**
   * When a group cannot reach the worst group's cost even with every score replaced: `error`
   * (default) throws naming it; `cap` replaces all of its scores (mix rate 1) and leaves the costs
   * unequal, as AIF360 does silently (`training.costDifference` then says by how much).
   */
  onInfeasible?: "error" | "cap";
}

/** One group's fitted mix. */
export interface CeoGroup extends RuleGroup {
  /** μ_g: the weighted share of positive labels. */
  baseRate: number;
  /** α_g: the probability that a row's score is replaced by μ_g. */
  mixRate: number;
  /** The generalized cost of the scores as they are. */
  cost: number;
  /** The generalized cost of scoring everyone μ_g. */
  trivialCost: number;
  /** (1 − α_g)·cost + α_g·trivialCost: equal across groups after fitting. */
  costAfter: number;
}

/** The policy document of calibrated equalized odds (`fairkit.threshold_policy`). */
export interface CalibratedEqualizedOddsPolicyJSON {
  kind: "fairkit.threshold_policy";
  schema_version: typeof POLICY_SCHEMA_VERSION;
  tool?: { name: "fairkit"; version: string };
  method: "calibrated_equalized_odds";
  columns: string[];
  groups: { group: (Level | null)[]; label?: string; rule: DecisionRule }[];
  training: {
    objective: number | null;
    accuracy: number | null;
    balanced_accuracy: number | null;
    constraint_difference: number | null;
  };
  settings: {
    cost_constraint: CostConstraint;
    threshold: number;
    on_infeasible?: "error" | "cap";
    cost: number | null;
    groups: {
      group: (Level | null)[];
      label?: string;
      base_rate: number;
      mix_rate: number;
      cost: number | null;
      trivial_cost: number | null;
      cost_after: number | null;
    }[];
  };
  input?: { source?: string; rows?: number; score: string; sensitive: string[]; where?: string | null };
}

interface FittedCeo {
  rules: PolicyRules;
  groups: CeoGroup[];
  training: { accuracy: number; balancedAccuracy: number; costDifference: number; cost: number };
}

/** The rule of a mix: P(positive | s) = (1 − α)·[s ≥ t] + α·[μ ≥ t]. */
function mixRule(threshold: number, baseRate: number, mixRate: number): DecisionRule {
  return mixRules(thresholdRule(threshold), constantRule(baseRate >= threshold ? 1 : 0), mixRate);
}

/**
 * Calibrated equalized odds post-processing.
 *
 * @example
 * const ceo = new CalibratedEqualizedOdds({ costConstraint: "fnr" }).fit(probabilities, yTrue, { race });
 * ceo.groups.map((g) => [g.key, g.mixRate, g.baseRate]);
 * ceo.predictProba(probabilities, { race });             // exact P(positive) per row
 * ceo.transformScores(probabilities, { race }, { seed: 1 }); // the randomised calibrated score
 * CalibratedEqualizedOdds.fromJSON(JSON.parse(JSON.stringify(ceo.toJSON())));
 */
export class CalibratedEqualizedOdds {
  readonly costConstraint: CostConstraint;
  readonly threshold: number;
  readonly onInfeasible: "error" | "cap";
  private fitted: FittedCeo | undefined;

  constructor(options: CalibratedEqualizedOddsOptions = {}) {
    const d = DEFAULTS.calibratedEqualizedOdds;
    const c = options.costConstraint ?? d.costConstraint;
    if (!(COST_CONSTRAINTS as readonly string[]).includes(c))
      throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice("costConstraint", c, COST_CONSTRAINTS), {
        argument: "costConstraint",
      });
    this.costConstraint = c as CostConstraint;
    this.threshold = options.threshold ?? d.threshold;
    const onInfeasible = options.onInfeasible ?? "error";
    if (onInfeasible !== "error" && onInfeasible !== "cap")
      throw new FairkitError("BAD_ARGUMENT", messages.unknownChoice("onInfeasible", onInfeasible, ["error", "cap"]), {
        argument: "onInfeasible",
      });
    this.onInfeasible = onInfeasible;
    if (!Number.isFinite(this.threshold))
      throw new FairkitError("BAD_ARGUMENT", messages.notFinite("threshold", options.threshold), {
        argument: "threshold",
      });
  }

  /** Fits on rows: calibrated probabilities, labels and the sensitive features (and optional weights). */
  fit(
    scores: NumericInput,
    yTrue: BinaryInput,
    sensitiveFeatures: SensitiveInput,
    options: { sampleWeight?: NumericInput; posLabel?: unknown } = {},
  ): this {
    return this.fitTable(scoreTable({ scores, yTrue, sensitiveFeatures, ...options }));
  }

  /** Fits on score tables (weights come with them). */
  fitTable(table: ScoreTable): this {
    if (table.groups.length === 0) throw new FairkitError("EMPTY_INPUT", messages.noGroups(), { argument: "table" });
    const stats = table.perGroup.map((g, i) => {
      const key = table.groups[i].key;
      const m = g.scores.length;
      if (m > 0 && !(g.scores[0] >= 0 && g.scores[m - 1] <= 1))
        throw new FairkitError(
          "BAD_SCORE",
          messages.ceoScoreNotProbability(key, g.scores[0] < 0 ? g.scores[0] : g.scores[m - 1]),
          { argument: "scores" },
        );
      let wNeg = 0;
      let wPos = 0;
      let negScore = 0; // Σ w·s over the negatives
      let posMiss = 0; // Σ w·(1 − s) over the positives
      for (let k = 0; k < m; k++) {
        wNeg += g.negWeight[k];
        wPos += g.posWeight[k];
        negScore += g.negWeight[k] * g.scores[k];
        posMiss += g.posWeight[k] * (1 - g.scores[k]);
      }
      const w = wNeg + wPos;
      const baseRate = wPos / w;
      let cost: number;
      let trivialCost: number;
      if (this.costConstraint === "fpr") {
        if (!(wNeg > 0))
          throw new FairkitError("BAD_ARGUMENT", messages.ceoUndefinedCost(key, "negative labels"), {
            argument: "costConstraint",
          });
        cost = negScore / wNeg;
        trivialCost = baseRate;
      } else if (this.costConstraint === "fnr") {
        if (!(wPos > 0))
          throw new FairkitError("BAD_ARGUMENT", messages.ceoUndefinedCost(key, "positive labels"), {
            argument: "costConstraint",
          });
        cost = posMiss / wPos;
        trivialCost = 1 - baseRate;
      } else {
        if (!(w > 0))
          throw new FairkitError("BAD_ARGUMENT", messages.ceoUndefinedCost(key, "rows"), {
            argument: "costConstraint",
          });
        // ½·GFPR·(1 − μ) + ½·GFNR·μ = ½·(Σ_neg w·s + Σ_pos w·(1 − s)) / W
        cost = (0.5 * (negScore + posMiss)) / w;
        trivialCost = baseRate * (1 - baseRate);
      }
      return { key, baseRate, cost, trivialCost };
    });
    let worst = 0;
    stats.forEach((s, g) => {
      if (s.cost > stats[worst].cost) worst = g;
    });
    const target = stats[worst].cost;
    const groups: CeoGroup[] = stats.map((s, g) => {
      let mixRate = 0;
      // A cost a rounding error below the worst (a tie summed in another order) is the worst: no mix.
      const tied = target - s.cost <= 1e-12 * Math.max(1, Math.abs(target));
      if (g !== worst && s.cost < target && !tied) {
        const room = s.trivialCost - s.cost;
        mixRate = room > 0 ? (target - s.cost) / room : Number.POSITIVE_INFINITY;
        // A rate a rounding error above 1 is 1; anything more is infeasible.
        if (mixRate > 1 && (mixRate <= 1 + 1e-12 || this.onInfeasible === "cap")) mixRate = 1;
        if (!(mixRate <= 1))
          throw new FairkitError(
            "BAD_ARGUMENT",
            messages.ceoInfeasible(s.key, s.cost, s.trivialCost, target, stats[worst].key),
            { argument: "costConstraint" },
          );
      }
      return {
        key: s.key,
        values: { ...table.groups[g].values },
        rule: mixRule(this.threshold, s.baseRate, mixRate),
        baseRate: s.baseRate,
        mixRate,
        cost: s.cost,
        trivialCost: s.trivialCost,
        costAfter: (1 - mixRate) * s.cost + mixRate * s.trivialCost,
      };
    });
    const rules = new PolicyRules(table.columns, groups);
    const { accuracy, balancedAccuracy } = rules.accuracies(table);
    const after = groups.map((g) => g.costAfter);
    this.fitted = {
      rules,
      groups,
      training: { accuracy, balancedAccuracy, costDifference: Math.max(...after) - Math.min(...after), cost: target },
    };
    return this;
  }

  private state(): FittedCeo {
    if (!this.fitted)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("the CalibratedEqualizedOdds", "fit() or fromJSON()"), {
        argument: "this",
      });
    return this.fitted;
  }

  /** Per group: base rate, mix rate, costs before and after, and the rule. */
  get groups(): readonly CeoGroup[] {
    return this.state().groups;
  }

  /** Expected accuracy, balanced accuracy, the common cost and the spread of the costs after mixing (≈ 0). */
  get training(): FittedCeo["training"] {
    return { ...this.state().training };
  }

  /** The sensitive columns the policy was fitted on. */
  get columns(): readonly string[] {
    return this.state().rules.columns;
  }

  /** The exact probability of a positive decision per row. */
  predictProba(scores: NumericInput, sensitiveFeatures: SensitiveInput): Float64Array {
    return this.state().rules.predictProba(scores, sensitiveFeatures);
  }

  /** 0/1 decisions, one draw per row from `createRandom(seed)` (default 0), as every policy draws. */
  predict(scores: NumericInput, sensitiveFeatures: SensitiveInput, options: { seed?: number } = {}): Uint8Array {
    return this.state().rules.predict(scores, sensitiveFeatures, options);
  }

  /**
   * The randomised calibrated score (the paper's output): each row's score, or with probability
   * α_g its group's base rate. The draws are coupled to {@link predict}'s: with the same seed,
   * `transformScores(...)[i] >= threshold` is exactly `predict(...)[i]`.
   */
  transformScores(
    scores: NumericInput,
    sensitiveFeatures: SensitiveInput,
    options: { seed?: number } = {},
  ): Float64Array {
    const { rules, groups } = this.state();
    const s = toScores(scores, "scores");
    const encoding = encodeGroups(sensitiveFeatures, s.length, "scores");
    const map = rules.indexOf(encoding.groups, encoding.columns);
    const rng = createRandom(options.seed ?? 0);
    const out = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const g = groups[map[encoding.codes[i]]];
      const u = rng.next();
      // predict decides positive when u < P(positive); replacing on the matching side of u keeps
      // the thresholded score equal to that decision.
      const replaced = s[i] >= this.threshold ? u >= 1 - g.mixRate : u < g.mixRate;
      out[i] = replaced ? g.baseRate : s[i];
    }
    return out;
  }

  /** Exact expected confusion counts on a score table. */
  expectedConfusion(table: ScoreTable): ConfusionTable {
    return this.state().rules.expectedConfusion(table);
  }

  /** The policy document (`fairkit.threshold_policy`, method `calibrated_equalized_odds`). */
  toJSON(): CalibratedEqualizedOddsPolicyJSON {
    const { rules, groups, training } = this.state();
    const columns = [...rules.columns];
    return {
      kind: "fairkit.threshold_policy",
      schema_version: POLICY_SCHEMA_VERSION,
      tool: { name: "fairkit", version: VERSION },
      method: "calibrated_equalized_odds",
      columns,
      groups: groups.map((g) => ({
        group: groupTuple(g.values, columns),
        label: g.key,
        rule: { cuts: [...g.rule.cuts], probabilities: [...g.rule.probabilities] },
      })),
      training: {
        objective: null,
        accuracy: finiteOrNull(training.accuracy),
        balanced_accuracy: finiteOrNull(training.balancedAccuracy),
        constraint_difference: finiteOrNull(training.costDifference),
      },
      settings: {
        cost_constraint: this.costConstraint,
        threshold: this.threshold,
        on_infeasible: this.onInfeasible,
        cost: finiteOrNull(training.cost),
        groups: groups.map((g) => ({
          group: groupTuple(g.values, columns),
          label: g.key,
          base_rate: g.baseRate,
          mix_rate: g.mixRate,
          cost: finiteOrNull(g.cost),
          trivial_cost: finiteOrNull(g.trivialCost),
          cost_after: finiteOrNull(g.costAfter),
        })),
      },
    };
  }

  /** Restores a policy from its document (checked against the schema, then as a policy). */
  static fromJSON(json: unknown, what = "policy"): CalibratedEqualizedOdds {
    const doc = readPolicyHead<CalibratedEqualizedOddsPolicyJSON>(
      json,
      "calibrated_equalized_odds",
      "CalibratedEqualizedOdds.fromJSON",
      "cost_constraint",
      what,
    );
    const s = doc.settings;
    const read = readRuleGroups(doc.columns, doc.groups, what);
    if (s.groups.length !== read.length)
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.policyMethodField(
          what,
          "calibrated_equalized_odds",
          `one settings.groups entry per group (${read.length})`,
        ),
        { argument: what },
      );
    const nan = (x: number | null) => x ?? Number.NaN;
    const groups: CeoGroup[] = read.map((g, i) => {
      const saved = s.groups[i];
      if (JSON.stringify(saved.group) !== JSON.stringify(g.saved.group))
        throw new FairkitError(
          "BAD_ARGUMENT",
          messages.policySettingsGroups(what, i, saved.label ?? JSON.stringify(saved.group), g.key),
          { argument: what },
        );
      return {
        key: g.key,
        values: g.values,
        rule: g.rule,
        baseRate: saved.base_rate,
        mixRate: saved.mix_rate,
        cost: nan(saved.cost),
        trivialCost: nan(saved.trivial_cost),
        costAfter: nan(saved.cost_after),
      };
    });
    const ceo = new CalibratedEqualizedOdds({
      costConstraint: s.cost_constraint,
      threshold: s.threshold,
      onInfeasible: s.on_infeasible,
    });
    ceo.fitted = {
      rules: new PolicyRules(doc.columns, groups),
      groups,
      training: {
        accuracy: nan(doc.training.accuracy),
        balancedAccuracy: nan(doc.training.balanced_accuracy),
        costDifference: nan(doc.training.constraint_difference),
        cost: nan(s.cost),
      },
    };
    return ceo;
  }
}
