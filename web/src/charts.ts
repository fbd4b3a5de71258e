/**
 * Charts, drawn with Observable Plot. Anything that depends only on the data (histograms,
 * calibration, ROC curves) is drawn once per data set; a slider move only repositions marks
 * (threshold lines, operating points) through the chart's own scales, so it costs microseconds.
 */
import * as Plot from "@observablehq/plot";
import { type CalibrationReport, thresholdRule } from "../../src/internal.js";
import { type LiveEngine, type Rule, isPlainThreshold } from "./engine.js";
import { metricOf } from "./engine.js";

/** Okabe–Ito: distinguishable under the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"];
/** Label colours (true outcome 0 / 1) in the distribution charts. */
export const LABEL_COLOURS = { negative: "#56B4E9", positive: "#D55E00" };

export function groupColour(g: number): string {
  return PALETTE[g % PALETTE.length];
}

const SVG_NS = "http://www.w3.org/2000/svg";

type PlotElement = (SVGSVGElement | HTMLElement) & Plot.Plot;

function svgOf(plot: PlotElement): SVGSVGElement {
  // With a legend Plot returns a <figure> whose swatches hold small SVGs of their own: the chart
  // is the figure's direct <svg> child.
  return (plot.tagName.toLowerCase() === "svg" ? plot : plot.querySelector(":scope > svg")!) as SVGSVGElement;
}

function frameY(plot: PlotElement): [number, number] {
  const range = plot.scale("y")!.range as [number, number];
  return [Math.min(...range), Math.max(...range)];
}

function frameX(plot: PlotElement): [number, number] {
  const range = plot.scale("x")!.range as [number, number];
  return [Math.min(...range), Math.max(...range)];
}

function svgEl<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A chart with marks that follow the thresholds. */
export interface LiveChart {
  node: Element;
  update(rules: readonly Rule[]): void;
}

/** A rule's finite cuts, and whether it randomises anywhere (a probability strictly in (0, 1)). */
function ruleCuts(rule: Rule): { cuts: number[]; randomised: boolean } {
  return { cuts: rule.cuts, randomised: rule.probabilities.some((p) => p > 0 && p < 1) };
}

/**
 * Score distribution of one group, split by true outcome, with the group's threshold line(s).
 * Histogram counts are weighted counts of rows per score bin (display only, not a metric).
 */
export function distributionChart(engine: LiveEngine, g: number, width: number, bins = 40): LiveChart {
  const [lo, hi] = engine.scoreRange;
  const span = hi - lo || 1;
  const neg = new Float64Array(bins);
  const pos = new Float64Array(bins);
  const { score, yTrue, codes, weights } = engine.data;
  for (let i = 0; i < score.length; i++) {
    if (codes[i] !== g) continue;
    const b = Math.min(bins - 1, Math.floor(((score[i] - lo) / span) * bins));
    (yTrue[i] ? pos : neg)[b] += weights ? weights[i] : 1;
  }
  const rows: { x1: number; x2: number; count: number; outcome: string }[] = [];
  for (let b = 0; b < bins; b++) {
    const x1 = lo + (b * span) / bins;
    const x2 = lo + ((b + 1) * span) / bins;
    rows.push(
      { x1, x2, count: neg[b], outcome: "negative (y = 0)" },
      { x1, x2, count: pos[b], outcome: "positive (y = 1)" },
    );
  }
  const plot = Plot.plot({
    width,
    height: 170,
    marginLeft: 48,
    marginBottom: 36,
    style: { fontSize: "12px" },
    title: `Group ${engine.groups[g].key}`,
    x: { label: "score", domain: [lo, hi] },
    y: { label: "people", grid: true },
    color: {
      domain: ["negative (y = 0)", "positive (y = 1)"],
      range: [LABEL_COLOURS.negative, LABEL_COLOURS.positive],
      legend: true,
    },
    marks: [
      Plot.rectY(rows, {
        x1: "x1",
        x2: "x2",
        y: "count",
        fill: "outcome",
        fillOpacity: 0.55,
        mixBlendMode: "multiply",
      }),
      Plot.ruleY([0]),
    ],
  }) as PlotElement;
  const svg = svgOf(plot);
  const [top, bottom] = frameY(plot);
  const lines = [0, 1, 2].map(() => {
    const line = svgEl("line", {
      y1: top,
      y2: bottom,
      stroke: "#222",
      "stroke-width": 2,
      "stroke-dasharray": "",
      class: "threshold-line",
    });
    svg.append(line);
    return line;
  });
  const x = plot.scale("x")!;
  return {
    node: plot,
    update(rules) {
      const { cuts: ts, randomised } = ruleCuts(rules[g]);
      lines.forEach((line, k) => {
        if (k >= ts.length) {
          line.setAttribute("visibility", "hidden");
          return;
        }
        const px = x.apply!(Math.min(hi, Math.max(lo, ts[k]))) as number;
        line.setAttribute("visibility", "visible");
        line.setAttribute("x1", String(px));
        line.setAttribute("x2", String(px));
        line.setAttribute("stroke-dasharray", randomised ? "5 3" : "");
      });
    },
  };
}

