/**
 * Fairlearn's correlation remover (alpha 1) on the features: the sensitive columns are one-hot
 * encoded, appended, and every other feature is made linearly uncorrelated with them.
 */
import { type Matrix, appendColumns } from "../../models/matrix.js";
import { type CellValue, fitTabular } from "../../models/tabular.js";
import { CorrelationRemover } from "../pre/correlation-remover.js";
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

export const correlationRemover: MitigationMethod = {
  name: "correlation-remover",
  stage: "data",
  description: "Fairlearn's correlation remover (alpha 1) on the features",
  fit(c) {
    const sensitivePrep = fitTabular(c.groupsTrain, { categorical: [...c.sensitive] });
    const withS = (X: Matrix, groups: Record<string, CellValue[]>) => appendColumns(X, sensitivePrep.transform(groups));
    const cols = Array.from({ length: sensitivePrep.featureNames.length }, (_, j) => c.Xtrain.cols + j);
    const cr = new CorrelationRemover({ sensitiveColumns: cols, alpha: 1 }).fit(withS(c.Xtrain, c.groupsTrain));
    const model = c.makeEstimator().fit(cr.transform(withS(c.Xtrain, c.groupsTrain)), c.yTrain);
    return {
      decisions: asProbability(model.predict(cr.transform(withS(c.Xtest, c.groupsTest)))),
      artefacts: {
        preprocessor: {
          kind: "fairkit.correlation_remover_with_groups",
          sensitive_transform: sensitivePrep.toJSON(),
          correlation_remover: cr.toJSON(),
        },
        model: savedModel(model),
      },
      notes: {},
    };
  },
};
