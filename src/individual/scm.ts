/**
 * Structural causal models, linear and Gaussian, with categorical roots and latent roots: declared
 * in a few lines of text (or JSON), fitted from a table, and used for counterfactuals by
 * abduction, action and prediction (Pearl's three steps). This file is the one home of the model:
 * its declaration, its fit, and the counterfactual table; the predictors built on it are in
 * predictors.ts, the tests of a model in counterfactual.ts.
 *
 * The declaration, one statement per line (`#` starts a comment):
 *
 *     race: categorical          # a node's kind: numeric (the default), categorical or latent
 *     K: latent                  # an unobserved root, K ~ N(0, 1)
 *     LSAT <- K + race + sex     # an equation: LSAT = b + Σ β·parent + U,  U ~ N(0, σ²)
 *
 * Nodes without an equation are exogenous: observed roots read from the data as they are.
 * Categorical parents enter as indicators of each level but the first (sorted); a categorical node
 * cannot have an equation (this is a linear-Gaussian model) and a latent node cannot have parents.
 * Latent roots are fitted with their children by EM (a factor model with covariates).
 *
 * Counterfactuals: for every observed endogenous node v the abducted noise is its residual
 * u_v = v − f_v(observed parents) (with latent parents, u_v also holds λ·K, which no intervention
 * on an observed node changes); the action sets the intervened columns; the prediction recomputes
 * every descendant in topological order as f_v(new parents) + u_v. In a linear model with additive
 * noise this is exact, not sampled.
 */
import { FairkitError, messages } from "../core/errors.js";
import { rowWeights } from "../core/validate.js";
import { LinearRegression } from "../models/linear-regression.js";
import { inverseSymmetric, logDeterminantSymmetric, solveSymmetric } from "../models/linalg.js";
import type { Matrix } from "../models/matrix.js";
import type { CellValue, Table } from "../models/tabular.js";

/** The kind of a node. */
export type ScmNodeKind = "numeric" | "categorical" | "latent";

/** One node of a declaration: its kind, and its parents when it has an equation. */
export interface ScmNodeDeclaration {
  name: string;
  kind: ScmNodeKind;
  /** Parents in the order written; empty for an exogenous node. */
  parents: string[];
  /** The declaration line (1-based) of the equation, or of the kind when there is none. */
  line?: number;
}

/** A parsed model: its nodes in topological order (parents before children). */
export interface ScmDeclaration {
  nodes: ScmNodeDeclaration[];
}