/** Per-group calibration curves: mean score against observed positive rate per bin. */
export function calibrationChart(
  report: CalibrationReport,
  width: number,
  scale?: { lo: number; hi: number },
): Element {
  const rows = report.groups.flatMap((grp, g) =>
    grp.bins
      .filter((b) => b.count > 0)
      .map((b) => ({
        group: grp.key,
        g,
        score: scale ? scale.lo + b.meanScore * (scale.hi - scale.lo) : b.meanScore,
        observed: b.observedRate,
        low: b.interval[0],
        high: b.interval[1],
        count: b.count,
      })),
  );
  const domain = scale ? [scale.lo, scale.hi] : [0, 1];
  return Plot.plot({
    width,
    height: 260,
    marginLeft: 48,
    marginBottom: 40,
    style: { fontSize: "12px" },
    x: { label: scale ? "score (mean in bin)" : "mean predicted probability", domain },
    y: { label: "observed positive rate", domain: [0, 1], grid: true },
    color: {
      domain: report.groups.map((g) => g.key),
      range: report.groups.map((_, g) => groupColour(g)),
      legend: true,
    },
    marks: [
      scale
        ? null
        : Plot.line(
            [
              [0, 0],
              [1, 1],
            ],
            { stroke: "#999", strokeDasharray: "4 3" },
          ),
      Plot.ruleX(rows, { x: "score", y1: "low", y2: "high", stroke: "group", strokeOpacity: 0.35 }),
      Plot.line(rows, { x: "score", y: "observed", stroke: "group", strokeWidth: 2 }),
      Plot.dot(rows, {
        x: "score",
        y: "observed",
        fill: "group",
        r: 3,
        tip: true,
        title: (d: { group: string; count: number; observed: number }) =>
          `${d.group}: ${d.count} people, observed ${d.observed.toFixed(3)}`,
      }),
    ],
  });
}

