/**
 * Live panels shared by both pages: per-group rates with bars, the criteria verdicts, and the
 * per-group threshold sliders. They are built once and then only have their numbers rewritten.
 */
import { type ConfusionTable, type GroupInfo, metricLabel as metricWords } from "../../src/internal.js";
import { groupColour } from "./charts.js";
import type { DecisionMeaning } from "../../src/internal.js";
import { CRITERION_LABELS, CRITERION_MEASURES, criterionHarms, decisionNote } from "./criteria-text.js";
import { type CriterionStatus, GROUP_METRICS, type Rule, metricOf } from "./engine.js";
import { capitalise, escapeHtml, fmt, setNumber } from "./format.js";

/** A metric's name in words, for a page (`True positive rate (recall)`). */
export function metricLabel(name: string): string {
  return capitalise(metricWords(name));
}

/** Per-group selection rate, TPR, FPR and precision, each with a bar. */
export function ratesPanel(container: HTMLElement, groups: GroupInfo[]): (table: ConfusionTable) => void {
  const head = groups
    .map(
      (g, k) =>
        `<th scope="col"><span class="swatch" style="background:${groupColour(k)}"></span>${escapeHtml(g.key)}</th>`,
    )
    .join("");
  const body = GROUP_METRICS.map(
    (m) =>
      `<tr><th scope="row">${metricLabel(m)}</th>${groups
        .map(
          (g, k) =>
            `<td><div class="bar-cell"><span class="bar" style="background:${groupColour(k)}" data-bar="${m}:${k}"></span><span class="num" data-metric="${m}" data-group="${escapeHtml(g.key)}"></span></div></td>`,
        )
        .join("")}</tr>`,
  ).join("");
  container.innerHTML = `<table class="rates"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
  const cells = GROUP_METRICS.map((m) =>
    groups.map((_, k) => ({
      num: container.querySelectorAll(`[data-metric="${m}"]`)[k] as HTMLElement,
      bar: container.querySelector(`[data-bar="${m}:${k}"]`) as HTMLElement,
    })),
  );
  return (table) => {
    GROUP_METRICS.forEach((m, i) => {
      groups.forEach((_, g) => {
        const v = metricOf(table, g, m);
        setNumber(cells[i][g].num, v);
        cells[i][g].bar.style.width = Number.isNaN(v) ? "0" : `${(v * 100).toFixed(1)}%`;
      });
    });
  };
}

/** The criteria verdicts: holds or misses (and by how much), with the harm each fits. */
export function criteriaPanel(
  container: HTMLElement,
  names: CriterionStatus["name"][],
  meaning: DecisionMeaning = "favourable",
): (status: CriterionStatus[], tolerance: number) => void {
  const harms = criterionHarms(meaning);
  container.innerHTML = `<p class="decision-note" data-decision="${meaning}">${escapeHtml(decisionNote(meaning))}</p><ul class="criteria">${names
    .map(
      (name) => `<li data-criterion="${name}">
        <div class="criterion-head"><span class="verdict" aria-live="polite"></span><strong>${CRITERION_LABELS[name]}</strong>
        <span class="gap">${CRITERION_MEASURES[name]}: <span class="num" data-gap="${name}"></span></span></div>
        <p class="harm">${escapeHtml(harms[name])}</p></li>`,
    )
    .join("")}</ul>`;
  const items = names.map((name) => ({
    li: container.querySelector(`[data-criterion="${name}"]`) as HTMLElement,
    verdict: container.querySelector(`[data-criterion="${name}"] .verdict`) as HTMLElement,
    gap: container.querySelector(`[data-gap="${name}"]`) as HTMLElement,
  }));
  return (status, tolerance) => {
    items.forEach((item, k) => {
      const s = status.find((x) => x.name === names[k]);
      if (!s) {
        item.li.hidden = true;
        return;
      }
      item.li.hidden = false;
      setNumber(item.gap, s.value);
      const state = Number.isNaN(s.value) ? "undefined" : s.holds ? "holds" : "fails";
      item.li.dataset.state = state;
      item.verdict.textContent =
        state === "undefined"
          ? "undefined"
          : state === "holds"
            ? `✓ holds (≤ ${fmt(tolerance, 2)})`
            : `✗ misses by ${fmt(s.miss)}`;
    });
  };
}

/** Describes a rule in words, saying plainly when it is randomised. */
export function describeRule(rule: Rule, digits = 3): string {
  const { cuts, probabilities: p } = rule;
  if (cuts.length === 0)
    return p[0] === 0
      ? "no one selected"
      : p[0] === 1
        ? "everyone selected"
        : `everyone selected with probability ${fmt(p[0])}`;
  if (cuts.length === 1 && p[0] === 0 && p[1] === 1) return `τ = ${fmt(cuts[0], digits)}`;
  const parts: string[] = [];
  const chance = (q: number) =>
    q === 1 ? "selected" : q === 0 ? "not selected" : `selected with probability ${fmt(q)}`;
  for (let j = p.length - 1; j >= 0; j--) {
    const range =
      j === p.length - 1
        ? `score ≥ ${fmt(cuts[j - 1], digits)}`
        : j === 0
          ? `score < ${fmt(cuts[0], digits)}`
          : `${fmt(cuts[j - 1], digits)} ≤ score < ${fmt(cuts[j], digits)}`;
    parts.push(`${range}: ${chance(p[j])}`);
  }
  const randomised = p.some((q) => q > 0 && q < 1);
  return `${randomised ? "randomised — " : ""}${parts.join("; ")}`;
}
