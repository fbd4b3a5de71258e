/**
 * Post-processors in the comparison runner: each fits on the baseline's scores of the training
 * rows (with their labels and groups) and decides on the baseline's scores of the test rows, so
 * the model is the baseline's and only the decisions change. The ThresholdOptimizer (demographic
 * parity, equalized odds), reject-option classification and calibrated equalized odds, each with
 * its library defaults; the saved artefacts are the baseline's model and the policy.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { CalibratedEqualizedOdds } from "../../thresholds/calibrated-equalized-odds.js";
import type { PolicyModel } from "../../thresholds/policy-loader.js";
import { RejectOptionClassification } from "../../thresholds/reject-option.js";
import { type ScoreTable, scoreTable } from "../../thresholds/score-table.js";
import { ThresholdOptimizer } from "../../thresholds/threshold-optimizer.js";
import type { MethodContext, MethodFit, MitigationMethod } from "./method.js";

function postProcess<P extends PolicyModel & { fitTable(table: ScoreTable): unknown }>(
  c: MethodContext,
  make: () => P,
  notes: (policy: P) => Record<string, number | string>,
): MethodFit {
  if (!c.baselineScores || !c.baselineTestScores)
    throw new FairkitError("BAD_ARGUMENT", messages.notFitted("the baseline", "running it first"), {
      argument: "methods",
    });
  const policy = make();
  policy.fitTable(scoreTable({ scores: c.baselineScores, yTrue: c.yTrain, sensitiveFeatures: c.groupsTrain }));
  return {
    decisions: policy.predictProba(c.baselineTestScores, c.groupsTest),
    artefacts: { model: c.baselineModel, policy: policy.toJSON() },
    notes: notes(policy),
  };
}

const thresholdOptimizer = (key: string, constraint: "demographic_parity" | "equalized_odds"): MitigationMethod => ({
  name: `threshold-${key}`,
  stage: "decisions",
  description: `ThresholdOptimizer with ${constraint.replace("_", " ")} on the baseline's scores (exact, randomised thresholds)`,
  fit: (c) =>
    postProcess(
      c,
      () => new ThresholdOptimizer({ constraint }),
      (opt) => ({ training_accuracy: opt.training.accuracy }),
    ),
});

export const rejectOption: MitigationMethod = {
  name: "reject-option",
  stage: "decisions",
  description:
    "reject-option classification on the baseline's scores (statistical parity difference in ±0.05, exact search; privileged: the group with the most positive labels)",
  fit: (c) =>
    postProcess(
      c,
      () => new RejectOptionClassification(),
      (roc) => ({
        classification_threshold: finiteOrText(roc.result.classificationThreshold),
        margin: finiteOrText(roc.result.margin),
        privileged: roc.privileged.join("; "),
      }),
    ),
};

export const calibratedEqualizedOdds: MitigationMethod = {
  name: "calibrated-eo",
  stage: "decisions",
  description:
    "calibrated equalized odds on the baseline's probabilities (weighted cost, threshold 0.5; a group that cannot reach the worst cost is fully mixed, as AIF360 does: see cost_spread)",
  fit: (c) =>
    postProcess(
      c,
      () => new CalibratedEqualizedOdds({ onInfeasible: "cap" }),
      (ceo) => ({
        worst_cost: ceo.training.cost,
        cost_spread: ceo.training.costDifference,
        mix_rates: ceo.groups.map((g) => `${g.key}: ${g.mixRate.toFixed(4)}`).join("; "),
      }),
    ),
};

function finiteOrText(x: number): number | string {
  return Number.isFinite(x) ? x : "none (the region reaches past every score)";
}

/** `threshold-dp`, `threshold-eo`, `reject-option`, `calibrated-eo`. */
export const postProcessors: readonly MitigationMethod[] = [
  thresholdOptimizer("dp", "demographic_parity"),
  thresholdOptimizer("eo", "equalized_odds"),
  rejectOption,
  calibratedEqualizedOdds,
];