/** ROC curve per group with each group's current operating point. */
export function rocChart(engine: LiveEngine, width: number): LiveChart {
  const rows: { fpr: number; tpr: number; group: string }[] = [];
  engine.groups.forEach((info, g) => {
    const roc = engine.roc(g);
    // Thin very long curves for drawing only: a point per ~0.2% of the curve is invisible loss.
    const step = Math.max(1, Math.floor(roc.fpr.length / 500));
    for (let k = 0; k < roc.fpr.length; k += step) rows.push({ fpr: roc.fpr[k], tpr: roc.tpr[k], group: info.key });
    const last = roc.fpr.length - 1;
    if (last % step !== 0) rows.push({ fpr: roc.fpr[last], tpr: roc.tpr[last], group: info.key });
  });
  const keys = engine.groups.map((g) => g.key);
  const plot = Plot.plot({
    width,
    height: 280,
    marginLeft: 48,
    marginBottom: 40,
    style: { fontSize: "12px" },
    x: { label: "false positive rate", domain: [0, 1] },
    y: { label: "true positive rate", domain: [0, 1], grid: true },
    color: { domain: keys, range: keys.map((_, g) => groupColour(g)), legend: true },
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        { stroke: "#bbb", strokeDasharray: "4 3" },
      ),
      Plot.line(rows, { x: "fpr", y: "tpr", stroke: "group", strokeWidth: 2, sort: null }),
    ],
  }) as PlotElement;
  const svg = svgOf(plot);
  const x = plot.scale("x")!;
  const y = plot.scale("y")!;
  const dots = engine.groups.map((_, g) => {
    const c = svgEl("circle", {
      r: 6,
      fill: groupColour(g),
      stroke: "#fff",
      "stroke-width": 2,
      class: "operating-point",
    });
    svg.append(c);
    return c;
  });
  return {
    node: plot,
    update(rules) {
      const table = engine.table(rules);
      dots.forEach((dot, g) => {
        const fpr = metricOf(table, g, "false_positive_rate");
        const tpr = metricOf(table, g, "true_positive_rate");
        if (Number.isNaN(fpr) || Number.isNaN(tpr)) {
          dot.setAttribute("visibility", "hidden");
          return;
        }
        dot.setAttribute("visibility", "visible");
        dot.setAttribute("cx", String(x.apply!(fpr)));
        dot.setAttribute("cy", String(y.apply!(tpr)));
      });
    },
  };
}

/** Curves of each criterion's gap as one shared threshold moves, with the current threshold. */
export function criteriaSweepChart(
  engine: LiveEngine,
  curves: { name: string; label: string; at: (rules: Rule[]) => number }[],
  width: number,
  tolerance: number,
): LiveChart {
  const [lo, hi] = engine.scoreRange;
  const rows: { t: number; value: number; criterion: string }[] = [];
  const steps = 200;
  for (let k = 0; k <= steps; k++) {
    const t = lo + ((hi - lo) * k) / steps;
    const rules = engine.groups.map(() => thresholdRule(t));
    for (const c of curves) rows.push({ t, value: c.at(rules), criterion: c.label });
  }
  const labels = curves.map((c) => c.label);
  const largest = rows.reduce((m, r) => (Number.isNaN(r.value) ? m : Math.max(m, r.value)), tolerance);
  const plot = Plot.plot({
    width,
    height: 240,
    marginLeft: 48,
    marginBottom: 40,
    style: { fontSize: "12px" },
    x: { label: "threshold τ (same for every group)", domain: [lo, hi] },
    y: { label: "gap between groups", grid: true, domain: [0, Math.min(1, Math.max(0.2, largest * 1.1))] },
    color: { domain: labels, range: labels.map((_, k) => PALETTE[[2, 3, 5, 0, 1][k % 5]]), legend: true },
    marks: [
      Plot.ruleY([tolerance], { stroke: "#777", strokeDasharray: "2 3" }),
      Plot.line(
        rows.filter((r) => !Number.isNaN(r.value)),
        { x: "t", y: "value", stroke: "criterion", strokeWidth: 2, z: "criterion" },
      ),
    ],
  }) as PlotElement;
  const svg = svgOf(plot);
  const [top, bottom] = frameY(plot);
  const [left, right] = frameX(plot);
  const line = svgEl("line", { y1: top, y2: bottom, stroke: "#222", "stroke-width": 2, class: "threshold-line" });
  svg.append(line);
  const x = plot.scale("x")!;
  return {
    node: plot,
    update(rules) {
      const ts = rules.map((r) => (isPlainThreshold(r) ? r.cuts[0] : Number.NaN));
      const shared = ts.every((t) => t === ts[0]) && !Number.isNaN(ts[0]);
      line.setAttribute("visibility", shared ? "visible" : "hidden");
      if (!shared) return;
      const px = Math.min(right, Math.max(left, x.apply!(ts[0]) as number));
      line.setAttribute("x1", String(px));
      line.setAttribute("x2", String(px));
    },
  };
}
