/**
 * Constraint objects ("moments") for the reductions approach (Agarwal et al. 2018), shared by
 * ExponentiatedGradient and GridSearch, after Fairlearn's design.
 *
 * A parity constraint compares, for each event e (all rows, or rows with a given label) and each
 * group g, the mean "utility" of the decision within (e, g) with its mean within e. For demographic
 * parity the utility is the decision itself, so the means are selection rates; for true positive
 * rate parity they are TPRs on the rows with label 1; for error rate parity they are error rates.
 * With a difference bound ε the constraints are, for every (e, g),
 *
 *     γ⁺ = E[u | e, g] − E[u | e] ≤ ε      γ⁻ = E[u | e] − E[u | e, g] ≤ ε
 *
 * and with a ratio bound r (and slack ε): r·E[u | e, g] − E[u | e] ≤ ε, r·E[u | e] − E[u | e, g] ≤ ε.
 * Every mean is read from the core's confusion counts (selection rate, TPR, FPR, error rate), so
 * the numbers the reductions optimise are exactly the ones MetricFrame reports.
 */
import { countConfusion, groupCells, totalCells } from "../../core/confusion.js";
import { FairkitError, messages } from "../../core/errors.js";
import type { GroupEncoding } from "../../core/groups.js";
import { evaluateMetric, metricSpec } from "../../core/metrics.js";

/** The data a constraint is evaluated on: labels, group codes and weights of the training rows. */
export interface MomentData {
  y: Uint8Array;
  encoding: Pick<GroupEncoding, "codes" | "groups" | "columns">;
  weights: Float64Array;
}

/** One constraint row: sign, event and group. */
export interface ConstraintLabel {
  sign: "+" | "-";
  event: string;
  group: string;
}

/**
 * A constraint bound to training data: what the reductions call. `P` is what it is evaluated on:
 * 0/1 decisions for the parity constraints here, predicted values for a loss moment
 * (bounded-group-loss.ts).
 */
export interface LoadedConstraint<P = Uint8Array> {
  readonly name: string;
  /** The moment's kind (absent: classification): how the Lagrangian builds each inner fit. */
  readonly kind?: "classification" | "loss";
  /** K constraint rows: + for every (event, group), then − for every (event, group). */
  readonly labels: readonly ConstraintLabel[];
  /** The bound of each row (ε). */
  readonly bound: Float64Array;
  /** γ of a 0/1 decision (or of predictions, for a loss moment) on the training rows (length K). */
  gamma(decision: P): Float64Array;
  /**
   * Per row, −n × the derivative of λ·γ with respect to predicting 1: positive where the
   * constraints favour a positive decision. (Fairlearn's `signed_weights`.)
   */
  signedWeights(lambda: Float64Array): Float64Array;
  /** The λ that gives the same Lagrangian with fewer non-zero entries (Fairlearn's `project_lambda`). */
  projectLambda(lambda: Float64Array): Float64Array;
  /** For GridSearch: the free coordinates, one per (event, group) except each event's first group. */
  readonly basis: readonly { event: number; group: number }[];
  /** Number of events and groups (the + block has events × groups rows). */
  readonly events: number;
  readonly groups: number;
}

/** The objective the reductions minimise (weighted error rate, or mean loss), bound to data. */
export interface LoadedObjective<P = Uint8Array> {
  /** Weighted error rate of a 0/1 decision (mean loss of predictions, for a loss moment). */
  gamma(decision: P): number;
  /** Per row, −n × the derivative of the error with respect to predicting 1. */
  signedWeights(): Float64Array;
}

/** Options of every parity constraint. */
export interface ParityOptions {
  /** ε of the difference form; default 0.01 (used when no ratio bound is given). */
  differenceBound?: number;
  /** r in (0, 1] of the ratio form; when given, `ratioBoundSlack` is the bound. */
  ratioBound?: number;
  /** ε of the ratio form; default 0. */
  ratioBoundSlack?: number;
}