/** The JSON form of a declaration (`fairkit.scm`). */
export interface ScmDeclarationJSON {
  kind: "fairkit.scm";
  schema_version: 1;
  nodes: { name: string; kind?: ScmNodeKind; parents?: string[] }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const KINDS: readonly ScmNodeKind[] = ["numeric", "categorical", "latent"];

/**
 * Parses the text syntax (see the file header). Names not declared but used as parents are
 * exogenous nodes whose kind comes from the data when the model is fitted.
 *
 * @example
 * const law = parseScm("race: categorical\nsex: categorical\nLSAT <- race + sex\nUGPA <- race + sex");
 * law.nodes.map((n) => n.name); // ["race", "sex", "LSAT", "UGPA"]
 */
export function parseScm(text: string, what = "model"): ScmDeclaration {
  const kinds = new Map<string, { kind: ScmNodeKind; line: number }>();
  const equations = new Map<string, { parents: string[]; line: number }>();
  const order: string[] = [];
  const see = (name: string) => {
    if (!order.includes(name)) order.push(name);
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const body = raw.replace(/#.*$/, "").trim();
    if (body === "") return;
    const arrow = body.indexOf("<-");
    if (arrow >= 0) {
      const child = body.slice(0, arrow).trim();
      const rhs = body.slice(arrow + 2).trim();
      if (!NAME.test(child)) throw scmError(what, line, messages.scmBadName(child));
      if (rhs === "") throw scmError(what, line, messages.scmNoParents(child));
      const parents = rhs.split("+").map((p) => p.trim());
      for (const p of parents) if (!NAME.test(p)) throw scmError(what, line, messages.scmBadName(p));
      if (new Set(parents).size !== parents.length) throw scmError(what, line, messages.scmRepeatedParent(child));
      if (parents.includes(child)) throw scmError(what, line, messages.scmSelfParent(child));
      const before = equations.get(child);
      if (before) throw scmError(what, line, messages.scmTwoEquations(child, before.line));
      equations.set(child, { parents, line });
      see(child);
      for (const p of parents) see(p);
      return;
    }
    const colon = body.indexOf(":");
    if (colon < 0) throw scmError(what, line, messages.scmSyntax(body));
    const name = body.slice(0, colon).trim();
    const kind = body.slice(colon + 1).trim() as ScmNodeKind;
    if (!NAME.test(name)) throw scmError(what, line, messages.scmBadName(name));
    if (!KINDS.includes(kind)) throw scmError(what, line, messages.scmUnknownKind(kind, KINDS));
    const before = kinds.get(name);
    if (before) throw scmError(what, line, messages.scmTwoKinds(name, before.line));
    kinds.set(name, { kind, line });
    see(name);
  });
  return declare(
    order.map((name) => ({
      name,
      kind: kinds.get(name)?.kind ?? "numeric",
      kindGiven: kinds.has(name),
      parents: equations.get(name)?.parents ?? [],
      line: equations.get(name)?.line ?? kinds.get(name)?.line,
    })),
    what,
  );
}

/**
 * A declaration from its JSON form (`{ kind: "fairkit.scm", schema_version: 1, nodes: [...] }`),
 * checked as the text form is.
 * @example
 * scmFromJSON({ kind: "fairkit.scm", schema_version: 1, nodes: [{ name: "a", kind: "categorical" }, { name: "y", parents: ["a"] }] });
 */
export function scmFromJSON(json: unknown, what = "model"): ScmDeclaration {
  const doc = json as ScmDeclarationJSON;
  if (doc === null || typeof doc !== "object" || doc.kind !== "fairkit.scm" || !Array.isArray(doc.nodes))
    throw new FairkitError("BAD_ARGUMENT", messages.scmNotJson(what), { argument: what });
  const nodes = doc.nodes.map((n, i) => {
    if (typeof n?.name !== "string" || !NAME.test(n.name))
      throw new FairkitError("BAD_ARGUMENT", `${what}: nodes[${i}]: ${messages.scmBadName(String(n?.name))}`, {
        argument: what,
      });
    if (n.kind !== undefined && !KINDS.includes(n.kind))
      throw new FairkitError("BAD_ARGUMENT", `${what}: nodes[${i}]: ${messages.scmUnknownKind(n.kind, KINDS)}`, {
        argument: what,
      });
    return {
      name: n.name,
      kind: n.kind ?? "numeric",
      kindGiven: n.kind !== undefined,
      parents: [...(n.parents ?? [])],
    };
  });
  const named = new Set(nodes.map((n) => n.name));
  for (const n of [...nodes]) {
    for (const p of n.parents) {
      if (!named.has(p)) {
        named.add(p);
        nodes.push({ name: p, kind: "numeric", kindGiven: false, parents: [] });
      }
    }
  }
  return declare(nodes, what);
}

function scmError(what: string, line: number, message: string): FairkitError {
  return new FairkitError("BAD_ARGUMENT", `${what}, line ${line}: ${message}`, { argument: what, row: line });
}

function declare(
  nodes: (ScmNodeDeclaration & { kindGiven: boolean })[],
  what: string,
): ScmDeclaration & { kindGiven: ReadonlySet<string> } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes) {
    const at = (message: string) =>
      n.line === undefined
        ? new FairkitError("BAD_ARGUMENT", `${what}: ${message}`, { argument: what })
        : scmError(what, n.line, message);
    if (n.parents.length > 0 && n.kind === "latent") throw at(messages.scmLatentWithParents(n.name));
    if (n.parents.length > 0 && n.kind === "categorical") throw at(messages.scmCategoricalChild(n.name));
  }
  if (!nodes.some((n) => n.parents.length > 0))
    throw new FairkitError("BAD_ARGUMENT", `${what}: ${messages.scmNoEquations()}`, { argument: what });
  // Topological order by depth-first search; a node met again while on the stack closes a cycle.
  const state = new Map<string, 1 | 2>();
  const sorted: ScmNodeDeclaration[] = [];
  const visit = (name: string, stack: string[]) => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      throw new FairkitError("BAD_ARGUMENT", `${what}: ${messages.scmCycle(cycle)}`, { argument: what });
    }
    state.set(name, 1);
    const node = byName.get(name) as ScmNodeDeclaration;
    for (const p of node.parents) visit(p, [...stack, name]);
    state.set(name, 2);
    sorted.push({ name: node.name, kind: node.kind, parents: node.parents, line: node.line });
  };
  for (const n of nodes) visit(n.name, []);
  return { nodes: sorted, kindGiven: new Set(nodes.filter((n) => n.kindGiven).map((n) => n.name)) };
}

