/**
 * Alert rules: a small declarative list (a YAML or JSON file, `fairkit.monitor_rules`) of what to
 * watch, how far it may go, on how many rows, and for how long, checked here against the monitor
 * document's windows. A rule breaches a window only when the interval clears the tolerance
 * (criteria and changes from the reference), never on a point value alone; drift measures, which
 * have no interval, breach on their value. A rule fires in a window when at least `k` of the last
 * `m` windows (this one included) breach.
 *
 * Every rule's problem is named by the file and the rule (its name, else its number). Browser-safe.
 */
import { CRITERIA, type CriterionSummaryName } from "../core/criteria.js";
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import type { Level } from "../core/groups.js";
import { METRICS } from "../core/metrics.js";
import type { MonitorGroup, MonitorResult, MonitorWindow } from "./monitor-result.js";

/** Drift measures of a group's score distribution (no interval: they breach on their value). */
export const DRIFT_MEASURES = ["psi", "js", "ks"] as const;

/** Every criterion's summary name. */
const CRITERION_MEASURES: readonly string[] = Object.keys(CRITERIA).flatMap((c) => [`${c}_difference`, `${c}_ratio`]);
/** Changes from the reference: the group's share, and every proportion metric. */
const CHANGE_MEASURES: readonly string[] = [
  "share",
  ...Object.values(METRICS)
    .filter((m) => m.kind === "proportion")
    .map((m) => m.name),
];

/** Every measure a rule can watch. */
export const RULE_MEASURES: readonly string[] = Object.freeze([
  ...CRITERION_MEASURES,
  ...CHANGE_MEASURES,
  ...DRIFT_MEASURES,
]);

/** One rule, with its defaults filled in. */
export interface AlertRule {
  name: string;
  /** A criterion (`demographic_parity_ratio`), a change from the reference (`share`, `selection_rate`, `base_rate`, …) or a drift measure (`psi`, `js`, `ks`). */
  measure: string;
  /**
   * A difference criterion breaches when its interval lies above the tolerance, a ratio when it
   * lies below; a change when its interval lies wholly beyond ± the tolerance; a drift measure when
   * its value exceeds it.
   */
  tolerance: number;
  /** The fewest rows the numbers rest on (each group's, for group measures; the labelled rows for label-based ones). Default 30. */
  min_count: number;
  /** Fires when `k` of the last `m` windows breach. Default 1 of 1. */
  persistence: { k: number; m: number };
}

/** One alert: a rule firing in a window (for a group, for group measures). */
export interface AlertEvent {
  rule: string;
  measure: string;
  /** The window's start (ISO 8601). */
  window: string;
  group: (Level | null)[] | null;
  label: string | null;
  value: number | null;
  interval: [number | null, number | null] | null;
  tolerance: number;
  /** Breaching windows among the last `of`. */
  breaches: number;
  of: number;
  /** True in the first window of a run of firing windows. */
  new: boolean;
}

const RULE_KEYS = ["name", "measure", "tolerance", "min_count", "persistence"];

/**
 * Reads a rules document (already parsed from YAML or JSON): `{ rules: [...] }`, optionally with
 * `kind: fairkit.monitor_rules` and `schema_version: 1`. `what` names it in messages (the file).
 *
 * @example
 * parseRules({ rules: [{ measure: "demographic_parity_ratio", tolerance: 0.8, persistence: { k: 2, m: 3 } }] }, "rules.yaml");
 */
export function parseRules(doc: unknown, what: string): AlertRule[] {
  const fail = (message: string): never => {
    throw new FairkitError("BAD_FILE", message, { file: what, argument: "rules" });
  };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) fail(messages.rulesNotObject(what));
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top))
    if (!["kind", "schema_version", "rules"].includes(key)) fail(messages.rulesUnknownKey(what, key));
  if (top.kind !== undefined && top.kind !== "fairkit.monitor_rules") fail(messages.rulesKind(what, top.kind));
  if (top.schema_version !== undefined && top.schema_version !== 1)
    fail(messages.rulesVersion(what, top.schema_version));
  if (!Array.isArray(top.rules) || top.rules.length === 0) fail(messages.rulesMissing(what));
  const names = new Set<string>();
  return (top.rules as unknown[]).map((raw, i) => {
    const place = (name?: unknown) =>
      typeof name === "string" && name !== "" ? `rule ${JSON.stringify(name)}` : `rule ${i + 1}`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw))
      return fail(messages.ruleProblem(what, place(), "is not a mapping"));
    const r = raw as Record<string, unknown>;
    const at = place(r.name);
    const bad = (problem: string): never => fail(messages.ruleProblem(what, at, problem));
    for (const key of Object.keys(r))
      if (!RULE_KEYS.includes(key)) bad(`unknown key ${JSON.stringify(key)}; known: ${RULE_KEYS.join(", ")}`);
    if (r.name !== undefined && (typeof r.name !== "string" || r.name === "")) bad("name must be a non-empty text");
    if (typeof r.measure !== "string") bad(`needs a measure, one of ${RULE_MEASURES.join(", ")}`);
    const measure = r.measure as string;
    if (!RULE_MEASURES.includes(measure))
      bad(`unknown measure ${JSON.stringify(measure)}; known: ${RULE_MEASURES.join(", ")}`);
    if (typeof r.tolerance !== "number" || !Number.isFinite(r.tolerance) || r.tolerance < 0)
      bad(`tolerance must be a number >= 0; got ${JSON.stringify(r.tolerance)}`);
    const minCount = r.min_count ?? DEFAULTS.minGroupSize;
    if (typeof minCount !== "number" || !Number.isInteger(minCount) || minCount < 1)
      bad(`min_count must be a whole number >= 1; got ${JSON.stringify(r.min_count)}`);
    const p = (r.persistence ?? { k: 1, m: 1 }) as Record<string, unknown>;
    if (typeof p !== "object" || p === null || Array.isArray(p) || Object.keys(p).some((k) => k !== "k" && k !== "m"))
      bad("persistence must be { k: N, m: N } (k breaching windows of the last m)");
    const { k, m } = p as { k: unknown; m: unknown };
    if (!(Number.isInteger(k) && Number.isInteger(m) && (k as number) >= 1 && (k as number) <= (m as number)))
      bad(`persistence needs whole numbers 1 <= k <= m; got k ${JSON.stringify(k)}, m ${JSON.stringify(m)}`);
    const name = (r.name as string | undefined) ?? `${measure}#${i + 1}`;
    if (names.has(name)) bad("the name is used by an earlier rule");
    names.add(name);
    return {
      name,
      measure,
      tolerance: r.tolerance as number,
      min_count: minCount as number,
      persistence: { k: k as number, m: m as number },
    };
  });
}

