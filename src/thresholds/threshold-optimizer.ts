/**
 * ThresholdOptimizer (Hardt, Price & Srebro 2016): per-group, possibly randomised thresholds on
 * an existing score that satisfy a fairness constraint while maximising accuracy or balanced
 * accuracy, solved exactly on each group's ROC convex hull (no grid).
 *
 * Why exact works: once the groups' sizes and base rates are fixed, both objectives are linear in
 * the groups' (FPR, TPR), and the best rule at a given rate lies on the upper ROC hull. So
 *
 * - single-rate constraints (demographic parity: a common selection rate; TPR parity; FPR
 *   parity) make each group's best objective a concave piecewise-linear function of the common
 *   rate, maximal at one of the hulls' breakpoints: all of them, merged across groups, are tried;
 *   with a tolerance the rates may differ by up to `tolerance`, and the optimum is still at a
 *   breakpoint or a breakpoint minus the tolerance;
 * - equalized odds needs one common (FPR, TPR) point inside every group's achievable region (a
 *   convex polygon); the objective is linear, so the optimum is a vertex of the polygons'
 *   intersection (convex clipping). With a tolerance it is a small linear program, solved by
 *   {@link solveLinearProgram}.
 */
import { type ConfusionTable, GROUP_STRIDE, groupCells, totalCells } from "../core/confusion.js";
import { criterionFromCounts } from "../core/criteria.js";
import { FairkitError, messages } from "../core/errors.js";
import {
  type GroupInfo,
  type Level,
  type SensitiveInput,
  encodeGroups,
  groupTuple,
  matchKnownGroups,
} from "../core/groups.js";
import { checkSchema } from "../core/schema.js";
import { POLICY_SCHEMA, POLICY_SCHEMA_VERSION } from "../schemas/policy.js";
import { VERSION } from "../version.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { createRandom } from "../core/random.js";
import { type BinaryInput, type NumericInput, checkLength, toScores } from "../core/validate.js";
import { type DecisionRule, expectedCells, ruleProbability } from "./decision-rule.js";
import { readRuleGroups } from "./rule-policy.js";
import { solveLinearProgram } from "./lp.js";
import { type Point, clipConvex, maximizeLinear } from "./polygon.js";
import {
  type HullVertex,
  achievableRegion,
  hullPointAtRate,
  hullPointRule,
  rocHull,
  ruleForPoint,
} from "./roc-hull.js";
import { type ScoreTable, groupTotals, scoreTable } from "./score-table.js";

/** Constraints the optimizer can enforce. */
export type ThresholdConstraint =
  | "demographic_parity"
  | "equalized_odds"
  | "true_positive_rate_parity"
  | "false_positive_rate_parity";
/** What it maximises. */
export type ThresholdObjective = "accuracy" | "balanced_accuracy";

/** The constraint names (with the aliases accepted). */
export const THRESHOLD_CONSTRAINTS: readonly ThresholdConstraint[] = [
  "demographic_parity",
  "equalized_odds",
  "true_positive_rate_parity",
  "false_positive_rate_parity",
];
/** Other names each constraint answers to. */
export const THRESHOLD_CONSTRAINT_ALIASES: Readonly<Record<string, ThresholdConstraint>> = Object.freeze({
  equal_opportunity: "true_positive_rate_parity",
  tpr_parity: "true_positive_rate_parity",
  fpr_parity: "false_positive_rate_parity",
  selection_rate_parity: "demographic_parity",
});

/** The constraints with their aliases, for help texts: `true_positive_rate_parity (or equal_opportunity, tpr_parity)`. */
export function describeThresholdConstraints(): string {
  return THRESHOLD_CONSTRAINTS.map((c) => {
    const aliases = Object.keys(THRESHOLD_CONSTRAINT_ALIASES).filter((a) => THRESHOLD_CONSTRAINT_ALIASES[a] === c);
    return aliases.length > 0 ? `${c} (or ${aliases.join(", ")})` : c;
  }).join(", ");
}

