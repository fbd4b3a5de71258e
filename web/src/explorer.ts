/**
 * The threshold explorer: one model, two groups from the seeded demo generator; slide the
 * threshold and watch each fairness criterion move.
 */
import {
  CRITERION_NAMES,
  DEFAULTS,
  type DecisionMeaning,
  criterionFromCounts,
  demoData,
  thresholdRule,
} from "../../src/internal.js";
import { type LiveChart, calibrationChart, criteriaSweepChart, distributionChart, rocChart } from "./charts.js";
import { impossibilityParagraph } from "./criteria-text.js";
import {
  type CriterionStatus,
  LiveEngine,
  type Rule,
  criteriaStatus,
  isPlainThreshold,
  metricOf,
  representativeThreshold,
} from "./engine.js";
import { byId, fmt } from "./format.js";
import { criteriaPanel, describeRule, ratesPanel } from "./panels.js";
import { PRESETS, type PresetName, presetRules } from "./presets.js";

interface DemoSettings {
  seed: number;
  sizeA: number;
  sizeB: number;
  baseA: number;
  baseB: number;
  sepA: number;
  sepB: number;
}

const settingIds: (keyof DemoSettings)[] = ["seed", "sizeA", "sizeB", "baseA", "baseB", "sepA", "sepB"];

const state = {
  engine: undefined as LiveEngine | undefined,
  rules: [] as Rule[],
  perGroup: false,
  tolerance: DEFAULTS.maxDifference as number,
  preset: null as PresetName | null,
  positiveDecision: "favourable" as DecisionMeaning,
};

let charts: LiveChart[] = [];
let updateRates: ReturnType<typeof ratesPanel> = () => {};
let updateCriteria: ReturnType<typeof criteriaPanel> = () => {};

function readSettings(): DemoSettings {
  const out = {} as DemoSettings;
  for (const id of settingIds) out[id] = Number(byId<HTMLInputElement>(id).value);
  return out;
}

function chartWidth(el: HTMLElement): number {
  return Math.max(280, Math.min(640, el.clientWidth || 320));
}

function slider(id: string): HTMLInputElement {
  return byId<HTMLInputElement>(id);
}

/** The typed demo settings' limits (the sliders cannot leave theirs). */
const NUMBER_LIMITS: Readonly<Record<string, { label: string; min: number; max: number; integer: boolean }>> = {
  sizeA: { label: "size A", min: 10, max: 1_000_000, integer: true },
  sizeB: { label: "size B", min: 10, max: 1_000_000, integer: true },
  seed: { label: "seed", min: 0, max: 2 ** 31 - 1, integer: true },
  tolerance: { label: "the tolerance", min: 0, max: 1, integer: false },
};

/** What is wrong with a typed setting, or undefined when it is valid. */
function settingProblem(id: string): string | undefined {
  const limits = NUMBER_LIMITS[id];
  const text = byId<HTMLInputElement>(id).value.trim();
  const value = Number(text);
  const range = `${limits.min.toLocaleString("en-US")} to ${limits.max.toLocaleString("en-US")}`;
  if (text === "")
    return `${limits.label} is empty: give ${limits.integer ? "a whole number" : "a number"} from ${range}`;
  if (!Number.isFinite(value)) return `${limits.label} must be a number from ${range}; got ${JSON.stringify(text)}`;
  if (limits.integer && !Number.isInteger(value)) return `${limits.label} must be a whole number; got ${text}`;
  if (value < limits.min || value > limits.max) return `${limits.label} must be from ${range}; got ${text}`;
  return undefined;
}

/**
 * Checks the typed settings in place: each bad one is marked (aria-invalid) and its message shown
 * beside its section, and nothing is recomputed, so no number on the page comes from a bad
 * setting; the page says its numbers are those of the last valid settings. True when all are valid.
 */
function settingsValid(): boolean {
  const problems: Record<string, string[]> = { "demo-error": [], "tolerance-error": [] };
  for (const id of Object.keys(NUMBER_LIMITS)) {
    const problem = settingProblem(id);
    const input = byId<HTMLInputElement>(id);
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    if (problem) problems[id === "tolerance" ? "tolerance-error" : "demo-error"].push(problem);
  }
  const valid = Object.values(problems).every((p) => p.length === 0);
  for (const [id, list] of Object.entries(problems))
    byId(id).textContent =
      list.length === 0 ? "" : `${list.join("; ")}. The numbers shown are for the last valid settings.`;
  document.body.dataset.stale = valid ? "false" : "true";
  return valid;
}