/** The declaration as its text syntax (what {@link parseScm} reads back to the same model). */
export function scmText(declaration: ScmDeclaration): string {
  const lines: string[] = [];
  for (const n of declaration.nodes) if (n.kind !== "numeric") lines.push(`${n.name}: ${n.kind}`);
  for (const n of declaration.nodes) if (n.parents.length > 0) lines.push(`${n.name} <- ${n.parents.join(" + ")}`);
  return `${lines.join("\n")}\n`;
}

/** A fitted equation: v = intercept + Σ coef·term + (Σ loading·latent) + U, U ~ N(0, sd²). */
export interface FittedEquation {
  node: string;
  parents: readonly string[];
  /** One name per term: a numeric parent's name, `parent=level` for a categorical one. */
  terms: string[];
  coef: number[];
  intercept: number;
  /** Loadings on latent parents, by name. */
  loadings: Record<string, number>;
  /** σ of the noise U (without the latent part). */
  sd: number;
  /** Share of the node's variance its observed parents explain. */
  rSquared: number;
}

/** Options of {@link fitScm}. */
export interface ScmFitOptions {
  /** Non-negative weight per row; omitted means 1 each. */
  sampleWeight?: ArrayLike<number>;
  /** Most EM iterations for latent roots; default 500. */
  maxIter?: number;
  /** EM stops when the log-likelihood per unit weight improves by less than this; default 1e-10. */
  tol?: number;
}

/** What is known of each observed node after fitting. */
interface NodeInfo {
  name: string;
  kind: ScmNodeKind;
  /** Levels of a categorical node, sorted; the first is the baseline. */
  levels?: string[];
  /** Each level's value as the fitted table held it (the number 2, not the text "2"), written back by counterfactuals. */
  raw?: Map<string, CellValue>;
}

/** The text of a categorical cell, the way levels are compared. */
export function cellLevel(v: CellValue): string {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v.trim() : String(v);
}

function numericColumn(table: Table, name: string): Float64Array {
  const values = table[name];
  if (values === undefined) throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(name), { argument: name });
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x =
      typeof v === "number"
        ? v
        : typeof v === "boolean"
          ? Number(v)
          : typeof v === "string" && v.trim() !== ""
            ? Number(v)
            : Number.NaN;
    if (!Number.isFinite(x))
      throw new FairkitError("BAD_ARGUMENT", messages.notNumeric(name, v, i), { argument: name, row: i });
    out[i] = x;
  }
  return out;
}

/**
 * A fitted structural causal model. Build it with {@link fitScm}; ask it for counterfactual tables,
 * abducted noises and the latent posterior.
 */
export class FittedScm {
  readonly declaration: ScmDeclaration;
  readonly equations: ReadonlyMap<string, FittedEquation>;
  readonly #nodes: ReadonlyMap<string, NodeInfo>;
  /** Rows the model was fitted on. */
  readonly rows: number;
  /** EM iterations used for the latent roots (0 without them). */
  readonly iterations: number;

  constructor(
    declaration: ScmDeclaration,
    nodes: ReadonlyMap<string, NodeInfo>,
    equations: ReadonlyMap<string, FittedEquation>,
    rows: number,
    iterations: number,
  ) {
    this.declaration = declaration;
    this.#nodes = nodes;
    this.equations = equations;
    this.rows = rows;
    this.iterations = iterations;
  }

  /** The kind of a node (an error naming the known nodes for an unknown one). */
  kind(name: string): ScmNodeKind {
    return this.#node(name).kind;
  }

  /** The levels of a categorical node, sorted; the first is the baseline of its indicators. */
  levels(name: string): readonly string[] {
    const node = this.#node(name);
    if (node.kind !== "categorical")
      throw new FairkitError("BAD_ARGUMENT", messages.scmNotCategorical(name), { argument: name });
    return node.levels as string[];
  }

  /** Observed nodes in topological order. */
  get observed(): string[] {
    return this.declaration.nodes.filter((n) => n.kind !== "latent").map((n) => n.name);
  }

  /** Children of a node. */
  children(name: string): string[] {
    return this.declaration.nodes.filter((n) => n.parents.includes(name)).map((n) => n.name);
  }

  /** Every node reachable from `name` along the arrows (not `name` itself). */
  descendants(name: string): Set<string> {
    const out = new Set<string>();
    const stack = [name];
    while (stack.length > 0) {
      const u = stack.pop() as string;
      for (const c of this.children(u)) {
        if (!out.has(c)) {
          out.add(c);
          stack.push(c);
        }
      }
    }
    return out;
  }