/** Options of {@link ThresholdOptimizer}. */
export interface ThresholdOptimizerOptions {
  /** Default `demographic_parity`. */
  constraint?: ThresholdConstraint | string;
  /** Default `accuracy`. */
  objective?: ThresholdObjective;
  /** Largest allowed difference between groups of the constrained rate(s); default 0 (equal). */
  tolerance?: number;
  /**
   * Also consider flipped rules (`score < t` positive) for groups the score ranks backwards;
   * default false (as Fairlearn's `flip`).
   */
  flip?: boolean;
}

/** Resolves a constraint name or alias; throws naming the known ones. */
export function thresholdConstraint(name: string): ThresholdConstraint {
  const c = (THRESHOLD_CONSTRAINTS as readonly string[]).includes(name)
    ? (name as ThresholdConstraint)
    : THRESHOLD_CONSTRAINT_ALIASES[name];
  if (!c)
    throw new FairkitError(
      "BAD_ARGUMENT",
      messages.unknownConstraint(name, THRESHOLD_CONSTRAINTS, Object.keys(THRESHOLD_CONSTRAINT_ALIASES)),
      { argument: "constraint" },
    );
  return c;
}

/** One group's fitted policy. */
export interface GroupPolicy {
  key: string;
  values: GroupInfo["values"];
  rule: DecisionRule;
  /** The operating point the solver chose, as rates on the training data. */
  fpr: number;
  tpr: number;
}

/** Expected values of a fitted policy on its training data (exact, from the mixing probabilities). */
export interface PolicyTraining {
  objective: number;
  accuracy: number;
  balancedAccuracy: number;
  constraintDifference: number;
}

/** A fitted policy in memory. */
interface FittedPolicy {
  constraint: ThresholdConstraint;
  objective: ThresholdObjective;
  tolerance: number;
  flip: boolean;
  columns: string[];
  groups: GroupPolicy[];
  training: PolicyTraining;
}

/** The policy document (`fairkit.threshold_policy`, schema in `schemas/threshold-policy.schema.json`). */
export interface ThresholdPolicyJSON {
  kind: "fairkit.threshold_policy";
  schema_version: typeof POLICY_SCHEMA_VERSION;
  tool?: { name: "fairkit"; version: string };
  method: "threshold_optimizer";
  constraint: ThresholdConstraint;
  objective: ThresholdObjective;
  tolerance: number;
  flip: boolean;
  columns: string[];
  groups: { group: (Level | null)[]; label?: string; rule: DecisionRule; fpr?: number | null; tpr?: number | null }[];
  /** Expected values on the training data; null where undefined. */
  training: {
    objective: number | null;
    accuracy: number | null;
    balanced_accuracy: number | null;
    constraint_difference: number | null;
  };
  /** What it was fitted on (written by `fairkit postprocess`). */
  input?: { source?: string; rows?: number; score: string; sensitive: string[]; where?: string | null };
}

interface GroupStats {
  hull: HullVertex[];
  positives: number;
  negatives: number;
}

/** Linear objective coefficients per group: value = Σ_g (a_g · TPR_g − b_g · FPR_g) + constant. */
function objectiveCoefficients(
  stats: GroupStats[],
  objective: ThresholdObjective,
): { a: number[]; b: number[]; constant: number } {
  const P = stats.reduce((s, g) => s + g.positives, 0);
  const N = stats.reduce((s, g) => s + g.negatives, 0);
  if (objective === "accuracy") {
    const W = P + N;
    return { a: stats.map((g) => g.positives / W), b: stats.map((g) => g.negatives / W), constant: N / W };
  }
  if (objective === "balanced_accuracy") {
    return { a: stats.map((g) => g.positives / (2 * P)), b: stats.map((g) => g.negatives / (2 * N)), constant: 0.5 };
  }
  throw new FairkitError("BAD_ARGUMENT", messages.unknownObjective(objective), { argument: "objective" });
}

