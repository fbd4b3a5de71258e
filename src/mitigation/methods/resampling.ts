/**
 * Resampling (Kamiran & Calders 2012): each (group, label) cell drawn to its size under
 * independence, uniformly, or preferentially (the rows nearest the baseline's boundary first).
 */
import { takeRows, takeValues } from "../../models/matrix.js";
import { resample } from "../pre/resampling.js";
import { asProbability, type MethodContext, type MethodFit, type MitigationMethod, savedModel } from "./method.js";

function fitResampled(c: MethodContext, preferential: boolean): MethodFit {
  const rs = resample(c.yTrain, c.groupsTrain, {
    method: preferential ? "preferential" : "uniform",
    seed: c.seed,
    scores: preferential ? c.baselineScores : undefined,
  });
  const model = c.makeEstimator().fit(takeRows(c.Xtrain, rs.index), takeValues(c.yTrain, rs.index));
  return {
    decisions: asProbability(model.predict(c.Xtest)),
    artefacts: { cells: rs.cells, model: savedModel(model) },
    notes: { rows: rs.index.length },
  };
}

export const resampleUniform: MitigationMethod = {
  name: "resample-uniform",
  stage: "data",
  description: "uniform resampling of (group, label) cells to their independent sizes",
  fit: (c) => fitResampled(c, false),
};

export const resamplePreferential: MitigationMethod = {
  name: "resample-preferential",
  stage: "data",
  description: "preferential resampling: rows nearest the baseline's boundary first",
  fit: (c) => fitResampled(c, true),
};
