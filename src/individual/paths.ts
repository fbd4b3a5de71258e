/**
 * Path-specific effects of a fitted linear structural causal model: in a linear model the effect
 * of moving an attribute from one level to another on a node, along one directed path, is the
 * product of the edge coefficients on the path (the first edge, out of a categorical attribute,
 * contributes the difference of its two levels' coefficients), and the total effect is the sum
 * over every path. Declaring some paths unfair and removing only them is how a predictor keeps
 * the fair routes of influence (Kusner et al. 2017; Chiappa 2019).
 */
import { FairkitError, messages } from "../core/errors.js";
import type { FittedEquation, FittedScm } from "./scm.js";

/** One directed path and its effect. */
export interface PathEffect {
  /** Node names, from the attribute to the target. */
  path: string[];
  /** Change of the target along this path when the attribute moves from `reference` to `level`. */
  effect: number;
}

/** The effects of one attribute change on one node. */
export interface PathEffects {
  from: string;
  to: string;
  level: string;
  reference: string;
  paths: PathEffect[];
  /** Sum over the paths: the total causal effect on `to` of the attribute moving from `reference` to `level`. */
  total: number;
}

/** Every directed path from `from` to `to` along the model's arrows (latent roots aside), in a stable order. */
export function directedPaths(scm: FittedScm, from: string, to: string): string[][] {
  scm.kind(from);
  scm.kind(to);
  const out: string[][] = [];
  const walk = (node: string, path: string[]) => {
    if (node === to) {
      out.push(path);
      return;
    }
    for (const c of scm.children(node)) walk(c, [...path, c]);
  };
  walk(from, [from]);
  return out;
}

/** Parses `race->LSAT->ZFYA` (spaces allowed) into node names. */
export function parsePath(text: string): string[] {
  return text.split("->").map((s) => s.trim());
}

function termCoef(eq: FittedEquation, term: string): number {
  const k = eq.terms.indexOf(term);
  return k < 0 ? 0 : eq.coef[k];
}

/** The coefficient of the edge u → v (for a categorical u, level minus reference). */
function edge(scm: FittedScm, u: string, v: string, level: string, reference: string): number {
  const eq = scm.equations.get(v);
  if (!eq?.parents.includes(u))
    throw new FairkitError("BAD_ARGUMENT", messages.scmNoEdge(u, v), { argument: `${u}->${v}` });
  if (scm.kind(u) === "categorical") return termCoef(eq, `${u}=${level}`) - termCoef(eq, `${u}=${reference}`);
  return termCoef(eq, u);
}

/** The effect along one path (checked to be a path of the model, starting at a categorical attribute). */
export function pathEffect(scm: FittedScm, path: readonly string[], level: string, reference: string): number {
  if (path.length < 2)
    throw new FairkitError("BAD_ARGUMENT", messages.scmShortPath(path.join("->")), { argument: "path" });
  for (const node of path) scm.kind(node);
  const levels = scm.levels(path[0]);
  for (const l of [level, reference]) {
    if (!levels.includes(l))
      throw new FairkitError("BAD_ARGUMENT", messages.scmUnknownLevel(path[0], l, levels), { argument: path[0] });
  }
  let effect = 1;
  for (let k = 0; k + 1 < path.length; k++) {
    if (k > 0 && scm.kind(path[k]) !== "numeric")
      throw new FairkitError("BAD_ARGUMENT", messages.scmNoEdge(path[k], path[k + 1]), { argument: path.join("->") });
    effect *= edge(scm, path[k], path[k + 1], level, reference);
  }
  return effect;
}

/**
 * Every path from a categorical attribute to a node, with its effect for one change of level.
 *
 * @example
 * const fx = pathEffects(scm, { from: "race", to: "ZFYA", level: "Black", reference: "White" });
 * fx.paths; // [{ path: ["race", "LSAT", "ZFYA"], effect: … }, { path: ["race", "ZFYA"], effect: … }, …]
 * fx.total; // equals the change of E[ZFYA] when race is set from White to Black
 */
export function pathEffects(
  scm: FittedScm,
  options: { from: string; to: string; level: string; reference: string },
): PathEffects {
  const { from, to, level, reference } = options;
  if (scm.kind(from) !== "categorical")
    throw new FairkitError("BAD_ARGUMENT", messages.scmNotCategorical(from), { argument: from });
  const paths = directedPaths(scm, from, to).map((path) => ({ path, effect: pathEffect(scm, path, level, reference) }));
  return { from, to, level, reference, paths, total: paths.reduce((s, p) => s + p.effect, 0) };
}