/** (alpha, beta) of the constrained rate alpha · TPR + beta · FPR for a single-rate constraint. */
function rateWeights(constraint: ThresholdConstraint, g: GroupStats): [number, number] {
  if (constraint === "demographic_parity") {
    const w = g.positives + g.negatives;
    return [g.positives / w, g.negatives / w];
  }
  if (constraint === "true_positive_rate_parity") return [1, 0];
  return [0, 1];
}

function solveSingleRate(
  stats: GroupStats[],
  constraint: ThresholdConstraint,
  a: number[],
  b: number[],
  tolerance: number,
): Point[] {
  const weights = stats.map((g) => rateWeights(constraint, g));
  const value = (g: number) => (f: number, t: number) => a[g] * t - b[g] * f;
  const rates = stats.map((g, i) => g.hull.map((v) => weights[i][0] * v.tpr + weights[i][1] * v.fpr));
  // Each group's unconstrained best rate: the hull vertex with the largest objective.
  const bestRate = stats.map((g, i) => {
    let best = 0;
    g.hull.forEach((v, j) => {
      if (value(i)(v.fpr, v.tpr) > value(i)(g.hull[best].fpr, g.hull[best].tpr)) best = j;
    });
    return rates[i][best];
  });
  const upperL = Math.max(0, 1 - tolerance);
  const candidates = new Set<number>();
  for (const rs of rates) {
    for (const r of rs) {
      for (const L of [r, r - tolerance]) if (L >= 0 && L <= upperL) candidates.add(L);
    }
  }
  candidates.add(0);
  candidates.add(upperL);
  let bestTotal = Number.NEGATIVE_INFINITY;
  let bestPoints: Point[] = [];
  for (const L of candidates) {
    let total = 0;
    const points: Point[] = [];
    stats.forEach((g, i) => {
      const r = Math.min(Math.max(bestRate[i], L), Math.min(1, L + tolerance));
      const p = hullPointAtRate(g.hull, weights[i][0], weights[i][1], r, value(i));
      total += value(i)(p.fpr, p.tpr);
      points.push([p.fpr, p.tpr]);
    });
    if (total > bestTotal) {
      bestTotal = total;
      bestPoints = points;
    }
  }
  return bestPoints;
}

function solveEqualizedOdds(stats: GroupStats[], a: number[], b: number[], tolerance: number): Point[] {
  const regions = stats.map((g) => achievableRegion(g.hull));
  if (tolerance <= 0) {
    let common: Point[] = regions[0];
    for (let g = 1; g < regions.length; g++) common = clipConvex(common, regions[g]);
    const A = a.reduce((s, v) => s + v, 0);
    const B = b.reduce((s, v) => s + v, 0);
    // (0, 0) and (1, 1) are in every region: keep them as candidates against rounding.
    const best = maximizeLinear([...common, [0, 0], [1, 1]], -B, A)!;
    return stats.map(() => [best[0], best[1]] as Point);
  }
  // LP over x = [f_1, t_1, …, f_G, t_G, Lf, Lt]: each (f_g, t_g) in its region, and
  // Lf ≤ f_g ≤ Lf + tolerance, Lt ≤ t_g ≤ Lt + tolerance.
  const G = stats.length;
  const n = 2 * G + 2;
  const rows: number[][] = [];
  const rhs: number[] = [];
  regions.forEach((poly, g) => {
    for (let e = 0; e < poly.length; e++) {
      const p = poly[e];
      const q = poly[(e + 1) % poly.length];
      const dx = q[0] - p[0];
      const dy = q[1] - p[1];
      if (dx === 0 && dy === 0) continue;
      // inside (left of p→q): dy·f − dx·t ≤ dy·p_f − dx·p_t
      const row = new Array<number>(n).fill(0);
      row[2 * g] = dy;
      row[2 * g + 1] = -dx;
      rows.push(row);
      rhs.push(Math.max(0, dy * p[0] - dx * p[1]));
    }
  });
  for (let g = 0; g < G; g++) {
    for (const [v, L] of [
      [2 * g, 2 * G],
      [2 * g + 1, 2 * G + 1],
    ]) {
      // Rates are at most 1: implied by a region with area, but not by a degenerate one (a group
      // whose scores are all tied has only the diagonal segment).
      const cap = new Array<number>(n).fill(0);
      cap[v] = 1;
      rows.push(cap);
      rhs.push(1);
      const low = new Array<number>(n).fill(0);
      low[L] = 1;
      low[v] = -1;
      rows.push(low);
      rhs.push(0);
      const high = new Array<number>(n).fill(0);
      high[v] = 1;
      high[L] = -1;
      rows.push(high);
      rhs.push(tolerance);
    }
  }
  const c = new Array<number>(n).fill(0);
  for (let g = 0; g < G; g++) {
    c[2 * g] = -b[g];
    c[2 * g + 1] = a[g];
  }
  const solution = solveLinearProgram(c, rows, rhs);
  if (solution.status !== "optimal") throw new Error("internal: the equalized-odds linear program is unbounded");
  return stats.map((_, g) => [Math.min(1, solution.x[2 * g]), Math.min(1, solution.x[2 * g + 1])] as Point);
}

