/** Feldman et al. (2015) repair, level 1, of the numeric features: each group's distribution moved to the median one. */
import { DisparateImpactRemover } from "../pre/disparate-impact-remover.js";
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

export const disparateImpactRemover: MitigationMethod = {
  name: "disparate-impact-remover",
  stage: "data",
  description: "Feldman et al. repair (level 1) of the numeric features",
  fit(c) {
    // The transformed columns of the numeric features (one-hot columns are left as they are).
    const numeric: number[] = [];
    let offset = 0;
    for (const e of c.transform.encodings) {
      if (e.kind === "numeric") numeric.push(offset++);
      else offset += e.levels.length;
    }
    const dir = new DisparateImpactRemover({ repairLevel: 1, columns: numeric }).fit(c.Xtrain, c.groupsTrain);
    const model = c.makeEstimator().fit(dir.transform(c.Xtrain, c.groupsTrain), c.yTrain);
    return {
      decisions: asProbability(model.predict(dir.transform(c.Xtest, c.groupsTest))),
      artefacts: { preprocessor: dir.toJSON(), model: savedModel(model) },
      notes: {},
    };
  },
};