type Pair = [number | null, number | null];
interface Observation {
  value: number | null;
  interval: Pair | null;
  breach: boolean;
}

const isCriterion = (m: string) => CRITERION_MEASURES.includes(m);
const isDrift = (m: string) => (DRIFT_MEASURES as readonly string[]).includes(m);
const labelBased = (m: string) => m !== "share" && m !== "selection_rate" && !isDrift(m);

function criterionObservation(w: MonitorWindow, rule: AlertRule): Observation {
  const c = w.criteria[rule.measure as CriterionSummaryName];
  const rows = c.rows === "all" ? w.rows : w.labelled_rows;
  const [lo, hi] = c.interval ?? [null, null];
  const clears = rule.measure.endsWith("_ratio")
    ? hi !== null && hi < rule.tolerance
    : lo !== null && lo > rule.tolerance;
  return { value: c.value, interval: c.interval, breach: rows >= rule.min_count && clears };
}

function groupObservation(g: MonitorGroup, reference: MonitorGroup | undefined, rule: AlertRule): Observation {
  const rows = labelBased(rule.measure) ? g.labelled_n : g.n;
  const refRows = reference ? (labelBased(rule.measure) ? reference.labelled_n : reference.n) : 0;
  // A group that vanished (share 0) still counts its reference rows: its absence is the finding.
  const enough = (rule.measure === "share" ? Math.max(rows, refRows) : Math.min(rows, refRows)) >= rule.min_count;
  if (isDrift(rule.measure)) {
    const value = g.drift?.[rule.measure as "psi"] ?? null;
    return { value, interval: null, breach: enough && value !== null && value > rule.tolerance };
  }
  const c = g.changes?.[rule.measure];
  const [lo, hi] = c?.interval ?? [null, null];
  const clears = (lo !== null && lo > rule.tolerance) || (hi !== null && hi < -rule.tolerance);
  return { value: c?.value ?? null, interval: c?.interval ?? null, breach: enough && clears };
}

/** The alerts of each rule over the document's windows, in window order. */
export function evaluateRules(result: MonitorResult, rules: readonly AlertRule[]): AlertEvent[] {
  const events: AlertEvent[] = [];
  for (const rule of rules) {
    // One series per criterion, or per group for group measures.
    const series = new Map<string, { group: MonitorGroup | null; obs: (Observation | undefined)[] }>();
    result.windows.forEach((w, t) => {
      if (isCriterion(rule.measure)) {
        const s = series.get("") ?? { group: null, obs: [] };
        s.obs[t] = criterionObservation(w, rule);
        series.set("", s);
        return;
      }
      for (const g of w.groups) {
        const s = series.get(g.label) ?? { group: g, obs: [] };
        s.obs[t] = groupObservation(
          g,
          result.reference.groups.find((r) => r.label === g.label),
          rule,
        );
        series.set(g.label, s);
      }
    });
    for (const { group, obs } of series.values()) {
      let firing = false;
      result.windows.forEach((w, t) => {
        const o = obs[t];
        let breaches = 0;
        for (let j = Math.max(0, t - rule.persistence.m + 1); j <= t; j++) if (obs[j]?.breach) breaches++;
        const fires = o?.breach === true && breaches >= rule.persistence.k;
        if (fires) {
          events.push({
            rule: rule.name,
            measure: rule.measure,
            window: w.start,
            group: group ? group.group : null,
            label: group ? group.label : null,
            value: o.value,
            interval: o.interval,
            tolerance: rule.tolerance,
            breaches,
            of: rule.persistence.m,
            new: !firing,
          });
        }
        firing = fires;
      });
    }
  }
  return events.sort((a, b) => (a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
}