/** Rule for a point the single-rate solver put on the upper hull (or anywhere in the region). */
function ruleFor(hull: HullVertex[], point: Point): DecisionRule {
  // Points on the hull come back as the plain two-threshold mix; others get a coin flip as well.
  const onHull = hullPointAtRate(hull, 0, 1, point[0], (_f, t) => t);
  if (Math.abs(onHull.tpr - point[1]) <= 1e-12) return hullPointRule(hull, onHull);
  return ruleForPoint(hull, point[0], point[1]);
}

function criterionOf(constraint: ThresholdConstraint): "demographic_parity" | "equalized_odds" | "equal_opportunity" {
  return constraint === "true_positive_rate_parity"
    ? "equal_opportunity"
    : constraint === "false_positive_rate_parity"
      ? "equalized_odds"
      : constraint;
}

/** The largest difference between groups of the constrained rate(s), from expected counts. */
export function constraintDifference(counts: ConfusionTable, constraint: ThresholdConstraint): number {
  if (constraint === "false_positive_rate_parity") {
    const spec = metricSpec("false_positive_rate");
    const values = counts.groups.map((_, g) => evaluateMetric(spec, groupCells(counts, g)));
    return Math.max(...values) - Math.min(...values);
  }
  return criterionFromCounts(counts, criterionOf(constraint), "difference");
}

/**
 * Post-processing with per-group randomised thresholds (Hardt et al. 2016).
 *
 * @example
 * const opt = new ThresholdOptimizer({ constraint: "equalized_odds" }).fit(scores, yTrue, race);
 * opt.predictProba(scores, race);           // exact P(positive) per row
 * opt.predict(scores, race, { seed: 1 });   // 0/1 decisions, reproducible
 * const saved = JSON.stringify(opt.toJSON());
 * ThresholdOptimizer.fromJSON(JSON.parse(saved));
 */
export class ThresholdOptimizer {
  readonly constraint: ThresholdConstraint;
  readonly objective: ThresholdObjective;
  readonly tolerance: number;
  readonly flip: boolean;
  private policy: FittedPolicy | undefined;

  constructor(options: ThresholdOptimizerOptions = {}) {
    this.constraint = thresholdConstraint(options.constraint ?? "demographic_parity");
    this.objective = options.objective ?? "accuracy";
    if (this.objective !== "accuracy" && this.objective !== "balanced_accuracy")
      objectiveCoefficients([], this.objective);
    this.tolerance = options.tolerance ?? 0;
    this.flip = options.flip ?? false;
    if (!(this.tolerance >= 0))
      throw new FairkitError("BAD_ARGUMENT", messages.badTolerance(options.tolerance), { argument: "tolerance" });
  }

  /** Fits on rows: scores, labels and the sensitive features (and optional weights). */
  fit(
    scores: NumericInput,
    yTrue: BinaryInput,
    sensitiveFeatures: SensitiveInput,
    options: { sampleWeight?: NumericInput; posLabel?: unknown } = {},
  ): this {
    return this.fitTable(scoreTable({ scores, yTrue, sensitiveFeatures, ...options }));
  }

