/**
 * Reading saved built-in estimators back: the JSON their `toJSON` wrote, dispatched on `kind`.
 * Used by the reductions' `fromJSON`, whose mixtures hold several base models.
 */
import { FairkitError, messages } from "../core/errors.js";
import { ConstantEstimator, type Estimator } from "./estimator.js";
import { LogisticRegression } from "./logistic-regression.js";
import { checkSchema } from "../core/schema.js";
import { CONSTANT_ESTIMATOR_SCHEMA } from "../schemas/models.js";
import { VERSION } from "../version.js";

/**
 * A built-in estimator from its JSON (`fairkit.logistic_regression` or `fairkit.constant_estimator`),
 * checked against its schema.
 * @example
 * const model = estimatorFromJSON(JSON.parse(text)); // a LogisticRegression ready to predict
 */
export function estimatorFromJSON(json: unknown, what = "estimator"): Estimator {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === "fairkit.logistic_regression") return LogisticRegression.fromJSON(json, what);
  if (kind === "fairkit.constant_estimator") {
    checkSchema(json, CONSTANT_ESTIMATOR_SCHEMA, what);
    return new ConstantEstimator((json as { value: 0 | 1 }).value);
  }
  const old = kind === "logistic_regression" || kind === "constant";
  throw new FairkitError("BAD_ARGUMENT", messages.unknownEstimatorKind(what, kind, old, VERSION), { argument: what });
}