  #node(name: string): NodeInfo {
    const node = this.#nodes.get(name);
    if (!node)
      throw new FairkitError("BAD_ARGUMENT", messages.scmUnknownNode(name, [...this.#nodes.keys()]), {
        argument: name,
      });
    return node;
  }

  /** The observed-parent part of an equation, f_v(parents), for every row of `values`. */
  mean(node: string, values: ReadonlyMap<string, Float64Array | string[]>, rows: number): Float64Array {
    const eq = this.equations.get(node);
    if (!eq) throw new FairkitError("BAD_ARGUMENT", messages.scmNoEquation(node), { argument: node });
    const out = new Float64Array(rows).fill(eq.intercept);
    let t = 0;
    for (const p of eq.parents) {
      const info = this.#node(p);
      if (info.kind === "latent") continue;
      const column = values.get(p) as Float64Array | string[];
      if (info.kind === "numeric") {
        const c = eq.coef[t++];
        const x = column as Float64Array;
        for (let i = 0; i < rows; i++) out[i] += c * x[i];
      } else {
        const levels = info.levels as string[];
        const index = new Map(levels.map((l, k) => [l, k]));
        const text = column as string[];
        for (let i = 0; i < rows; i++) {
          const k = index.get(text[i]);
          if (k === undefined)
            throw new FairkitError("BAD_ARGUMENT", messages.scmUnknownLevel(p, text[i], levels, i), {
              argument: p,
              row: i,
            });
          if (k > 0) out[i] += eq.coef[t + k - 1];
        }
        t += levels.length - 1;
      }
    }
    return out;
  }

