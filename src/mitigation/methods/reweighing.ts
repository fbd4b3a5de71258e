/** Reweighing (Kamiran & Calders 2012): each (group, label) cell weighted to its size under independence. */
import { reweighing as reweigh } from "../pre/reweighing.js";
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

export const reweighing: MitigationMethod = {
  name: "reweighing",
  stage: "weights",
  description: "Kamiran & Calders reweighing: w(a, y) = P(a)P(y)/P(a, y)",
  fit(c) {
    const rw = reweigh(c.yTrain, c.groupsTrain);
    const model = c.makeEstimator().fit(c.Xtrain, c.yTrain, { sampleWeight: rw.sampleWeight });
    return {
      decisions: asProbability(model.predict(c.Xtest)),
      artefacts: { weights: rw.cells, model: savedModel(model) },
      notes: {},
    };
  },
};
