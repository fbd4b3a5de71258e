/**
 * The audit dashboard: a dropped file (or the demo) audited in the page. Reading happens in a
 * worker; every number comes from the engine, and the table and the JSON export are the CLI's
 * audit result, built by the same function. A regression or multiclass audit (the "model
 * outputs" choice) is task-audit.ts's, on the same loaded columns.
 */
import {
  type AuditInput,
  type AuditResult,
  CRITERION_NAMES,
  type CategoricalColumn,
  type DecisionMeaning,
  DEFAULT_AUDIT_METRICS,
  type FairkitWarning,
  type ImpossibilityReport,
  MetricFrame,
  buildAuditResult,
  demoData,
  groupId,
  metricShort,
  naturalBit,
  encodeGroups,
  selectGroups,
  thresholdRule,
  toBinary,
  toScores,
  toWeights,
} from "../../src/internal.js";
import { type LiveChart, calibrationChart, groupColour, rocChart } from "./charts.js";
import { CRITERION_LABELS } from "./criteria-text.js";
import {
  type Dataset,
  LiveEngine,
  type Rule,
  criteriaStatus,
  isPlainThreshold,
  representativeThreshold,
} from "./engine.js";
import { sensitiveColumn, sortedLevels, textValues } from "./columns.js";
import { type TaskAudit, showTaskAudit, taskAudit } from "./task-audit.js";
import { byId, capitalise, escapeHtml, fmt, setNumber } from "./format.js";
import { criteriaPanel, describeRule } from "./panels.js";
import { PRESETS, type PresetName, presetRules } from "./presets.js";
import type { ImpossibilityRequest } from "./impossibility-worker.js";
import type { LoadedColumn, LoadedTable, WorkerMessage } from "./table-data.js";

interface Config {
  label: string;
  labelPos: string;
  mode: "score" | "decision";
  score: string;
  threshold: number;
  decision: string;
  decisionPos: string;
  sensitive: string[];
  weight: string;
  minGroupSize: number;
  positiveDecision: DecisionMeaning;
}

const state = {
  table: null as LoadedTable | null,
  source: "",
  format: null as string | null,
  config: null as Config | null,
  engine: null as LiveEngine | null,
  rules: [] as Rule[],
  result: null as AuditResult | null,
  loadMs: 0,
  /** Extra warnings from reading (e.g. per-group thresholds). */
  notes: [] as FairkitWarning[],
  /** The regression or multiclass audit, when that is the task. */
  taskDoc: null as TaskAudit | null,
};

let charts: LiveChart[] = [];
let updateCriteria: ReturnType<typeof criteriaPanel> = () => {};
let sliderEls: { input: HTMLInputElement; out: HTMLOutputElement }[] = [];
/** Sensitive columns in the order they were ticked: the order of the group keys ("race, sex"). */
let sensitiveOrder: string[] = [];

// ---------------------------------------------------------------- loading

function column(name: string): LoadedColumn {
  const c = state.table?.columns.find((x) => x.name === name);
  if (!c) throw new Error(`column ${JSON.stringify(name)} is not in the file`);
  return c;
}

/** True when every value reads as 0/1 or true/false (the CLI's rule): no positive value needs choosing. */
function isNaturalBinary(c: LoadedColumn): boolean {
  if (c.levels) return c.levels.every((v) => naturalBit(v) !== undefined);
  if (!c.numeric) return false;
  for (let i = 0; i < c.numbers.length; i++) {
    const v = c.numbers[i];
    if (v !== 0 && v !== 1 && !Number.isNaN(v)) return false;
  }
  return true;
}