/** A fairness constraint: binds to data with {@link FairnessConstraint.load}. */
export interface FairnessConstraint {
  readonly name: string;
  load(data: MomentData): LoadedConstraint;
}

interface EventSpec {
  name: string;
  /** The core metric whose per-group value is E[u | e, g]. */
  metric: string;
  /** Which rows belong to the event. */
  member: (label: number) => boolean;
}

/** The derivative of the utility with respect to the decision: 1, or 1 − 2y for the error. */
type UtilityDiff = (label: number) => number;

/**
 * Utility parity: the common machinery of every constraint below. Exported for users who want
 * another event/metric pair (e.g. parity of false negative rates).
 */
export class UtilityParity implements FairnessConstraint {
  readonly name: string;
  readonly ratio: number;
  readonly epsilon: number;
  readonly #events: readonly EventSpec[];
  readonly #utilityDiff: UtilityDiff;

  constructor(name: string, events: readonly EventSpec[], utilityDiff: UtilityDiff, options: ParityOptions = {}) {
    this.name = name;
    this.#events = events;
    this.#utilityDiff = utilityDiff;
    if (options.ratioBound !== undefined) {
      if (options.differenceBound !== undefined) {
        throw new FairkitError("BAD_ARGUMENT", messages.bothBounds(), { argument: "ratioBound" });
      }
      if (!(options.ratioBound > 0 && options.ratioBound <= 1)) {
        throw new FairkitError("BAD_ARGUMENT", messages.notInRange("ratioBound", "(0, 1]", options.ratioBound), {
          argument: "ratioBound",
        });
      }
      this.ratio = options.ratioBound;
      this.epsilon = options.ratioBoundSlack ?? 0;
    } else {
      this.ratio = 1;
      this.epsilon = options.differenceBound ?? 0.01;
    }
    if (!(this.epsilon >= 0 && Number.isFinite(this.epsilon))) {
      throw new FairkitError("BAD_ARGUMENT", messages.notFiniteNonNegative("the bound", this.epsilon), {
        argument: "differenceBound",
      });
    }
  }

  load(data: MomentData): LoadedConstraint {
    const { y, encoding, weights } = data;
    const n = y.length;
    const events = this.#events;
    const E = events.length;
    const G = encoding.groups.length;
    const K = 2 * E * G;
    const r = this.ratio;
    const specs = events.map((e) => metricSpec(e.metric));
    // Weight of each (event, group) and each event; the event of each row (−1: none).
    const eventOf = new Int32Array(n).fill(-1);
    const cellWeight = new Float64Array(E * G);
    const eventWeight = new Float64Array(E);
    for (let i = 0; i < n; i++) {
      for (let e = 0; e < E; e++) {
        if (events[e].member(y[i])) {
          eventOf[i] = e;
          cellWeight[e * G + encoding.codes[i]] += weights[i];
          eventWeight[e] += weights[i];
          break;
        }
      }
    }
    const labels: ConstraintLabel[] = [];
    for (const sign of ["+", "-"] as const) {
      for (let e = 0; e < E; e++)
        for (let g = 0; g < G; g++) labels.push({ sign, event: events[e].name, group: encoding.groups[g].key });
    }
    const basis: { event: number; group: number }[] = [];
    for (let e = 0; e < E; e++) for (let g = 1; g < G; g++) basis.push({ event: e, group: g });
    const utilityDiff = this.#utilityDiff;
    const bound = new Float64Array(K).fill(this.epsilon);
    return {
      name: this.name,
      labels,
      bound,
      basis,
      events: E,
      groups: G,
      gamma: (decision) => {
        const table = countConfusion(y, decision, encoding, weights);
        const total = totalCells(table);
        const out = new Float64Array(K);
        for (let e = 0; e < E; e++) {
          const overall = evaluateMetric(specs[e], total);
          for (let g = 0; g < G; g++) {
            const value = evaluateMetric(specs[e], groupCells(table, g));
            // An (event, group) cell without rows cannot be moved by any decision: no constraint.
            if (Number.isNaN(value) || Number.isNaN(overall)) continue;
            out[e * G + g] = r * value - overall;
            out[E * G + e * G + g] = r * overall - value;
          }
        }
        return out;
      },
      signedWeights: (lambda) => {
        // adjust[e][g] = Σ_g' (λ⁺ − rλ⁻)[e, g'] / W_e − (rλ⁺ − λ⁻)[e, g] / W_eg, times n·w_i·δ_i.
        const adjust = new Float64Array(E * G);
        for (let e = 0; e < E; e++) {
          let eventSum = 0;
          for (let g = 0; g < G; g++) eventSum += lambda[e * G + g] - r * lambda[E * G + e * G + g];
          for (let g = 0; g < G; g++) {
            const k = e * G + g;
            const w = cellWeight[k];
            adjust[k] = w > 0 ? eventSum / eventWeight[e] - (r * lambda[k] - lambda[E * G + k]) / w : 0;
          }
        }
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const e = eventOf[i];
          if (e >= 0) out[i] = n * weights[i] * utilityDiff(y[i]) * adjust[e * G + encoding.codes[i]];
        }
        return out;
      },
      projectLambda: (lambda) => {
        if (r !== 1) return lambda;
        const out = new Float64Array(K);
        for (let k = 0; k < E * G; k++) {
          const net = lambda[k] - lambda[E * G + k];
          out[k] = Math.max(net, 0);
          out[E * G + k] = Math.max(-net, 0);
        }
        return out;
      },
    };
  }
}