  /** The design matrix of `parents` on a table: numeric nodes as they are, categorical ones as indicators of each level but the first. */
  designOf(table: Table, parents: readonly string[]): { X: Matrix; terms: string[] } {
    for (const p of parents) {
      if (this.#node(p).kind === "latent")
        throw new FairkitError("BAD_ARGUMENT", messages.scmLatentFeature(p), { argument: p });
    }
    const { values, rows } = this.readColumns(table, parents);
    return design(parents, this.#nodes, values, rows);
  }

  /**
   * Observed nodes of a table as columns (`names`, default every observed node): numbers for numeric
   * nodes, level text for categorical ones.
   */
  readColumns(
    table: Table,
    names: readonly string[] = this.observed,
  ): { values: Map<string, Float64Array | string[]>; rows: number } {
    const values = new Map<string, Float64Array | string[]>();
    let rows = -1;
    for (const name of names) {
      const info = this.#node(name);
      const raw = table[name];
      if (raw === undefined) throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(name), { argument: name });
      if (rows < 0) rows = raw.length;
      else if (raw.length !== rows)
        throw new FairkitError("LENGTH_MISMATCH", messages.columnLengths(name, raw.length, names[0], rows), {
          argument: name,
        });
      values.set(name, info.kind === "numeric" ? numericColumn(table, name) : Array.from(raw, cellLevel));
    }
    return { values, rows: Math.max(rows, 0) };
  }

  /**
   * Abduction: the residual u_v = v − f_v(observed parents) of every observed endogenous node, per
   * row. These are what a counterfactual keeps fixed.
   * @example
   * scm.residuals(table).get("LSAT"); // Float64Array: LSAT minus what race and sex predict
   */
  residuals(table: Table, nodes?: readonly string[]): Map<string, Float64Array> {
    const endogenous = this.declaration.nodes.filter(
      (n) => n.parents.length > 0 && (nodes === undefined || nodes.includes(n.name)),
    );
    for (const n of nodes ?? []) {
      if (!endogenous.some((e) => e.name === n))
        throw new FairkitError("BAD_ARGUMENT", messages.scmNoEquation(n), { argument: n });
    }
    const needed = new Set<string>();
    for (const n of endogenous) {
      needed.add(n.name);
      for (const p of n.parents) if (this.#node(p).kind !== "latent") needed.add(p);
    }
    const { values, rows } = this.readColumns(
      table,
      this.observed.filter((n) => needed.has(n)),
    );
    const out = new Map<string, Float64Array>();
    for (const node of endogenous) {
      const mean = this.mean(node.name, values, rows);
      const x = values.get(node.name) as Float64Array;
      const u = new Float64Array(rows);
      for (let i = 0; i < rows; i++) u[i] = x[i] - mean[i];
      out.set(node.name, u);
    }
    return out;
  }

  /**
   * Abduction, action, prediction: the table as it would have been had `set` held (each named
   * column set to one value on every row). Descendants of the intervened nodes are recomputed
   * from their abducted residuals; every other column (also columns the model does not name) is
   * copied as it is. The result has the same columns and rows as `table`. A node whose column the
   * table lacks is left out, unless a node present needs it as a parent (an error). Categorical
   * values are written as the fitted table held them (a level coded 2 stays the number 2).
   *
   * @example
   * const cf = scm.counterfactual(law, { race: "White" });
   * cf.LSAT; // each student's LSAT had they been White, all else (their noise) equal
   */
  counterfactual(table: Table, set: Readonly<Record<string, CellValue>>): Record<string, ArrayLike<CellValue>> {
    const present = this.observed.filter((n) => table[n] !== undefined || set[n] !== undefined);
    for (const n of this.declaration.nodes) {
      if (!present.includes(n.name)) continue;
      for (const p of n.parents) {
        if (this.#node(p).kind !== "latent" && !present.includes(p))
          throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(p), { argument: p });
      }
    }
    const { values, rows } = this.readColumns(table, present);
    const residuals = this.residuals(
      table,
      this.declaration.nodes.filter((n) => n.parents.length > 0 && present.includes(n.name)).map((n) => n.name),
    );
    const changed = new Set<string>();
    const next = new Map(values);
    const written = new Map<string, CellValue[]>();
    for (const [name, value] of Object.entries(set)) {
      const info = this.#node(name);
      if (info.kind === "latent")
        throw new FairkitError("BAD_ARGUMENT", messages.scmSetLatent(name), { argument: name });
      if (info.kind === "categorical") {
        const level = cellLevel(value);
        if (!(info.levels as string[]).includes(level))
          throw new FairkitError("BAD_ARGUMENT", messages.scmUnknownLevel(name, level, info.levels as string[]), {
            argument: name,
          });
        next.set(name, new Array(rows).fill(level));
        written.set(name, new Array(rows).fill(info.raw?.get(level) ?? level));
      } else {
        const x = typeof value === "number" ? value : Number(value);
        if (!Number.isFinite(x))
          throw new FairkitError("BAD_ARGUMENT", messages.notFinite(name, value), { argument: name });
        next.set(name, new Float64Array(rows).fill(x));
      }
      changed.add(name);
    }
    for (const node of this.declaration.nodes) {
      if (node.parents.length === 0 || set[node.name] !== undefined || !present.includes(node.name)) continue;
      if (!node.parents.some((p) => changed.has(p))) continue;
      const mean = this.mean(node.name, next, rows);
      const u = residuals.get(node.name) as Float64Array;
      const x = new Float64Array(rows);
      for (let i = 0; i < rows; i++) x[i] = mean[i] + u[i];
      next.set(node.name, x);
      changed.add(node.name);
    }
    const out: Record<string, ArrayLike<CellValue>> = { ...table };
    for (const name of changed) {
      const v = next.get(name) as Float64Array | string[];
      out[name] = written.get(name) ?? (v instanceof Float64Array ? Array.from(v) : v);
    }
    return out;
  }

  /**
   * The posterior mean of the latent roots given the observed nodes of `using` (default: every
   * child of a latent), one column per latent. Gaussian and exact: precision I + Σ_c λ_c λ_cᵀ / σ_c²,
   * mean = posterior covariance · Σ_c λ_c u_c / σ_c², with u_c the abducted residuals.
   */
  latentPosterior(table: Table, using?: readonly string[]): Map<string, Float64Array> {
    const latents = this.declaration.nodes.filter((n) => n.kind === "latent").map((n) => n.name);
    if (latents.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.scmNoLatent(), { argument: "model" });
    const children = this.declaration.nodes.filter((n) => n.parents.some((p) => latents.includes(p)));
    const chosen = using === undefined ? children.map((c) => c.name) : [...using];
    for (const c of chosen) {
      if (!children.some((n) => n.name === c))
        throw new FairkitError("BAD_ARGUMENT", messages.scmNotLatentChild(c, latents), { argument: c });
    }
    const residuals = this.residuals(table, chosen);
    const rows = (residuals.values().next().value as Float64Array).length;
    const { precision, eqs } = latentPrecision(latents, chosen, this.equations);
    return posteriorMeans(latents, eqs, residuals, precision, rows);
  }
}

function latentPrecision(
  latents: readonly string[],
  chosen: readonly string[],
  equations: ReadonlyMap<string, FittedEquation>,
): { precision: Float64Array; eqs: FittedEquation[] } {
  const m = latents.length;
  const precision = new Float64Array(m * m);
  for (let a = 0; a < m; a++) precision[a * m + a] = 1;
  const eqs = chosen.map((c) => equations.get(c) as FittedEquation);
  for (const eq of eqs) {
    const s2 = eq.sd * eq.sd;
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++)
        precision[a * m + b] += ((eq.loadings[latents[a]] ?? 0) * (eq.loadings[latents[b]] ?? 0)) / s2;
  }
  return { precision, eqs };
}

function posteriorMeans(
  latents: readonly string[],
  eqs: readonly FittedEquation[],
  residuals: ReadonlyMap<string, Float64Array>,
  precision: Float64Array,
  rows: number,
): Map<string, Float64Array> {
  const m = latents.length;
  // Posterior covariance: the inverse of the precision, column by column.
  const cov = inverseSymmetric(precision, m);
  const out = new Map(latents.map((l) => [l, new Float64Array(rows)]));
  const gain = new Float64Array(m);
  for (const eq of eqs) {
    const u = residuals.get(eq.node) as Float64Array;
    const s2 = eq.sd * eq.sd;
    for (let a = 0; a < m; a++) {
      let g = 0;
      for (let b = 0; b < m; b++) g += cov[a * m + b] * (eq.loadings[latents[b]] ?? 0);
      gain[a] = g / s2;
    }
    for (let a = 0; a < m; a++) {
      const col = out.get(latents[a]) as Float64Array;
      const g = gain[a];
      if (g !== 0) for (let i = 0; i < rows; i++) col[i] += g * u[i];
    }
  }
  return out;
}

/** The design matrix of an equation's observed parents (numeric as is, categorical as indicators but the first). */
function design(
  parents: readonly string[],
  nodes: ReadonlyMap<string, NodeInfo>,
  values: ReadonlyMap<string, Float64Array | string[]>,
  rows: number,
): { X: Matrix; terms: string[] } {
  const terms: string[] = [];
  const columns: Float64Array[] = [];
  for (const p of parents) {
    const info = nodes.get(p) as NodeInfo;
    if (info.kind === "latent") continue;
    if (info.kind === "numeric") {
      terms.push(p);
      columns.push(values.get(p) as Float64Array);
    } else {
      const text = values.get(p) as string[];
      const levels = info.levels as string[];
      for (const level of levels.slice(1)) {
        terms.push(`${p}=${level}`);
        const c = new Float64Array(rows);
        for (let i = 0; i < rows; i++) if (text[i] === level) c[i] = 1;
        columns.push(c);
      }
    }
  }
  const d = columns.length;
  const data = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < rows; i++) data[i * d + j] = columns[j][i];
  return { X: { rows, cols: d, data }, terms };
}

