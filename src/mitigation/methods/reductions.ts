/**
 * The reductions of Agarwal et al. (2018), one method per constraint: ExponentiatedGradient (a
 * randomised mixture, scored exactly by its expected decisions) and GridSearch (one deterministic
 * model), each with demographic parity, equalized odds, TPR parity, FPR parity or error rate parity.
 */
import { ExponentiatedGradient } from "../in/exponentiated-gradient.js";
import { GridSearch } from "../in/grid-search.js";
import {
  DemographicParity,
  EqualizedOdds,
  ErrorRateParity,
  type FairnessConstraint,
  FalsePositiveRateParity,
  TruePositiveRateParity,
} from "../in/moments.js";
import { asProbability, type MitigationMethod } from "./method.js";

/** The constraints, by the suffix of the method names (`expgrad-dp`). */
const CONSTRAINTS: Readonly<Record<string, { name: string; make: (bound: number) => FairnessConstraint }>> = {
  dp: { name: "demographic parity", make: (b) => new DemographicParity({ differenceBound: b }) },
  eo: { name: "equalized odds", make: (b) => new EqualizedOdds({ differenceBound: b }) },
  tpr: { name: "true positive rate parity", make: (b) => new TruePositiveRateParity({ differenceBound: b }) },
  fpr: { name: "false positive rate parity", make: (b) => new FalsePositiveRateParity({ differenceBound: b }) },
  erp: { name: "error rate parity", make: (b) => new ErrorRateParity({ differenceBound: b }) },
};

function exponentiatedGradient(key: string): MitigationMethod {
  const constraint = CONSTRAINTS[key];
  return {
    name: `expgrad-${key}`,
    stage: "model",
    description: `ExponentiatedGradient with ${constraint.name} (randomised mixture)`,
    fit(c) {
      const eg = new ExponentiatedGradient(c.makeEstimator, constraint.make(c.eps), { eps: c.eps }).fit(
        c.Xtrain,
        c.yTrain,
        { sensitiveFeatures: c.groupsTrain },
      );
      const d = eg.diagnostics!;
      return {
        decisions: eg.predictProba(c.Xtest),
        artefacts: { model: eg.toJSON() },
        notes: {
          iterations: d.iterations,
          inner_fits: d.oracleCalls,
          inner_fit_ms: Math.round(d.oracleMs),
          best_gap: d.bestGap,
          predictors: eg.predictors.length,
        },
      };
    },
  };
}

function gridSearch(key: string): MitigationMethod {
  const constraint = CONSTRAINTS[key];
  return {
    name: `gridsearch-${key}`,
    stage: "model",
    description: `GridSearch with ${constraint.name} (one deterministic model)`,
    fit(c) {
      const gs = new GridSearch(c.makeEstimator, constraint.make(c.eps)).fit(c.Xtrain, c.yTrain, {
        sensitiveFeatures: c.groupsTrain,
      });
      return {
        decisions: asProbability(gs.predict(c.Xtest)),
        artefacts: { model: gs.toJSON() },
        notes: { inner_fits: gs.points.length, best_index: gs.bestIndex },
      };
    },
  };
}

/** `expgrad-dp`, `gridsearch-dp`, `expgrad-eo`, … */
export const reductions: readonly MitigationMethod[] = Object.keys(CONSTRAINTS).flatMap((key) => [
  exponentiatedGradient(key),
  gridSearch(key),
]);