  /** Fits on score tables (e.g. merged from chunks of a large file). */
  fitTable(table: ScoreTable): this {
    if (table.groups.length === 0) throw new FairkitError("EMPTY_INPUT", messages.noGroups(), { argument: "table" });
    const stats: GroupStats[] = table.perGroup.map((group, g) => {
      const totals = groupTotals(group);
      return {
        hull: rocHull(group, table.groups[g].key, this.flip),
        positives: totals.positives,
        negatives: totals.negatives,
      };
    });
    const { a, b } = objectiveCoefficients(stats, this.objective);
    const points =
      this.constraint === "equalized_odds"
        ? solveEqualizedOdds(stats, a, b, this.tolerance)
        : solveSingleRate(stats, this.constraint, a, b, this.tolerance);
    const groups: GroupPolicy[] = table.groups.map((info, g) => ({
      key: info.key,
      values: { ...info.values },
      rule: ruleFor(stats[g].hull, points[g]),
      fpr: points[g][0],
      tpr: points[g][1],
    }));
    this.policy = {
      constraint: this.constraint,
      objective: this.objective,
      tolerance: this.tolerance,
      flip: this.flip,
      columns: [...table.columns],
      groups,
      training: {
        objective: Number.NaN,
        accuracy: Number.NaN,
        balancedAccuracy: Number.NaN,
        constraintDifference: Number.NaN,
      },
    };
    const expected = this.expectedConfusion(table);
    const total = totalCells(expected);
    const accuracy = evaluateMetric(metricSpec("accuracy"), total);
    const balancedAccuracy = evaluateMetric(metricSpec("balanced_accuracy"), total);
    this.policy.training = {
      objective: this.objective === "accuracy" ? accuracy : balancedAccuracy,
      accuracy,
      balancedAccuracy,
      constraintDifference: constraintDifference(expected, this.constraint),
    };
    return this;
  }

