/** The baseline: the learner on the data as it is — the point every mitigation is compared to. */
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

export const baseline: MitigationMethod = {
  name: "baseline",
  stage: "none",
  description: "the learner on the data as it is",
  fit(c) {
    const model = c.makeEstimator().fit(c.Xtrain, c.yTrain);
    return {
      decisions: asProbability(model.predict(c.Xtest)),
      artefacts: { model: savedModel(model) },
      notes: {},
      trainScores: model.predictProba(c.Xtrain),
      testScores: model.predictProba(c.Xtest),
    };
  },
};