const ALL: EventSpec = { name: "all", metric: "selection_rate", member: () => true };
const one = () => 1;

/**
 * Demographic parity: equal selection rates, P(ŷ = 1 | A = a) = P(ŷ = 1).
 * @example
 * new ExponentiatedGradient(() => new LogisticRegression(), new DemographicParity({ differenceBound: 0.01 }));
 */
export class DemographicParity extends UtilityParity {
  constructor(options: ParityOptions = {}) {
    super("demographic_parity", [ALL], one, options);
  }
}

/** True positive rate parity (equal opportunity): P(ŷ = 1 | A = a, Y = 1) = P(ŷ = 1 | Y = 1). */
export class TruePositiveRateParity extends UtilityParity {
  constructor(options: ParityOptions = {}) {
    super(
      "true_positive_rate_parity",
      [{ name: "label=1", metric: "true_positive_rate", member: (l) => l === 1 }],
      one,
      options,
    );
  }
}

/** False positive rate parity: P(ŷ = 1 | A = a, Y = 0) = P(ŷ = 1 | Y = 0). */
export class FalsePositiveRateParity extends UtilityParity {
  constructor(options: ParityOptions = {}) {
    super(
      "false_positive_rate_parity",
      [{ name: "label=0", metric: "false_positive_rate", member: (l) => l === 0 }],
      one,
      options,
    );
  }
}

/** Equalized odds: both true and false positive rates equal across groups. */
export class EqualizedOdds extends UtilityParity {
  constructor(options: ParityOptions = {}) {
    super(
      "equalized_odds",
      [
        { name: "label=0", metric: "false_positive_rate", member: (l) => l === 0 },
        { name: "label=1", metric: "true_positive_rate", member: (l) => l === 1 },
      ],
      one,
      options,
    );
  }
}

/** Error rate parity: P(ŷ ≠ y | A = a) = P(ŷ ≠ y). */
export class ErrorRateParity extends UtilityParity {
  constructor(options: ParityOptions = {}) {
    super("error_rate_parity", [{ name: "all", metric: "error_rate", member: () => true }], (l) => 1 - 2 * l, options);
  }
}

/** The weighted error rate, the objective of both reductions. */
export function errorRateObjective(data: MomentData): LoadedObjective {
  const { y, encoding, weights } = data;
  const n = y.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const spec = metricSpec("error_rate");
  return {
    gamma: (decision) => evaluateMetric(spec, totalCells(countConfusion(y, decision, encoding, weights))),
    signedWeights: () => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (n * weights[i] * (2 * y[i] - 1)) / total;
      return out;
    },
  };
}