/** Rebuilds the engine and the data-dependent charts (on any demo setting change). */
function rebuild(): void {
  if (!settingsValid()) return;
  state.tolerance = Number(byId<HTMLInputElement>("tolerance").value);
  const s = readSettings();
  for (const id of settingIds) {
    const out = document.querySelector(`output[for="${id}"]`);
    if (out) out.textContent = String(s[id]);
  }
  const demo = demoData({
    seed: s.seed,
    groups: [
      { name: "A", size: s.sizeA, baseRate: s.baseA, separation: s.sepA },
      { name: "B", size: s.sizeB, baseRate: s.baseB, separation: s.sepB },
    ],
  });
  const engine = new LiveEngine({
    score: demo.score,
    yTrue: demo.yTrue,
    codes: demo.group.codes,
    groups: demo.groupNames.map((key) => ({ key, values: { group: key } })),
    columns: ["group"],
  });
  state.engine = engine;
  updateRates = ratesPanel(byId("rates"), engine.groups);
  updateCriteria = criteriaPanel(byId("criteria"), [...CRITERION_NAMES, "calibration"], state.positiveDecision);
  const dist = byId("distributions");
  dist.replaceChildren();
  const distCharts = engine.groups.map((_, g) => distributionChart(engine, g, chartWidth(dist)));
  for (const c of distCharts) dist.append(c.node);
  const sweepHost = byId("sweep");
  const sweep = criteriaSweepChart(
    engine,
    [
      {
        name: "demographic_parity",
        label: "demographic parity",
        at: (r) => criterionFromCounts(engine.table(r), "demographic_parity", "difference"),
      },
      {
        name: "equal_opportunity",
        label: "equal opportunity",
        at: (r) => criterionFromCounts(engine.table(r), "equal_opportunity", "difference"),
      },
      {
        name: "equalized_odds",
        label: "equalised odds",
        at: (r) => criterionFromCounts(engine.table(r), "equalized_odds", "difference"),
      },
      {
        name: "predictive_parity",
        label: "predictive parity",
        at: (r) => criterionFromCounts(engine.table(r), "predictive_parity", "difference"),
      },
    ],
    chartWidth(sweepHost),
    state.tolerance,
  );
  sweepHost.replaceChildren(sweep.node);
  const rocHost = byId("roc");
  const roc = rocChart(engine, chartWidth(rocHost));
  rocHost.replaceChildren(roc.node);
  const calHost = byId("calibration");
  const cal = engine.calibration();
  calHost.replaceChildren(
    cal ? calibrationChart(cal, chartWidth(calHost)) : document.createTextNode("Scores are not probabilities."),
  );
  charts = [...distCharts, sweep, roc];
  if (state.preset && state.preset !== null) applyPreset(state.preset);
  else readRulesFromSliders();
}

function readRulesFromSliders(): void {
  const t = Number(slider("tau").value);
  const ta = Number(slider("tauA").value);
  const tb = Number(slider("tauB").value);
  state.rules = state.perGroup ? [thresholdRule(ta), thresholdRule(tb)] : [thresholdRule(t), thresholdRule(t)];
  update();
}

/** Recomputes every live number and moves every live mark: O(groups · log n). */
function update(): void {
  const engine = state.engine;
  if (!engine) return;
  const table = engine.table(state.rules);
  updateRates(table);
  const status: CriterionStatus[] = criteriaStatus(table, engine.calibration(), state.tolerance);
  updateCriteria(status, state.tolerance);
  for (const c of charts) c.update(state.rules);
  byId("rule-A").textContent = describeRule(state.rules[0]);
  byId("rule-B").textContent = describeRule(state.rules[1]);
  const acc = byId("accuracy");
  const overall = engine.groups.map((_, g) => metricOf(table, g, "accuracy"));
  acc.textContent = overall.map((v, g) => `${engine.groups[g].key} ${fmt(v)}`).join(" · ");
  const baseRates = engine.groups.map((info, g) => ({ key: info.key, value: metricOf(table, g, "base_rate") }));
  byId("impossibility").textContent = impossibilityParagraph(baseRates, status);
  for (const id of ["tau", "tauA", "tauB"]) {
    const out = document.querySelector(`output[for="${id}"]`);
    if (out) out.textContent = fmt(Number(slider(id).value), 2);
  }
}

