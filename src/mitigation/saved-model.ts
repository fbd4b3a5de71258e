/**
 * Reading back what `fairkit mitigate --save DIR` wrote (`fairkit.mitigation_model`, one file per
 * method): the feature transform, the method's pre-processor, its model and, for a post-processor,
 * the policy applied to that model's scores — put together again so that new rows get the same
 * scores and decisions as the comparison gave the test rows. The counterfactual tests call saved
 * models through this.
 */
import { FairkitError, messages } from "../core/errors.js";
import { checkSchema } from "../core/schema.js";
import type { Estimator } from "../models/estimator.js";
import { type Matrix, appendColumns } from "../models/matrix.js";
import { estimatorFromJSON } from "../models/saved-estimator.js";
import { type CellValue, type Table, TabularTransform } from "../models/tabular.js";
import { MITIGATION_MODEL_SCHEMA } from "../schemas/mitigation.js";
import { ExponentiatedGradient } from "./in/exponentiated-gradient.js";
import { GridSearch } from "./in/grid-search.js";
import { CorrelationRemover } from "./pre/correlation-remover.js";
import { DisparateImpactRemover } from "./pre/disparate-impact-remover.js";
import { LearnedFairRepresentations } from "./pre/learned-fair-representations.js";
import { type PolicyModel, policyFromJSON } from "../thresholds/policy-loader.js";

/** The sensitive columns of a table (an error names the first one it lacks). */
function sensitiveColumns(table: Table, sensitive: readonly string[]): Record<string, ArrayLike<CellValue>> {
  const out: Record<string, ArrayLike<CellValue>> = {};
  for (const s of sensitive) {
    if (table[s] === undefined) throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(s), { argument: s });
    out[s] = table[s];
  }
  return out;
}

/** A saved mitigation method, ready to score rows. */
export class SavedMitigationModel {
  /** The method's name (`baseline`, `reweighing`, `expgrad-dp`, …). */
  readonly method: string;
  /** The columns the transform reads, and the sensitive columns the pre-processor reads (if any). */
  readonly featureColumns: string[];
  readonly sensitive: string[];
  readonly #transform: TabularTransform;
  readonly #features: (X: Matrix, table: Table) => Matrix;
  readonly #model: Estimator | ExponentiatedGradient | GridSearch;
  readonly #policy: PolicyModel | undefined;

  private constructor(
    method: string,
    transform: TabularTransform,
    sensitive: string[],
    features: (X: Matrix, table: Table) => Matrix,
    model: Estimator | ExponentiatedGradient | GridSearch,
    policy: PolicyModel | undefined,
  ) {
    this.method = method;
    this.#policy = policy;
    this.#transform = transform;
    this.featureColumns = transform.encodings.map((e) => e.name);
    this.sensitive = sensitive;
    this.#features = features;
    this.#model = model;
  }

  /**
   * Reads a `fairkit.mitigation_model` document (checked against its schema).
   * @example
   * const model = SavedMitigationModel.fromJSON(JSON.parse(readFileSync("models/baseline.json", "utf8")));
   * model.scores(table); // P(y = 1) per row
   */
  static fromJSON(json: unknown, what = "saved model"): SavedMitigationModel {
    checkSchema(json, MITIGATION_MODEL_SCHEMA, what);
    const doc = json as {
      method: string;
      input: { sensitive: string[] };
      transform: unknown;
      preprocessor?: { kind: string; sensitive_transform?: unknown; correlation_remover?: unknown };
      model: { kind: string };
      policy?: unknown;
    };
    const transform = TabularTransform.fromJSON(doc.transform, `${what}: transform`);
    const sensitive = [...doc.input.sensitive];
    const groups = (table: Table) => sensitiveColumns(table, sensitive);
    let features: (X: Matrix, table: Table) => Matrix = (X) => X;
    const pre = doc.preprocessor;
    if (pre?.kind === "fairkit.correlation_remover_with_groups") {
      const st = TabularTransform.fromJSON(pre.sensitive_transform, `${what}: sensitive transform`);
      const cr = CorrelationRemover.fromJSON(pre.correlation_remover, `${what}: correlation remover`);
      features = (X, table) => cr.transform(appendColumns(X, st.transform(groups(table))));
    } else if (pre?.kind === "fairkit.disparate_impact_remover") {
      const dir = DisparateImpactRemover.fromJSON(pre, `${what}: preprocessor`);
      features = (X, table) => dir.transform(X, groups(table) as never);
    } else if (pre !== undefined) {
      const lfr = LearnedFairRepresentations.fromJSON(pre, `${what}: preprocessor`);
      features = (X) => lfr.mapping(X);
    }
    const m = doc.model;
    const model =
      m.kind === "fairkit.exponentiated_gradient"
        ? ExponentiatedGradient.fromJSON(m, estimatorFromJSON, `${what}: model`)
        : m.kind === "fairkit.grid_search"
          ? GridSearch.fromJSON(m, estimatorFromJSON, `${what}: model`)
          : estimatorFromJSON(m, `${what}: model`);
    const policy = doc.policy === undefined ? undefined : policyFromJSON(doc.policy, `${what}: policy`).policy;
    return new SavedMitigationModel(doc.method, transform, sensitive, features, model, policy);
  }

  #inputs(table: Table): Matrix {
    return this.#features(this.#transform.transform(table), table);
  }

  /**
   * The model's P(y = 1) per row (for a randomised mixture, the mixture's expected score). For a
   * post-processor these are the baseline's scores, before its policy decides.
   */
  scores(table: Table): Float64Array {
    return this.#model.predictProba(this.#inputs(table));
  }

  /**
   * P(positive decision) per row: 0/1 for deterministic models (what `fairkit mitigate` counted),
   * the exact probability for the randomised exponentiated-gradient mixture and for a post-processor's
   * policy (its rules' probabilities at each row's score and group).
   */
  decisions(table: Table): Float64Array {
    const X = this.#inputs(table);
    if (this.#policy)
      return this.#policy.predictProba(this.#model.predictProba(X), sensitiveColumns(table, this.sensitive) as never);
    if (this.#model instanceof ExponentiatedGradient) return this.#model.predictProba(X);
    return Float64Array.from(this.#model.predict(X));
  }
}
