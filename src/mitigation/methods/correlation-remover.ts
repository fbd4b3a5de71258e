/**
 * Fairlearn's correlation remover (alpha 1) on the features: the sensitive columns are one-hot
 * encoded, appended, and every other feature is made linearly uncorrelated with them.
 */
import type { Matrix } from "../../models/matrix.js";
import { type CellValue, fitTabular } from "../../models/tabular.js";
import { CorrelationRemover } from "../pre/correlation-remover.js";
import { asProbability, type MitigationMethod, savedModel } from "./method.js";

function appendColumns(a: Matrix, b: Matrix): Matrix {
  const cols = a.cols + b.cols;
  const data = new Float64Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * cols);
    data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * cols + a.cols);
  }
  return { rows: a.rows, cols, data };
}

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