function options(select: HTMLSelectElement, values: string[], selected?: string, blank?: string): void {
  select.innerHTML =
    (blank !== undefined ? `<option value="">${escapeHtml(blank)}</option>` : "") +
    values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`).join("");
  if (selected !== undefined && (values.includes(selected) || selected === "")) select.value = selected;
}

function guess(names: string[], patterns: RegExp[], fallback = ""): string {
  for (const p of patterns) {
    const hit = names.find((n) => p.test(n));
    if (hit) return hit;
  }
  return fallback;
}

function showTable(table: LoadedTable, source: string, format: string | null): void {
  state.table = table;
  state.source = source;
  state.format = format;
  const names = table.columns.map((c) => c.name);
  const numeric = table.columns.filter((c) => c.numeric).map((c) => c.name);
  const categorical = table.columns
    .filter((c) => c.levels !== null && c.levels.length >= 1 && c.levels.length <= 200)
    .map((c) => c.name);
  options(
    byId<HTMLSelectElement>("label-col"),
    names,
    guess(names, [/^y_?true$/i, /^label$/i, /^two_year_recid$/i, /^(target|outcome|y)$/i], names[0]),
  );
  options(
    byId<HTMLSelectElement>("score-col"),
    numeric,
    guess(numeric, [/^score$/i, /^decile_score$/i, /score|prob/i], numeric[0]),
  );
  options(byId<HTMLSelectElement>("decision-col"), names, guess(names, [/^y_?pred$/i, /decision|pred/i], names[0]));
  options(byId<HTMLSelectElement>("weight-col"), numeric, "", "(none)");
  const sensitiveGuess = guess(categorical, [/^group$/i, /^race$/i, /^sex$/i, /^gender$/i], categorical[0]);
  byId("sensitive").innerHTML = categorical
    .map(
      (n) =>
        `<label><input type="checkbox" value="${escapeHtml(n)}" ${n === sensitiveGuess ? "checked" : ""}/> ${escapeHtml(n)}</label>`,
    )
    .join("");
  sensitiveOrder = sensitiveGuess ? [sensitiveGuess] : [];
  byId("threshold").dataset.column = "";
  for (const box of byId("sensitive").querySelectorAll<HTMLInputElement>("input")) {
    box.addEventListener("change", () => {
      sensitiveOrder = sensitiveOrder.filter((n) => n !== box.value);
      if (box.checked) sensitiveOrder.push(box.value);
    });
  }
  refreshTaskControls();
  byId("columns").hidden = false;
  byId("load-status").textContent =
    `${table.name}: ${table.rows.toLocaleString("en")} rows, ${table.columns.length} columns${state.loadMs ? `, read in ${(state.loadMs / 1000).toFixed(2)} s` : ""}.`;
}

/** Positive-value choosers appear only for columns that are not already 0/1. */
function currentTask(): "binary" | "regression" | "multiclass" {
  return byId<HTMLSelectElement>("task").value as "binary" | "regression" | "multiclass";
}

/** Shows the controls of the chosen task: binary needs a score or decision and positive values; the others one prediction column. */
function refreshTaskControls(): void {
  const task = currentTask();
  const binary = task === "binary";
  byId("mode-set").hidden = !binary;
  byId("positive-row").hidden = !binary;
  byId("task-pred-row").hidden = binary;
  byId("label-col-label").textContent =
    task === "regression" ? "Observed outcome (a number)" : task === "multiclass" ? "True class" : "True label";
  if (binary) {
    refreshValueChoices();
    return;
  }
  byId("label-pos-row").hidden = true;
  byId("score-row").hidden = true;
  byId("decision-row").hidden = true;
  byId("task-pred-label").textContent = task === "regression" ? "Prediction (a number)" : "Decided class";
  const table = state.table;
  if (!table) return;
  const names =
    task === "regression"
      ? table.columns.filter((c) => c.numeric).map((c) => c.name)
      : table.columns.filter((c) => c.levels !== null).map((c) => c.name);
  const select = byId<HTMLSelectElement>("task-pred-col");
  options(select, names, select.value || guess(names, [/^y_?pred$/i, /pred|offer|estimate/i], names[0]));
}

function refreshValueChoices(): void {
  if (currentTask() !== "binary") return;
  // As on the command line: a column of 0/1 or true/false needs nothing; any other column needs
  // its positive value chosen by the user (no guess: "no" or "0" would silently be audited).
  const label = column(byId<HTMLSelectElement>("label-col").value);
  const labelBinary = isNaturalBinary(label);
  byId("label-pos-row").hidden = labelBinary;
  if (!labelBinary) options(byId<HTMLSelectElement>("label-pos"), sortedLevels(label), "", "choose…");
  const decision = column(byId<HTMLSelectElement>("decision-col").value);
  const decisionBinary = isNaturalBinary(decision);
  byId("decision-pos")
    .parentElement!.querySelector("label[for='decision-pos']")!
    .toggleAttribute("hidden", decisionBinary);
  byId("decision-pos").hidden = decisionBinary;
  if (!decisionBinary) options(byId<HTMLSelectElement>("decision-pos"), sortedLevels(decision), "", "choose…");
  const mode = (document.querySelector("input[name='mode']:checked") as HTMLInputElement).value;
  byId("score-row").hidden = mode !== "score";
  byId("decision-row").hidden = mode !== "decision";
  const threshold = byId<HTMLInputElement>("threshold");
  const score = state.table?.columns.find((c) => c.name === byId<HTMLSelectElement>("score-col").value);
  if (score && threshold.dataset.column !== score.name) {
    threshold.dataset.column = score.name;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of score.numbers) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    threshold.value = String(lo >= 0 && hi <= 1 ? 0.5 : Math.round(((lo + hi) / 2) * 100) / 100);
  }
}

function loadFile(file: File): void {
  const progress = byId<HTMLProgressElement>("progress");
  const status = byId("load-status");
  progress.hidden = false;
  progress.value = 0;
  status.textContent = `Reading ${file.name}…`;
  const worker = new Worker(new URL("./parse-worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const msg = event.data;
    if (msg.type === "progress") {
      progress.value = msg.total > 0 ? msg.loaded / msg.total : 0;
      status.textContent = `Reading ${file.name}: ${msg.rows.toLocaleString("en")} rows…`;
    } else if (msg.type === "done") {
      worker.terminate();
      progress.value = 1;
      state.loadMs = msg.ms;
      document.body.dataset.loadMs = String(msg.ms);
      showTable(
        msg.table,
        file.name,
        /\.parquet$/i.test(file.name) ? "parquet" : /\.tsv$/i.test(file.name) ? "tsv" : "csv",
      );
      document.body.dataset.loaded = "true";
    } else {
      worker.terminate();
      status.innerHTML = `<span class="error">${escapeHtml(msg.message)}</span>`;
    }
  };
  worker.onerror = (e) => {
    status.innerHTML = `<span class="error">${escapeHtml(e.message)}</span>`;
  };
  worker.postMessage({ file });
}

function loadDemo(): void {
  const demo = demoData();
  const n = demo.score.length;
  const levels = demo.groupNames;
  const table: LoadedTable = {
    name: "demo",
    rows: n,
    columns: [
      { name: "score", numbers: demo.score, numeric: true, empty: 0, codes: null, levels: null },
      {
        name: "y",
        numbers: Float64Array.from(demo.yTrue),
        numeric: true,
        empty: 0,
        codes: Int32Array.from(demo.yTrue),
        levels: ["0", "1"],
      },
      {
        name: "group",
        numbers: new Float64Array(n).fill(Number.NaN),
        numeric: false,
        empty: 0,
        codes: demo.group.codes,
        levels,
      },
    ],
  };
  state.loadMs = 0;
  (document.querySelector("input[name='mode'][value='score']") as HTMLInputElement).checked = true;
  showTable(table, "demo", null);
  document.body.dataset.loaded = "true";
  runAudit();
}

// ---------------------------------------------------------------- audit

function readConfig(): Config {
  const mode = (document.querySelector("input[name='mode']:checked") as HTMLInputElement).value as Config["mode"];
  const checked = new Set(
    [...document.querySelectorAll<HTMLInputElement>("#sensitive input:checked")].map((i) => i.value),
  );
  const sensitive = [
    ...sensitiveOrder.filter((n) => checked.has(n)),
    ...[...checked].filter((n) => !sensitiveOrder.includes(n)),
  ];
  return {
    label: byId<HTMLSelectElement>("label-col").value,
    labelPos: byId("label-pos-row").hidden ? "" : byId<HTMLSelectElement>("label-pos").value,
    mode,
    score: byId<HTMLSelectElement>("score-col").value,
    threshold: Number(byId<HTMLInputElement>("threshold").value),
    decision: byId<HTMLSelectElement>("decision-col").value,
    decisionPos: byId("decision-pos").hidden ? "" : byId<HTMLSelectElement>("decision-pos").value,
    sensitive,
    weight: byId<HTMLSelectElement>("weight-col").value,
    minGroupSize: Number(byId<HTMLInputElement>("min-group").value),
    positiveDecision: byId<HTMLSelectElement>("positive-decision").value as DecisionMeaning,
  };
}

/**
 * A label or decision column as 0/1, by the CLI's rule: 0/1 or true/false as they read; any other
 * values need the positive value chosen, and then exactly two values.
 */
function binaryOf(c: LoadedColumn, pos: string, role: string): Uint8Array {
  if (pos === "") {
    if (!isNaturalBinary(c))
      throw new Error(
        `choose which value of ${JSON.stringify(c.name)} means positive (the ${role}): its values are ${sortedLevels(c)
          .slice(0, 6)
          .map((v) => JSON.stringify(v))
          .join(", ")}`,
      );
    return c.levels
      ? toBinary(
          textValues(c).map((v) => (v === null ? null : naturalBit(v)!)),
          c.name,
        )
      : toBinary(c.numbers, c.name);
  }
  if (c.levels && c.levels.length > 2) {
    throw new Error(
      `${JSON.stringify(c.name)} (the ${role}) must be binary: it has ${c.levels.length} distinct values (${sortedLevels(
        c,
      )
        .slice(0, 6)
        .map((v) => JSON.stringify(v))
        .join(", ")}${c.levels.length > 6 ? ", …" : ""})`,
    );
  }
  return toBinary(textValues(c), c.name, pos);
}

function buildDataset(config: Config): Dataset {
  if (config.sensitive.length === 0) throw new Error("choose at least one sensitive column");
  const yTrue = binaryOf(column(config.label), config.labelPos, "label");
  const score =
    config.mode === "score"
      ? toScores(Float64Array.from(column(config.score).numbers), config.score)
      : Float64Array.from(binaryOf(column(config.decision), config.decisionPos, "decision"));
  const record: Record<string, CategoricalColumn> = {};
  for (const name of config.sensitive) record[name] = sensitiveColumn(column(name));
  const encoding = encodeGroups(record, yTrue.length);
  const weights = config.weight
    ? toWeights(Float64Array.from(column(config.weight).numbers), config.weight)
    : undefined;
  return { score, yTrue, codes: encoding.codes, groups: encoding.groups, columns: encoding.columns, weights };
}

/** The regression or multiclass audit of the loaded table, shown in its own section. */
function runTaskAudit(task: "regression" | "multiclass"): void {
  const status = byId("run-status");
  try {
    const config = readConfig();
    const t0 = performance.now();
    const doc = taskAudit(
      state.table!,
      state.source,
      state.format,
      {
        task,
        label: config.label,
        prediction: byId<HTMLSelectElement>("task-pred-col").value,
        sensitive: config.sensitive,
        weight: config.weight,
        minGroupSize: config.minGroupSize,
      },
      column,
    );
    state.taskDoc = doc;
    showTaskAudit(doc, byId);
    byId("results").hidden = true;
    byId("task-results").hidden = false;
    status.textContent = `Audited ${doc.input.rows.toLocaleString("en")} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s.`;
    document.body.dataset.audited = "true";
  } catch (e) {
    status.innerHTML = `<span class="error">${escapeHtml((e as Error).message)}</span>`;
  }
}

function runAudit(): void {
  const task = currentTask();
  if (task !== "binary") {
    runTaskAudit(task);
    return;
  }
  const status = byId("run-status");
  try {
    const config = readConfig();
    const t0 = performance.now();
    const engine = new LiveEngine(buildDataset(config));
    state.config = config;
    state.engine = engine;
    const t = config.mode === "score" ? config.threshold : 1;
    state.rules = engine.groups.map(() => thresholdRule(t));
    byId<HTMLInputElement>("linked").checked = true;
    buildResultsView();
    clearPreset();
    sendDataToWorker();
    recompute();
    scheduleImpossibility(0);
    status.textContent = `Audited ${engine.n.toLocaleString("en")} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s.`;
    state.taskDoc = null;
    byId("task-results").hidden = true;
    byId("results").hidden = false;
    document.body.dataset.audited = "true";
  } catch (e) {
    status.innerHTML = `<span class="error">${escapeHtml((e as Error).message)}</span>`;
  }
}

function auditInput(): AuditInput {
  const c = state.config!;
  const nulls: Record<string, number> = {};
  const used = [c.label, c.mode === "score" ? c.score : c.decision, ...c.sensitive, ...(c.weight ? [c.weight] : [])];
  for (const name of used) nulls[name] = column(name).empty;
  const ts = state.rules.map((r) => (isPlainThreshold(r) ? r.cuts[0] : Number.NaN));
  const shared = ts.every((t) => t === ts[0]) && !Number.isNaN(ts[0]);
  return {
    source: state.source,
    format: state.format,
    rows: state.engine!.n,
    where: null,
    y_true: c.label,
    y_pred: c.mode === "decision" ? c.decision : null,
    score: c.mode === "score" ? c.score : null,
    threshold: c.mode === "score" && shared ? ts[0] : null,
    sensitive: [...c.sensitive],
    weight: c.weight || null,
    pos_label: c.labelPos || null,
    pred_pos_label: c.mode === "decision" ? c.decisionPos || null : null,
    nulls,
  };
}

/** The audit result for the current rules: the CLI's JSON, from the same builder. */
function currentResult(): AuditResult {
  const engine = state.engine!;
  const counts = engine.table(state.rules);
  const frame = MetricFrame.fromCounts(counts, {
    metrics: [...DEFAULT_AUDIT_METRICS],
    minGroupSize: state.config!.minGroupSize,
  });
  const ts = state.rules.map((r) => (isPlainThreshold(r) ? r.cuts[0] : Number.NaN));
  const shared = ts.every((t) => t === ts[0]) && !Number.isNaN(ts[0]);
  const warnings: FairkitWarning[] = [];
  if (state.config!.mode === "score" && !shared) {
    warnings.push({
      code: "PER_GROUP_RULES",
      message: `decisions use per-group rules: ${engine.groups.map((g, k) => `${g.key}: ${describeRule(state.rules[k])}`).join("; ")}`,
    } as unknown as FairkitWarning);
  }
  return buildAuditResult(frame, {
    input: auditInput(),
    minGroupSize: state.config!.minGroupSize,
    warnings,
    positiveDecision: state.config!.positiveDecision,
  });
}

// ---------------------------------------------------------------- results view

function shortLabel(metric: string): string {
  return capitalise(metricShort(metric));
}

function buildResultsView(): void {
  const engine = state.engine!;
  const config = state.config!;
  const metrics = [...DEFAULT_AUDIT_METRICS];
  const head = `<tr><th scope="col">group</th><th scope="col">n</th>${metrics.map((m) => `<th scope="col" title="${m}">${shortLabel(m)}</th>`).join("")}</tr>`;
  const row = (key: string, label: string, cls = "") =>
    `<tr class="${cls}" data-row="${escapeHtml(key)}"><th scope="row">${label} <span data-small="${escapeHtml(key)}"></span></th><td class="num-cell" data-group="${escapeHtml(key)}" data-metric="n"></td>${metrics
      .map(
        (m) =>
          `<td class="num-cell"><span data-group="${escapeHtml(key)}" data-metric="${m}"></span><span class="interval" data-interval="${escapeHtml(key)}:${m}"></span></td>`,
      )
      .join("")}</tr>`;
  byId("frame").innerHTML = `<table class="frame"><thead>${head}</thead><tbody>${engine.groups
    .map((g, k) => row(g.key, `<span class="swatch" style="background:${groupColour(k)}"></span>${escapeHtml(g.key)}`))
    .join("")}${row("overall", "overall", "overall")}</tbody></table>`;
  const criteria = CRITERION_NAMES;
  byId("criteria-summary").innerHTML =
    `<table class="criteria-summary"><thead><tr><th>criterion</th><th>difference</th><th>check</th><th>ratio</th><th>check</th><th>set by</th></tr></thead><tbody>${criteria
      .map(
        (c) =>
          `<tr><th scope="row">${CRITERION_LABELS[c]}</th><td data-criterion-value="${c}_difference"></td><td data-check="${c}_difference"></td><td data-criterion-value="${c}_ratio"></td><td data-check="${c}_ratio"></td><td data-gap-groups="${c}_difference"></td></tr>`,
      )
      .join("")}</tbody></table><p class="small" id="criteria-gap-note"></p>`;
  updateCriteria = criteriaPanel(byId("criteria"), [...CRITERION_NAMES, "calibration"], config.positiveDecision);
  clearTimeout(impossibilityTimer);
  requestId++;
  byId("impossibility-table").replaceChildren();
  byId("impossibility").replaceChildren();
  // Sliders and presets (score mode only).
  const isScore = config.mode === "score";
  byId("threshold-card").hidden = !isScore;
  byId("roc-card").hidden = !isScore;
  const [lo, hi] = engine.scoreRange;
  let integer = true;
  for (let g = 0; g < engine.groups.length && integer; g++)
    for (const s of engine.distinctScores(g)) if (!Number.isInteger(s)) integer = false;
  const step = integer ? 1 : (hi - lo) / 200;
  byId("sliders").innerHTML = engine.groups
    .map(
      (g, k) =>
        `<label for="slider-${k}"><span class="swatch" style="background:${groupColour(k)}"></span>${escapeHtml(g.key)}</label><input id="slider-${k}" type="range" min="${lo}" max="${integer ? hi + 1 : hi}" step="${step}" value="${config.threshold}" aria-label="Threshold for group ${escapeHtml(g.key)}" /><output for="slider-${k}"></output>`,
    )
    .join("");
  sliderEls = engine.groups.map((_, k) => ({
    input: byId<HTMLInputElement>(`slider-${k}`),
    out: byId("sliders").querySelector(`output[for="slider-${k}"]`) as HTMLOutputElement,
  }));
  sliderEls.forEach(({ input }, k) => {
    input.addEventListener("input", () => {
      clearPreset();
      const t = Number(input.value);
      if (byId<HTMLInputElement>("linked").checked) {
        for (const s of sliderEls) s.input.value = String(t);
        state.rules = engine.groups.map(() => thresholdRule(t));
      } else {
        state.rules = state.rules.slice();
        state.rules[k] = thresholdRule(t);
      }
      recompute();
    });
  });
  byId("presets").innerHTML = PRESETS.map(
    (p) =>
      `<button type="button" data-preset="${p.name}" aria-pressed="false" title="${p.promise}">${p.label}</button>`,
  ).join("");
  for (const b of byId("presets").querySelectorAll<HTMLButtonElement>("button"))
    b.addEventListener("click", () => applyPreset(b.dataset.preset as PresetName));
  // Charts (drawn once per data set; operating points follow the rules).
  const width = (el: HTMLElement) => Math.max(280, Math.min(620, el.clientWidth || 320));
  charts = [];
  if (isScore) {
    const roc = rocChart(engine, width(byId("roc")));
    byId("roc").replaceChildren(roc.node);
    charts.push(roc);
  }
  const cal = engine.calibrationForPlot();
  byId("calibration").replaceChildren(calibrationChart(cal.report, width(byId("calibration")), cal.scale));
  if (cal.scale)
    byId("calibration").append(
      Object.assign(document.createElement("p"), {
        className: "small",
        textContent:
          "These scores are not probabilities: the curve shows the observed rate by score bin (rescaled to its range), so compare groups with each other, not with a diagonal.",
      }),
    );
}

function recompute(): void {
  const engine = state.engine!;
  const result = currentResult();
  state.result = result;
  const frame = byId("frame");
  for (const entry of [...result.groups, result.overall]) {
    const key = entry.label;
    const q = (sel: string) => frame.querySelector(sel) as HTMLElement;
    setNumber(q(`[data-group="${CSS.escape(key)}"][data-metric="n"]`), entry.n, Number.isInteger(entry.n) ? 0 : 1);
    for (const [m, v] of Object.entries(entry.metrics)) {
      setNumber(q(`[data-group="${CSS.escape(key)}"][data-metric="${m}"]`), v ?? Number.NaN);
      const iv = entry.intervals[m];
      q(`[data-interval="${CSS.escape(key)}:${m}"]`).textContent =
        iv && iv[0] !== null ? `[${fmt(iv[0])}, ${fmt(iv[1] ?? Number.NaN)}]` : "";
    }
    const flag = q(`[data-small="${CSS.escape(key)}"]`);
    flag.innerHTML = entry.small
      ? `<span class="flag" title="fewer than ${result.settings.min_group_size} rows">small</span>`
      : "";
  }
  const summary = byId("criteria-summary");
  // Which two groups set each gap, and its interval (the audit's gaps: from the counts alone).
  const label = (tuple: readonly unknown[] | undefined) =>
    result.groups.find((g) => groupId(g.group) === groupId(tuple as never))?.label ?? "";
  for (const [name, gap] of Object.entries(result.gaps ?? {})) {
    const groupsCell = summary.querySelector(`[data-gap-groups="${name}"]`);
    if (groupsCell)
      groupsCell.textContent = gap.groups
        ? `${label(gap.groups[0])} vs ${label(gap.groups[1])}${name.startsWith("equalized_odds") ? ` (${gap.metric === "true_positive_rate" ? "TPR" : "FPR"})` : ""}`
        : "";
  }
  const methods = new Set(Object.values(result.gaps ?? {}).map((g) => g.interval_method));
  byId("criteria-gap-note").textContent = methods.has("bootstrap")
    ? `Intervals (${Math.round(result.settings.level * 100)}%) are bootstrap percentiles of each criterion itself.`
    : methods.has("newcombe") || methods.has("mover")
      ? `Intervals (${Math.round(result.settings.level * 100)}%): Newcombe's for a difference, MOVER's for a ratio, of the two groups named (the difference is the first minus the second); they are conditional on that pair being the extreme one.`
      : "";
  for (const [name, check] of Object.entries(result.checks)) {
    setNumber(summary.querySelector(`[data-criterion-value="${name}"]`)!, check.value ?? Number.NaN);
    const interval = result.gaps?.[name as keyof typeof result.gaps]?.interval;
    if (interval && interval[0] !== null && interval[1] !== null) {
      const span = document.createElement("span");
      span.className = "interval";
      span.dataset.gapInterval = name;
      span.textContent = ` (${fmt(interval[0])}–${fmt(interval[1])})`;
      summary.querySelector(`[data-criterion-value="${name}"]`)!.append(span);
    }
    const cell = summary.querySelector(`[data-check="${name}"]`) as HTMLElement;
    cell.className = check.pass === null ? "" : check.pass ? "pass" : "fail";
    cell.textContent =
      check.pass === null ? "undefined" : `${check.pass ? "pass" : "fail"} (${check.rule} ${check.tolerance})`;
  }
  // The criteria panel compares the same groups as the summary above: small groups left out.
  const excludedIds = new Set(result.criteria_excluded.map(groupId));
  const excluded = new Set(result.groups.filter((g) => excludedIds.has(groupId(g.group))).map((g) => g.label));
  byId("criteria-excluded").textContent =
    excluded.size > 0
      ? `Left out of the criteria as too small (fewer than ${result.settings.min_group_size} rows): ${[...excluded].join("; ")}.`
      : "";
  const allCounts = engine.table(state.rules);
  const counts =
    excluded.size > 0
      ? selectGroups(
          allCounts,
          allCounts.groups.flatMap((g, i) => (excluded.has(g.key) ? [] : [i])),
        )
      : allCounts;
  const calibration = engine.calibration();
  const status = criteriaStatus(counts, calibration, result.settings.tolerances.difference);
  updateCriteria(status, result.settings.tolerances.difference);
  scheduleImpossibility();
  sliderEls.forEach(({ out }, k) => {
    out.textContent = isPlainThreshold(state.rules[k]) ? fmt(state.rules[k].cuts[0], 2) : "mixed";
  });
  const groups = result.groups.length;
  byId("summary").textContent =
    `${result.input.rows.toLocaleString("en")} rows · ${groups} groups · ${result.passed === true ? "all checks pass" : result.passed === false ? "some checks fail" : "some checks undefined"}`;
  for (const c of charts) c.update(state.rules);
}

let impossibilityTimer = 0;
let impossibilityWorker: Worker | null = null;
let dataId = 0;
let requestId = 0;

/** Hands the current data set to the analysis worker (once per audit). */
function sendDataToWorker(): void {
  const engine = state.engine!;
  if (!impossibilityWorker) {
    impossibilityWorker = new Worker(new URL("./impossibility-worker.ts", import.meta.url), { type: "module" });
    impossibilityWorker.onmessage = (
      event: MessageEvent<
        | { type: "report"; requestId: number; report: ImpossibilityReport }
        | { type: "error"; requestId: number; message: string }
      >,
    ) => {
      const msg = event.data;
      if (msg.requestId !== requestId) return;
      if (msg.type === "report") renderImpossibility(msg.report);
      else byId("impossibility-table").innerHTML = `<p class="error">${escapeHtml(msg.message)}</p>`;
    };
  }
  dataId++;
  const { score, yTrue, codes, groups, columns, weights } = engine.data;
  const request: ImpossibilityRequest = { type: "data", dataId, score, yTrue, codes, groups, columns, weights };
  impossibilityWorker.postMessage(request);
}

/** The analysis fits the optimizer several times: it runs in a worker once the sliders rest. */
function scheduleImpossibility(delay = 150): void {
  clearTimeout(impossibilityTimer);
  impossibilityTimer = window.setTimeout(requestImpossibility, delay);
}

function requestImpossibility(): void {
  const engine = state.engine;
  if (!engine || !impossibilityWorker) return;
  const thresholds = Object.fromEntries(engine.groups.map((g, k) => [g.key, representativeThreshold(state.rules[k])]));
  const tolerance = state.result?.settings.tolerances.difference ?? 0.1;
  requestId++;
  byId("impossibility-status").textContent = "Computing the impossibility analysis…";
  // The same small-group rule as the audit table and the criteria above.
  const request: ImpossibilityRequest = {
    type: "analyse",
    dataId,
    requestId,
    thresholds,
    tolerance,
    minGroupSize: state.config!.minGroupSize,
  };
  impossibilityWorker.postMessage(request);
}

const IMPOSSIBILITY_COLUMNS: [keyof ImpossibilityReport["groups"][number], string][] = (
  [
    ["baseRate", "base_rate"],
    ["selectionRate", "selection_rate"],
    ["truePositiveRate", "true_positive_rate"],
    ["falsePositiveRate", "false_positive_rate"],
    ["falseNegativeRate", "false_negative_rate"],
    ["positivePredictiveValue", "positive_predictive_value"],
  ] as const
).map(([field, metric]) => [field, shortLabel(metric)]);

function renderImpossibility(report: ImpossibilityReport): void {
  const randomised = state.rules.some((r) => !isPlainThreshold(r));
  const tolerance = report.tolerance;
  byId("impossibility-status").textContent = "";
  const criterionName = (n: string) =>
    n in CRITERION_LABELS
      ? CRITERION_LABELS[n as keyof typeof CRITERION_LABELS]
      : n === "calibration_within_groups"
        ? CRITERION_LABELS.calibration
        : n === "calibration_parity"
          ? "Calibration parity (same score, same outcome rate in every group)"
          : n.replace(/_/g, " ");
  const groupsTable = `<table class="impossibility-table"><thead><tr><th>group</th><th>τ</th>${IMPOSSIBILITY_COLUMNS.map(([, l]) => `<th>${l}</th>`).join("")}<th title="Chouldechova: FPR = p/(1−p) · (1−PPV)/PPV · (1−FNR)">FPR from the identity</th></tr></thead><tbody>${report.groups
    .map(
      (g) =>
        `<tr${g.small ? ' class="small"' : ""}><th scope="row">${escapeHtml(g.key)}${g.small ? ' <span class="flag" title="too small to compare">small</span>' : ""}</th><td>${fmt(g.threshold, 2)}</td>${IMPOSSIBILITY_COLUMNS.map(([k]) => `<td data-imp="${escapeHtml(g.key)}:${k}" data-value="${g[k]}">${fmt(g[k] as number)}</td>`).join("")}<td>${fmt(g.chouldechova.fromIdentity)} ${g.chouldechova.holds ? "✓" : ""}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  const names = CRITERION_NAMES;
  const tradeoffs = `<table class="tradeoffs"><thead><tr><th>enforced</th><th>accuracy</th><th>cost</th>${names.map((n) => `<th>${criterionName(n)} gap</th>`).join("")}</tr></thead><tbody>${report.tradeoffs
    .map(
      (r) =>
        `<tr data-enforced="${r.enforced}"><th scope="row" title="${escapeHtml(r.method)}">${r.enforced === "as_given" ? "as given" : r.enforced === "unconstrained" ? "no constraint" : criterionName(r.enforced)}</th><td>${fmt(r.accuracy)}</td><td>${fmt(r.accuracyCost)}</td>${names
          .map((n) => `<td class="${r.holds[n] ? "pass" : ""}">${fmt(r.differences[n])}${r.holds[n] ? " ✓" : ""}</td>`)
          .join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
  const criteria = `<ul class="status-list">${report.criteria.map((c) => `<li data-status="${c.status}"><strong>${criterionName(c.name)}</strong>: ${c.status === "nearly" ? "nearly holds" : c.status} (gap ${fmt(c.difference)})</li>`).join("")}</ul>`;
  byId("impossibility-table").innerHTML =
    `<p class="small">At ${randomised ? "each group's representative threshold (the rules are randomised)" : "the current thresholds"}, tolerance ${tolerance}.${report.excluded.length > 0 ? ` The criteria and trade-offs compare the groups with at least ${report.minGroupSize} rows; left out as too small: ${escapeHtml(report.excluded.join(", "))}.` : ""}</p>${groupsTable}${criteria}<h3>What enforcing each criterion costs</h3>${tradeoffs}`;
  byId("impossibility").innerHTML = report.explanation
    .split("\n\n")
    .map((para) => `<p>${escapeHtml(para)}</p>`)
    .join("");
}

function applyPreset(name: PresetName): void {
  const engine = state.engine!;
  const status = byId("preset-status");
  try {
    state.rules = presetRules(engine, name);
    const shared = state.rules.every((r) => isPlainThreshold(r) && r.cuts[0] === state.rules[0].cuts[0]);
    byId<HTMLInputElement>("linked").checked = shared;
    sliderEls.forEach(({ input }, k) => {
      input.value = String(representativeThreshold(state.rules[k]));
    });
    const preset = PRESETS.find((p) => p.name === name)!;
    status.textContent = `${preset.label}: ${preset.promise}. ${engine.groups.map((g, k) => `${g.key}: ${describeRule(state.rules[k])}`).join(" · ")}`;
    for (const b of document.querySelectorAll<HTMLButtonElement>("[data-preset]"))
      b.setAttribute("aria-pressed", String(b.dataset.preset === name));
    recompute();
  } catch (e) {
    status.innerHTML = `<span class="error">${escapeHtml((e as Error).message)}</span>`;
  }
}

function clearPreset(): void {
  byId("preset-status").textContent = "";
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-preset]"))
    b.setAttribute("aria-pressed", "false");
}

// ---------------------------------------------------------------- export

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The audit JSON, exactly as the CLI writes it (NaN already null in the result). */
export function auditJson(): string {
  return `${JSON.stringify(state.result, null, 2)}\n`;
}

/** The regression or multiclass audit JSON, as `fairkit audit --task … --format json` writes it. */
export function taskJson(): string {
  return `${JSON.stringify(state.taskDoc, null, 2)}\n`;
}

/** A standalone HTML page: the results as they are now, the styles inlined, the JSON embedded, no script. */
function snapshotHtml(): string {
  const css = [...document.styleSheets]
    .flatMap((sheet) => {
      try {
        return [...sheet.cssRules].map((r) => r.cssText);
      } catch {
        return [];
      }
    })
    .join("\n");
  const results = byId("results").cloneNode(true) as HTMLElement;
  results.hidden = false;
  for (const el of results.querySelectorAll("#threshold-card input, #presets, #export-json, #export-html")) el.remove();
  for (const el of results.querySelectorAll("input[type=range]")) el.remove();
  const json = auditJson().replace(/</g, "\\u003c");
  const when = new Date().toISOString();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>fairkit audit · ${escapeHtml(state.source)}</title><style>${css}</style></head><body><header class="top"><h1>fairkit audit</h1><span class="small">${escapeHtml(state.source)} · ${when} · fairkit ${escapeHtml(state.result?.tool.version ?? "")}</span></header>${results.outerHTML}<script type="application/json" id="audit-json">${json}</script></body></html>`;
}

// ---------------------------------------------------------------- wiring

function init(): void {
  const drop = byId("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files[0];
    if (file) loadFile(file);
  });
  byId<HTMLInputElement>("file").addEventListener("change", (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) loadFile(file);
    // Cleared so that choosing the same file again (e.g. after editing it) reads it again.
    input.value = "";
  });
  byId("demo").addEventListener("click", loadDemo);
  for (const id of ["label-col", "decision-col", "score-col"]) byId(id).addEventListener("change", refreshValueChoices);
  for (const r of document.querySelectorAll("input[name='mode']")) r.addEventListener("change", refreshValueChoices);
  byId("task").addEventListener("change", refreshTaskControls);
  byId("task-export-json").addEventListener("click", () =>
    download(`fairkit-${state.taskDoc?.task ?? "task"}-audit.json`, "application/json", taskJson()),
  );
  byId("run").addEventListener("click", runAudit);
  byId("export-json").addEventListener("click", () => download("fairkit-audit.json", "application/json", auditJson()));
  byId("export-html").addEventListener("click", () => download("fairkit-audit.html", "text/html", snapshotHtml()));
  byId<HTMLInputElement>("linked").addEventListener("change", (e) => {
    if (!(e.target as HTMLInputElement).checked || !state.engine) return;
    const t = Number(sliderEls[0].input.value);
    for (const s of sliderEls) s.input.value = String(t);
    state.rules = state.engine.groups.map(() => thresholdRule(t));
    clearPreset();
    recompute();
  });
  document.body.dataset.ready = "true";
}

declare global {
  interface Window {
    fairkitDashboard: {
      state: typeof state;
      auditJson: () => string;
      taskJson: () => string;
      snapshotHtml: () => string;
      recompute: () => void;
      runAudit: () => void;
    };
  }
}
window.fairkitDashboard = { state, auditJson, taskJson, snapshotHtml, recompute, runAudit };

init();