  private fitted(): FittedPolicy {
    if (!this.policy)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("the ThresholdOptimizer", "fit() or fromJSON()"), {
        argument: "this",
      });
    return this.policy;
  }

  /** The fitted per-group rules. */
  get groups(): readonly GroupPolicy[] {
    return this.fitted().groups;
  }

  /** Expected accuracy, balanced accuracy and constraint difference on the training data. */
  get training(): PolicyTraining {
    return { ...this.fitted().training };
  }

  /** The columns the policy was fitted on. */
  get columns(): readonly string[] {
    return [...this.fitted().columns];
  }

  /** The policy rule of each group of `groups` (matched by identity); throws naming a group not seen in fit. */
  private rulesFor(groups: readonly GroupInfo[], columns: readonly string[]): Int32Array {
    const policy = this.fitted();
    return matchKnownGroups({ columns: policy.columns, groups: policy.groups }, { columns, groups }, "policy");
  }

  /** The rule index of each row's group; throws on a group not seen in fit. */
  private ruleIndexes(sensitiveFeatures: SensitiveInput, n: number): { codes: Int32Array; map: Int32Array } {
    const encoding = encodeGroups(sensitiveFeatures, n, "scores");
    return { codes: encoding.codes, map: this.rulesFor(encoding.groups, encoding.columns) };
  }

  /** The exact probability of a positive decision for each row. */
  predictProba(scores: NumericInput, sensitiveFeatures: SensitiveInput): Float64Array {
    const s = toScores(scores, "scores");
    const { codes, map } = this.ruleIndexes(sensitiveFeatures, s.length);
    const rules = this.fitted().groups.map((g) => g.rule);
    const out = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = ruleProbability(rules[map[codes[i]]], s[i]);
    return out;
  }

  /** 0/1 decisions drawn with the seeded generator (`seed` default 0): the same seed, the same decisions. */
  predict(scores: NumericInput, sensitiveFeatures: SensitiveInput, options: { seed?: number } = {}): Uint8Array {
    const proba = this.predictProba(scores, sensitiveFeatures);
    const rng = createRandom(options.seed ?? 0);
    const out = new Uint8Array(proba.length);
    for (let i = 0; i < proba.length; i++) {
      const p = proba[i];
      // Draw for every row so that row i's decision depends only on the seed and i.
      const u = rng.next();
      out[i] = p >= 1 ? 1 : p <= 0 ? 0 : u < p ? 1 : 0;
    }
    return out;
  }

  /** Exact expected confusion counts of the policy on a score table (groups matched by identity). */
  expectedConfusion(table: ScoreTable): ConfusionTable {
    const policy = this.fitted();
    const map = this.rulesFor(table.groups, table.columns);
    const data = new Float64Array(table.groups.length * GROUP_STRIDE);
    table.groups.forEach((_, g) => {
      expectedCells(
        policy.groups[map[g]].rule,
        table.perGroup[g],
        data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE),
      );
    });
    return { columns: [...table.columns], groups: table.groups, data };
  }

  /**
   * Exact expected metrics of the policy per group and overall (any core metric names).
   * @example
   * opt.expectedMetrics(table, ["selection_rate", "true_positive_rate"]).groups["Caucasian"].selection_rate;
   */
  expectedMetrics(
    table: ScoreTable,
    metrics: readonly string[] = [
      "selection_rate",
      "true_positive_rate",
      "false_positive_rate",
      "positive_predictive_value",
      "accuracy",
    ],
  ): { groups: Record<string, Record<string, number>>; overall: Record<string, number> } {
    const counts = this.expectedConfusion(table);
    const specs = metrics.map((name) => metricSpec(name));
    const evaluate = (cells: Float64Array) =>
      Object.fromEntries(specs.map((spec, j) => [metrics[j], evaluateMetric(spec, cells)]));
    const groups: Record<string, Record<string, number>> = {};
    counts.groups.forEach((info, g) => {
      groups[info.key] = evaluate(groupCells(counts, g));
    });
    return { groups, overall: evaluate(totalCells(counts)) };
  }

  /** Exact expected counts on rows (scores, labels, groups). */
  expectedConfusionOn(
    scores: NumericInput,
    yTrue: BinaryInput,
    sensitiveFeatures: SensitiveInput,
    options: { sampleWeight?: NumericInput; posLabel?: unknown } = {},
  ): ConfusionTable {
    checkLength(yTrue, "yTrue", scores.length, "scores");
    return this.expectedConfusion(scoreTable({ scores, yTrue, sensitiveFeatures, ...options }));
  }

  /** The fitted policy as its JSON document (the mixing probabilities are explicit; undefined numbers are null). */
  toJSON(): ThresholdPolicyJSON {
    const p = this.fitted();
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      kind: "fairkit.threshold_policy",
      schema_version: POLICY_SCHEMA_VERSION,
      tool: { name: "fairkit", version: VERSION },
      method: "threshold_optimizer",
      constraint: p.constraint,
      objective: p.objective,
      tolerance: p.tolerance,
      flip: p.flip,
      columns: [...p.columns],
      groups: p.groups.map((g) => ({
        group: groupTuple(g.values, p.columns),
        label: g.key,
        rule: { cuts: [...g.rule.cuts], probabilities: [...g.rule.probabilities] },
        fpr: num(g.fpr),
        tpr: num(g.tpr),
      })),
      training: {
        objective: num(p.training.objective),
        accuracy: num(p.training.accuracy),
        balanced_accuracy: num(p.training.balancedAccuracy),
        constraint_difference: num(p.training.constraintDifference),
      },
    };
  }

  /**
   * Restores a policy from its JSON document, checked against its schema (messages name the
   * field), then as a policy: each rule's cuts ascending, one value per column in each group, no
   * group twice. Version-2 policies (no `method`) and fairkit 0.1 policies
   * (`fairkit.threshold_optimizer`, version 1) are read too; a policy of another method is an
   * error pointing to `policyFromJSON`.
   */
  static fromJSON(json: unknown, what = "policy"): ThresholdOptimizer {
    const doc = upgradePolicy(json);
    checkSchema(doc, POLICY_SCHEMA, what);
    if (doc.method !== "threshold_optimizer")
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.policyWrongMethod(what, doc.method, "ThresholdOptimizer.fromJSON"),
        {
          argument: what,
        },
      );
    for (const field of ["constraint", "objective", "tolerance", "flip"] as const) {
      if (doc[field] === undefined)
        throw new FairkitError("BAD_ARGUMENT", messages.policyMethodField(what, "threshold_optimizer", field), {
          argument: what,
        });
    }
    const groups: GroupPolicy[] = readRuleGroups(doc.columns, doc.groups, what).map((g) => ({
      key: g.key,
      values: g.values,
      rule: g.rule,
      fpr: g.saved.fpr ?? Number.NaN,
      tpr: g.saved.tpr ?? Number.NaN,
    }));
    const opt = new ThresholdOptimizer({
      constraint: doc.constraint,
      objective: doc.objective,
      tolerance: doc.tolerance,
      flip: doc.flip,
    });
    const nan = (x: number | null) => x ?? Number.NaN;
    opt.policy = {
      constraint: opt.constraint,
      objective: opt.objective,
      tolerance: opt.tolerance,
      flip: opt.flip,
      columns: [...doc.columns],
      groups,
      training: {
        objective: nan(doc.training.objective),
        accuracy: nan(doc.training.accuracy),
        balancedAccuracy: nan(doc.training.balanced_accuracy),
        constraintDifference: nan(doc.training.constraint_difference),
      },
    };
    return opt;
  }
}

