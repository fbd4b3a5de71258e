/**
 * Zemel et al. (2013) learned fair representations with AIF360's Adult demo settings; the learner
 * sees the K prototype probabilities (x̂ is linear in them).
 */
import { LearnedFairRepresentations } from "../pre/learned-fair-representations.js";
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

export const lfr: MitigationMethod = {
  name: "lfr",
  stage: "data",
  description:
    "Zemel et al. learned fair representations (10 prototypes, Ax 0.1, Ay 1, Az 2, fitted on ≤ 3,000 sampled rows); the learner sees the prototype probabilities",
  fit(c) {
    const rep = new LearnedFairRepresentations({
      prototypes: 10,
      reconstructionWeight: 0.1,
      predictionWeight: 1,
      fairnessWeight: 2,
      seed: c.seed,
      maxRows: 3000,
      maxIter: 100,
    });
    rep.fit(c.Xtrain, c.yTrain, { sensitiveFeatures: c.groupsTrain });
    const model = c.makeEstimator().fit(rep.mapping(c.Xtrain), c.yTrain);
    return {
      decisions: asProbability(model.predict(rep.mapping(c.Xtest))),
      artefacts: { preprocessor: rep.toJSON(), model: savedModel(model) },
      notes: { iterations: rep.nIter },
    };
  },
};