/**
 * Fits every equation of a declaration on a table: ordinary (weighted) least squares for
 * equations with observed parents only; EM for the latent roots and their children together
 * (the latent ~ N(0, 1); each loading's sign is fixed so the first child's is positive).
 *
 * Exogenous nodes not declared categorical are numeric when every value parses as a number,
 * categorical otherwise: declare coded categories (sex 1/2) as `categorical`.
 *
 * @example
 * const scm = fitScm(parseScm("race: categorical\nLSAT <- race\nZFYA <- LSAT + race"), law);
 * scm.equations.get("LSAT")?.coef; // the race gaps in LSAT, one per level but the first
 */
export function fitScm(declaration: ScmDeclaration | string, table: Table, options: ScmFitOptions = {}): FittedScm {
  const decl = typeof declaration === "string" ? parseScm(declaration) : declaration;
  const given = (decl as { kindGiven?: ReadonlySet<string> }).kindGiven;
  const nodes = new Map<string, NodeInfo>();
  for (const n of decl.nodes) {
    let kind = n.kind;
    if (kind !== "latent") {
      const raw = table[n.name];
      if (raw === undefined)
        throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(n.name), { argument: n.name });
      if (n.parents.length === 0 && kind === "numeric" && !(given?.has(n.name) ?? false)) {
        for (let i = 0; i < raw.length; i++) {
          const v = raw[i];
          const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
          if (!Number.isFinite(x)) {
            kind = "categorical";
            break;
          }
        }
      }
    }
    const info: NodeInfo = { name: n.name, kind };
    if (kind === "categorical") {
      const raw = table[n.name];
      const levels = new Map<string, CellValue>();
      for (let i = 0; i < raw.length; i++) {
        const t = cellLevel(raw[i]);
        if (t === "")
          throw new FairkitError("BAD_ARGUMENT", messages.scmMissingLevel(n.name, i), { argument: n.name, row: i });
        if (!levels.has(t)) levels.set(t, raw[i]);
      }
      info.levels = [...levels.keys()].sort();
      info.raw = levels;
      if (info.levels.length < 2)
        throw new FairkitError("BAD_ARGUMENT", messages.singleLevelNode(n.name, info.levels[0]), { argument: n.name });
    }
    nodes.set(n.name, info);
  }
  const fitted = new FittedScm(
    { nodes: decl.nodes.map((n) => ({ ...n, kind: (nodes.get(n.name) as NodeInfo).kind })) },
    nodes,
    new Map(),
    0,
    0,
  );
  const { values, rows } = fitted.readColumns(table);
  if (rows === 0) throw new FairkitError("EMPTY_INPUT", messages.nothingToLearn("table"), { argument: "table" });
  const weights = rowWeights(options.sampleWeight, rows, "table");
  const latents = decl.nodes.filter((n) => nodes.get(n.name)?.kind === "latent").map((n) => n.name);
  const equations = new Map<string, FittedEquation>();
  const designs = new Map<string, { X: Matrix; terms: string[] }>();
  for (const n of decl.nodes) {
    if (n.parents.length === 0) continue;
    const d = design(n.parents, nodes, values, rows);
    designs.set(n.name, d);
    const lm = new LinearRegression().fit(d.X, values.get(n.name) as Float64Array, { sampleWeight: weights });
    equations.set(n.name, {
      node: n.name,
      parents: n.parents,
      terms: d.terms,
      coef: Array.from(lm.coef),
      intercept: lm.intercept,
      loadings: {},
      sd: lm.residualSd,
      rSquared: lm.rSquared,
    });
  }
  let iterations = 0;
  if (latents.length > 0) {
    const children = decl.nodes.filter((n) => n.parents.some((p) => latents.includes(p)));
    iterations = fitLatent(latents, children, equations, designs, values, weights, rows, options);
  }
  return new FittedScm(fitted.declaration, nodes, equations, rows, iterations);
}

