/**
 * Reading saved built-in estimators back: the JSON their `toJSON` wrote, dispatched on `kind`.
 * Used by the reductions' `fromJSON`, whose mixtures hold several base models.
 */
import { FairkitError } from "../core/errors.js";
import { ConstantEstimator, type Estimator } from "./estimator.js";
import { LogisticRegression, type LogisticRegressionJSON } from "./logistic-regression.js";

/**
 * A built-in estimator from its JSON (`logistic_regression` or `constant`).
 * @example
 * const model = estimatorFromJSON(JSON.parse(text)); // a LogisticRegression ready to predict
 */
export function estimatorFromJSON(json: unknown): Estimator {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === "logistic_regression") return LogisticRegression.fromJSON(json as LogisticRegressionJSON);
  if (kind === "constant") {
    const value = (json as { value: unknown }).value;
    if (value !== 0 && value !== 1) throw new FairkitError("BAD_ARGUMENT", `a saved constant estimator must have value 0 or 1; got ${JSON.stringify(value)}`, { argument: "json" });
    return new ConstantEstimator(value);
  }
  throw new FairkitError("BAD_ARGUMENT", `cannot read a saved estimator of kind ${JSON.stringify(kind)}; built-in kinds: logistic_regression, constant`, { argument: "json" });
}