/**
 * A version-2 policy (no `method`: always the ThresholdOptimizer's) or a fairkit 0.1 policy
 * (`fairkit.threshold_optimizer`, version 1) in today's form; anything else unchanged.
 */
export function upgradePolicy(json: unknown): ThresholdPolicyJSON {
  const v2 = json as { kind?: unknown; schema_version?: unknown; method?: unknown } | null;
  if (
    v2 !== null &&
    typeof v2 === "object" &&
    v2.kind === "fairkit.threshold_policy" &&
    v2.schema_version === 2 &&
    v2.method === undefined
  ) {
    return {
      ...(v2 as object),
      schema_version: POLICY_SCHEMA_VERSION,
      method: "threshold_optimizer",
    } as ThresholdPolicyJSON;
  }
  return upgradeVersion1(json);
}

function upgradeVersion1(json: unknown): ThresholdPolicyJSON {
  const old = json as {
    kind?: unknown;
    version?: unknown;
    columns?: unknown;
    groups?: unknown;
    training?: Record<string, unknown>;
  } | null;
  if (
    old === null ||
    typeof old !== "object" ||
    old.kind !== "fairkit.threshold_optimizer" ||
    old.version !== 1 ||
    !Array.isArray(old.columns) ||
    !Array.isArray(old.groups)
  ) {
    return json as ThresholdPolicyJSON;
  }
  const columns = old.columns as string[];
  const { kind: _kind, version: _version, training, groups, ...rest } = old as Record<string, unknown>;
  const t = (training ?? {}) as Record<string, number | null>;
  return {
    ...(rest as object),
    kind: "fairkit.threshold_policy",
    schema_version: POLICY_SCHEMA_VERSION,
    method: "threshold_optimizer",
    groups: (groups as { values?: Record<string, Level | null>; rule: DecisionRule; fpr?: number; tpr?: number }[]).map(
      (g) => ({
        group: columns.map((c) => g?.values?.[c] ?? null),
        rule: g?.rule,
        fpr: g?.fpr ?? null,
        tpr: g?.tpr ?? null,
      }),
    ),
    training: {
      objective: t.objective ?? null,
      accuracy: t.accuracy ?? null,
      balanced_accuracy: t.balancedAccuracy ?? null,
      constraint_difference: t.constraintDifference ?? null,
    },
  } as ThresholdPolicyJSON;
}
