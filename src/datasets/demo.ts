/**
 * The built-in demo: "same model, two groups". One scoring model is applied to two groups that
 * differ in base rate and in how well the score separates their outcomes.
 *
 * For each person in group g: the outcome is y ~ Bernoulli(baseRate_g); a latent signal is
 * x ~ Normal(+separation_g / 2, 1) if y = 1 and Normal(−separation_g / 2, 1) if y = 0; the score
 * is the true probability of a positive outcome given x and the group,
 * `sigmoid(separation_g · x + logit(baseRate_g))`. The scores are therefore calibrated within
 * each group by construction, and the groups' score distributions differ: exactly the setting of
 * Kleinberg et al. (2017), where no single threshold can also equalise error rates.
 */
import { FairkitError, messages } from "../core/errors.js";
import { createRandom } from "../core/random.js";

/** One demo group. */
export interface DemoGroupOptions {
  name: string;
  /** Number of people. */
  size: number;
  /** Share with a positive outcome, in (0, 1). */
  baseRate: number;
  /** Distance between the positive and negative signal means, in standard deviations (> 0). */
  separation: number;
}

/** Options of {@link demoData}. */
export interface DemoOptions {
  /** Default 42. */
  seed?: number;
  /** Default: A (2,000 people, base rate 0.30, separation 2.0) and B (2,000, 0.50, 1.5). */
  groups?: DemoGroupOptions[];
}

/** The demo data: one row per person. */
export interface DemoData {
  /** Calibrated probability of a positive outcome, in (0, 1). */
  score: Float64Array;
  /** The true outcome. */
  yTrue: Uint8Array;
  /** The group of each row, as codes into `groupNames` (usable directly as a categorical column). */
  group: { codes: Int32Array; levels: string[] };
  groupNames: string[];
}

/** The default groups of the demo. */
export const DEFAULT_DEMO_GROUPS: readonly DemoGroupOptions[] = Object.freeze([
  { name: "A", size: 2000, baseRate: 0.3, separation: 2.0 },
  { name: "B", size: 2000, baseRate: 0.5, separation: 1.5 },
]);

/**
 * Generates the demo data, deterministically for a given seed.
 * @example
 * const demo = demoData({ seed: 7 });
 * new MetricFrame({ metrics: "selection_rate", yTrue: demo.yTrue, yPred: demo.score.map((s) => (s >= 0.5 ? 1 : 0)), sensitiveFeatures: { group: demo.group } });
 */
export function demoData(options: DemoOptions = {}): DemoData {
  const groups = options.groups ?? DEFAULT_DEMO_GROUPS;
  if (groups.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.demoNoGroups(), { argument: "groups" });
  for (const g of groups) {
    if (!(Number.isInteger(g.size) && g.size >= 1))
      throw new FairkitError("BAD_ARGUMENT", messages.demoGroupSize(g.name, g.size), { argument: "size" });
    if (!(g.baseRate > 0 && g.baseRate < 1))
      throw new FairkitError("BAD_ARGUMENT", messages.demoBaseRate(g.name, g.baseRate), { argument: "baseRate" });
    if (!(g.separation > 0 && Number.isFinite(g.separation)))
      throw new FairkitError("BAD_ARGUMENT", messages.demoSeparation(g.name, g.separation), { argument: "separation" });
  }
  const rng = createRandom(options.seed ?? 42);
  const n = groups.reduce((s, g) => s + g.size, 0);
  const score = new Float64Array(n);
  const yTrue = new Uint8Array(n);
  const codes = new Int32Array(n);
  let i = 0;
  groups.forEach((g, k) => {
    const prior = Math.log(g.baseRate / (1 - g.baseRate));
    for (let j = 0; j < g.size; j++, i++) {
      const y = rng.next() < g.baseRate ? 1 : 0;
      const x = rng.normal() + (y ? g.separation / 2 : -g.separation / 2);
      score[i] = 1 / (1 + Math.exp(-(g.separation * x + prior)));
      yTrue[i] = y;
      codes[i] = k;
    }
  });
  const groupNames = groups.map((g) => g.name);
  return { score, yTrue, group: { codes, levels: groupNames }, groupNames };
}
