/**
 * One loader for every saved post-processing policy (`fairkit.threshold_policy`, any `method`,
 * version 3, and the version-2 and 0.1 documents the ThresholdOptimizer still reads). What it
 * returns is what `fairkit apply` and any other consumer need: the rules per group, exact
 * probabilities, seeded decisions and exact expected counts. Rule: the method is read from the
 * document, never guessed from which fields it has.
 */
import type { ConfusionTable } from "../core/confusion.js";
import type { SensitiveInput } from "../core/groups.js";
import { checkSchema } from "../core/schema.js";
import type { NumericInput } from "../core/validate.js";
import { POLICY_SCHEMA, type PolicyMethod } from "../schemas/policy.js";
import { CalibratedEqualizedOdds, type CalibratedEqualizedOddsPolicyJSON } from "./calibrated-equalized-odds.js";
import { RejectOptionClassification, type RejectOptionPolicyJSON } from "./reject-option.js";
import type { RuleGroup } from "./rule-policy.js";
import type { ScoreTable } from "./score-table.js";
import { ThresholdOptimizer, type ThresholdPolicyJSON, upgradePolicy } from "./threshold-optimizer.js";

/** Any policy document. */
export type PolicyJSON = ThresholdPolicyJSON | RejectOptionPolicyJSON | CalibratedEqualizedOddsPolicyJSON;

/** A fitted policy of any method: what applying it needs. */
export interface PolicyModel {
  readonly columns: readonly string[];
  readonly groups: readonly RuleGroup[];
  predictProba(scores: NumericInput, sensitiveFeatures: SensitiveInput): Float64Array;
  predict(scores: NumericInput, sensitiveFeatures: SensitiveInput, options?: { seed?: number }): Uint8Array;
  expectedConfusion(table: ScoreTable): ConfusionTable;
  toJSON(): PolicyJSON;
}

/**
 * Reads any saved policy: checked against the policy schema (messages name the field), then by
 * its method's reader.
 *
 * @example
 * const { method, policy } = policyFromJSON(JSON.parse(text));
 * policy.predictProba(scores, { race });
 */
export function policyFromJSON(json: unknown, what = "policy"): { method: PolicyMethod; policy: PolicyModel } {
  const doc = upgradePolicy(json) as unknown as { method: PolicyMethod };
  checkSchema(doc, POLICY_SCHEMA, what);
  if (doc.method === "reject_option_classification")
    return { method: doc.method, policy: RejectOptionClassification.fromJSON(doc, what) };
  if (doc.method === "calibrated_equalized_odds")
    return { method: doc.method, policy: CalibratedEqualizedOdds.fromJSON(doc, what) };
  return { method: "threshold_optimizer", policy: ThresholdOptimizer.fromJSON(doc, what) };
}