/**
 * EM for latent roots: each child c = θ_c · [1, observed design] + λ_c · K + ε_c. The E-step is
 * the Gaussian posterior of K per row; the M-step solves each child's normal equations with
 * E[K] and E[KKᵀ] in place of K and KKᵀ. Returns the iterations used.
 */
function fitLatent(
  latents: readonly string[],
  children: readonly ScmNodeDeclaration[],
  equations: Map<string, FittedEquation>,
  designs: ReadonlyMap<string, { X: Matrix; terms: string[] }>,
  values: ReadonlyMap<string, Float64Array | string[]>,
  w: Float64Array,
  rows: number,
  options: ScmFitOptions,
): number {
  const m = latents.length;
  const maxIter = options.maxIter ?? 500;
  const tol = options.tol ?? 1e-10;
  let total = 0;
  for (let i = 0; i < rows; i++) total += w[i];
  // Start: loadings at half the residual SD, noise at the rest of the variance.
  for (const c of children) {
    const eq = equations.get(c.name) as FittedEquation;
    for (const l of c.parents.filter((p) => latents.includes(p))) eq.loadings[l] = eq.sd * Math.sqrt(0.5);
    eq.sd *= Math.sqrt(0.5);
  }
  let previous = Number.NEGATIVE_INFINITY;
  let iter = 0;
  const names = children.map((c) => c.name);
  for (iter = 1; iter <= maxIter; iter++) {
    // E-step: posterior mean per row and the (shared) posterior covariance.
    const residuals = new Map<string, Float64Array>();
    let loglik = 0;
    for (const c of children) {
      const eq = equations.get(c.name) as FittedEquation;
      const { X } = designs.get(c.name) as { X: Matrix };
      const x = values.get(c.name) as Float64Array;
      const u = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        let s = eq.intercept;
        for (let j = 0; j < X.cols; j++) s += eq.coef[j] * X.data[i * X.cols + j];
        u[i] = x[i] - s;
      }
      residuals.set(c.name, u);
    }
    const { precision, eqs } = latentPrecision(latents, names, equations);
    const means = posteriorMeans(latents, eqs, residuals, precision, rows);
    const cov = inverseSymmetric(precision, m);
    // Marginal log-likelihood of the residuals (for the stopping rule): −½ Σ [log|Σ| + uᵀ Σ⁻¹ u] up to a constant,
    // with Σ = ΛΛᵀ + Ψ; by the matrix determinant lemma log|Σ| = log|I + ΛᵀΨ⁻¹Λ| + Σ log ψ_c, and
    // uᵀΣ⁻¹u = Σ u_c²/ψ_c − mᵀ P m with m the posterior mean and P the posterior precision.
    let logdet = logDeterminantSymmetric(precision, m);
    for (const eq of eqs) logdet += Math.log(eq.sd * eq.sd);
    for (let i = 0; i < rows; i++) {
      let q = 0;
      for (const eq of eqs) q += (residuals.get(eq.node) as Float64Array)[i] ** 2 / (eq.sd * eq.sd);
      for (let a = 0; a < m; a++)
        for (let b = 0; b < m; b++)
          q -=
            (means.get(latents[a]) as Float64Array)[i] *
            precision[a * m + b] *
            (means.get(latents[b]) as Float64Array)[i];
      loglik += w[i] * (-0.5 * (logdet + q));
    }
    loglik /= total;
    if (Math.abs(loglik - previous) < tol) break;
    previous = loglik;
    // M-step, child by child: regress x_c on [1, observed design, latent parents] with expected moments.
    for (const c of children) {
      const eq = equations.get(c.name) as FittedEquation;
      const { X } = designs.get(c.name) as { X: Matrix };
      const x = values.get(c.name) as Float64Array;
      const lat = c.parents.filter((p) => latents.includes(p));
      const li = lat.map((l) => latents.indexOf(l));
      const d = 1 + X.cols + lat.length;
      const a = new Float64Array(d * d);
      const b = new Float64Array(d);
      const z = new Float64Array(d);
      for (let i = 0; i < rows; i++) {
        const wi = w[i];
        if (wi === 0) continue;
        z[0] = 1;
        for (let j = 0; j < X.cols; j++) z[1 + j] = X.data[i * X.cols + j];
        for (let k = 0; k < lat.length; k++) z[1 + X.cols + k] = (means.get(lat[k]) as Float64Array)[i];
        for (let j = 0; j < d; j++) {
          b[j] += wi * z[j] * x[i];
          for (let k = 0; k <= j; k++) a[j * d + k] += wi * z[j] * z[k];
        }
      }
      for (let k = 0; k < lat.length; k++)
        for (let l = 0; l <= k; l++) a[(1 + X.cols + k) * d + (1 + X.cols + l)] += total * cov[li[k] * m + li[l]];
      const theta = solveSymmetric(a, d, b);
      eq.intercept = theta[0];
      for (let j = 0; j < X.cols; j++) eq.coef[j] = theta[1 + j];
      lat.forEach((l, k) => {
        eq.loadings[l] = theta[1 + X.cols + k];
      });
      // σ² = E[(x − θ·z)²] = (x − θ·E z)² + λᵀ Cov λ.
      let ss = 0;
      for (let i = 0; i < rows; i++) {
        let s = theta[0];
        for (let j = 0; j < X.cols; j++) s += theta[1 + j] * X.data[i * X.cols + j];
        for (let k = 0; k < lat.length; k++) s += theta[1 + X.cols + k] * (means.get(lat[k]) as Float64Array)[i];
        ss += w[i] * (x[i] - s) ** 2;
      }
      let extra = 0;
      for (let k = 0; k < lat.length; k++)
        for (let l = 0; l < lat.length; l++)
          extra += theta[1 + X.cols + k] * cov[li[k] * m + li[l]] * theta[1 + X.cols + l];
      eq.sd = Math.sqrt(Math.max(ss / total + extra, 1e-12));
    }
  }
  // Each latent's sign is arbitrary: make its first child's loading positive.
  for (const l of latents) {
    const first = children.find((c) => c.parents.includes(l));
    const flip = first && ((equations.get(first.name) as FittedEquation).loadings[l] ?? 0) < 0;
    if (flip)
      for (const c of children) {
        const eq = equations.get(c.name) as FittedEquation;
        if (eq.loadings[l] !== undefined) eq.loadings[l] = -eq.loadings[l];
      }
  }
  // R² of the observed parents alone, on the fitted rows.
  for (const c of children) {
    const eq = equations.get(c.name) as FittedEquation;
    const { X } = designs.get(c.name) as { X: Matrix };
    const x = values.get(c.name) as Float64Array;
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += w[i] * x[i];
    mean /= total;
    let ssr = 0;
    let sst = 0;
    for (let i = 0; i < rows; i++) {
      let s = eq.intercept;
      for (let j = 0; j < X.cols; j++) s += eq.coef[j] * X.data[i * X.cols + j];
      ssr += w[i] * (x[i] - s) ** 2;
      sst += w[i] * (x[i] - mean) ** 2;
    }
    eq.rSquared = sst > 0 ? 1 - ssr / sst : Number.NaN;
  }
  return Math.min(iter, maxIter);
}