function setPerGroup(on: boolean): void {
  state.perGroup = on;
  byId("single-controls").hidden = on;
  byId("group-controls").hidden = !on;
  byId<HTMLInputElement>("per-group").checked = on;
}

function applyPreset(name: PresetName): void {
  const engine = state.engine;
  if (!engine) return;
  const status = byId("preset-status");
  try {
    const rules = presetRules(engine, name);
    state.preset = name;
    state.rules = rules;
    const shared = rules.every((r) => isPlainThreshold(r) && r.cuts[0] === rules[0].cuts[0]);
    setPerGroup(!shared);
    const clamp = (t: number) => String(Math.min(1, Math.max(0, t)));
    if (shared) slider("tau").value = clamp(rules[0].cuts[0]);
    rules.forEach((r, g) => {
      slider(g === 0 ? "tauA" : "tauB").value = clamp(representativeThreshold(r));
    });
    const randomised = rules.some((r) => r.probabilities.some((q) => q > 0 && q < 1));
    status.textContent = `${PRESETS.find((p) => p.name === name)!.label}: ${PRESETS.find((p) => p.name === name)!.promise}.${randomised ? " Randomised: some people get a coin-flip between two thresholds; the numbers are exact expectations." : ""}`;
    for (const b of document.querySelectorAll<HTMLButtonElement>("[data-preset]"))
      b.setAttribute("aria-pressed", String(b.dataset.preset === name));
    update();
  } catch (e) {
    status.textContent = (e as Error).message;
  }
}

function clearPreset(): void {
  state.preset = null;
  byId("preset-status").textContent = "";
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-preset]"))
    b.setAttribute("aria-pressed", "false");
}

function init(): void {
  const presetHost = byId("presets");
  presetHost.innerHTML = PRESETS.map(
    (p) =>
      `<button type="button" data-preset="${p.name}" aria-pressed="false" title="${p.promise}">${p.label}</button>`,
  ).join("");
  for (const b of presetHost.querySelectorAll<HTMLButtonElement>("button"))
    b.addEventListener("click", () => applyPreset(b.dataset.preset as PresetName));
  for (const id of ["tau", "tauA", "tauB"]) {
    slider(id).addEventListener("input", () => {
      clearPreset();
      readRulesFromSliders();
    });
  }
  byId<HTMLInputElement>("per-group").addEventListener("change", (e) => {
    clearPreset();
    setPerGroup((e.target as HTMLInputElement).checked);
    if (state.perGroup) {
      slider("tauA").value = slider("tau").value;
      slider("tauB").value = slider("tau").value;
    }
    readRulesFromSliders();
  });
  byId<HTMLInputElement>("tolerance").value = String(state.tolerance);
  byId<HTMLInputElement>("tolerance").addEventListener("input", () => rebuild());
  byId<HTMLSelectElement>("positive-decision").addEventListener("change", (e) => {
    state.positiveDecision = (e.target as HTMLSelectElement).value as DecisionMeaning;
    rebuild();
  });
  let pending = 0;
  for (const id of settingIds) {
    byId(id).addEventListener("input", () => {
      clearTimeout(pending);
      pending = window.setTimeout(rebuild, 120);
    });
  }
  setPerGroup(false);
  rebuild();
  let lastWidth = window.innerWidth;
  window.addEventListener("resize", () => {
    if (Math.abs(window.innerWidth - lastWidth) < 40) return;
    lastWidth = window.innerWidth;
    rebuild();
  });
  document.body.dataset.ready = "true";
}

/** Hooks for the end-to-end tests and the benchmark (read-only use of the page's state). */
declare global {
  interface Window {
    fairkitExplorer: {
      state: typeof state;
      update: () => void;
      rebuild: () => void;
      applyPreset: (name: PresetName) => void;
    };
  }
}
window.fairkitExplorer = { state, update, rebuild, applyPreset };

init();
