/**
 * Small inline SVG charts for the reports, written by hand rather than with a plotting library:
 * they must be byte-for-byte deterministic, run in the browser and in Node without a DOM (no
 * jsdom), make no request, print sharply at any size and stay readable in greyscale. Two shapes
 * cover what a report shows: horizontal bars with interval whiskers (rates per group, impact
 * ratios against a 0.8 line) and lines (ROC curves).
 *
 * Colours are the Okabe–Ito palette, safe for the common colour-vision deficiencies; a flagged bar
 * is also hatched and labelled, so colour is never the only cue.
 */

/** Okabe–Ito colours. */
export const PALETTE = {
  blue: "#0072B2",
  orange: "#E69F00",
  green: "#009E73",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  sky: "#56B4E9",
  yellow: "#F0E442",
  black: "#000000",
  grey: "#6b6b6b",
} as const;

/** Line colours, in order. */
export const SERIES_COLOURS = [
  PALETTE.blue,
  PALETTE.orange,
  PALETTE.green,
  PALETTE.vermillion,
  PALETTE.purple,
  PALETTE.sky,
  PALETTE.black,
];

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** One bar. */
export interface BarDatum {
  label: string;
  value: number | null;
  low?: number | null;
  high?: number | null;
  /** Shown after the label, e.g. `n = 120`. */
  note?: string;
  /** Drawn hatched in vermillion with a "!" mark. */
  flagged?: boolean;
}

/** Options of {@link barChart}. */
export interface BarChartOptions {
  title: string;
  bars: readonly BarDatum[];
  /** Value axis range (default [0, 1]). */
  domain?: [number, number];
  /** A dashed vertical reference line (e.g. 0.8 for impact ratios) with its label. */
  reference?: { value: number; label: string };
  /** Width in px (default 640). */
  width?: number;
  /** Format of the value labels (default 3 decimals). */
  format?: (v: number) => string;
}

const fmt3 = (v: number) => v.toFixed(3);

/**
 * A bar's label shortened to `maxChars`, never through its note: the group name is cut (with an
 * ellipsis) so that "(n = 549)" stays whole; when even the note does not fit, it is left out
 * (the full text is in the tooltip). A shortened label must never change a number.
 */
export function shortLabel(bar: Pick<BarDatum, "label" | "note">, maxChars: number): string {
  const cut = (text: string, room: number) =>
    text.length <= room ? text : room <= 1 ? "…" : `${text.slice(0, room - 1)}…`;
  if (!bar.note) return cut(bar.label, maxChars);
  const full = `${bar.label} (${bar.note})`;
  if (full.length <= maxChars) return full;
  const room = maxChars - bar.note.length - 3;
  return room >= 2 ? `${cut(bar.label, room)} (${bar.note})` : cut(bar.label, maxChars);
}

/**
 * Horizontal bars with interval whiskers, one row per group.
 *
 * @example
 * barChart({ title: "Selection rate", bars: [{ label: "A", value: 0.4, low: 0.35, high: 0.45 }] });
 */
export function barChart(options: BarChartOptions): string {
  const width = options.width ?? 640;
  const [d0, d1] = options.domain ?? [0, 1];
  const format = options.format ?? fmt3;
  const labelOf = (b: BarDatum) => (b.note ? `${b.label} (${b.note})` : b.label);
  // Labels get up to half the width; longer ones are shortened with an ellipsis (the full text is in the tooltip).
  const labelWidth = Math.min(width * 0.5, 16 + 6.6 * Math.max(4, ...options.bars.map((b) => labelOf(b).length)));
  const maxChars = Math.floor((labelWidth - 16) / 6.6);
  const valueWidth = 56;
  const plotLeft = labelWidth;
  const plotWidth = width - labelWidth - valueWidth - 10;
  const rowHeight = 22;
  const top = options.reference ? 44 : 30;
  const height = top + rowHeight * options.bars.length + 28;
  const x = (v: number) => plotLeft + ((Math.min(Math.max(v, d0), d1) - d0) / (d1 - d0)) * plotWidth;
  const parts: string[] = [];
  const id = `h${hash(options.title)}`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="${id}-t">${escapeXml(options.title)}</title>`,
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${PALETTE.vermillion}" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="${PALETTE.vermillion}" stroke-width="2.5"/></pattern></defs>`,
    `<text x="0" y="16" font-weight="600" font-size="13">${escapeXml(options.title)}</text>`,
  );
  // Gridlines and axis ticks at fifths of the domain.
  for (let k = 0; k <= 5; k++) {
    const v = d0 + ((d1 - d0) * k) / 5;
    const gx = x(v);
    parts.push(
      `<line x1="${gx.toFixed(1)}" y1="${top - 4}" x2="${gx.toFixed(1)}" y2="${height - 24}" stroke="#d0d0d0" stroke-width="1"/>`,
      `<text x="${gx.toFixed(1)}" y="${height - 10}" text-anchor="middle" fill="#444">${format(v).replace(/0+$/, "").replace(/\.$/, "")}</text>`,
    );
  }
  options.bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const label = labelOf(bar);
    const shown = shortLabel(bar, maxChars);
    parts.push(
      `<text x="${plotLeft - 6}" y="${y + 15}" text-anchor="end"><title>${escapeXml(label)}</title>${escapeXml(shown)}</text>`,
    );
    if (bar.value === null || !Number.isFinite(bar.value)) {
      parts.push(`<text x="${plotLeft + 4}" y="${y + 15}" fill="#666" font-style="italic">undefined</text>`);
      return;
    }
    const fill = bar.flagged ? `url(#${id}-hatch)` : PALETTE.blue;
    const stroke = bar.flagged ? PALETTE.vermillion : PALETTE.blue;
    const x0 = x(Math.max(d0, Math.min(0, d1)));
    const xv = x(bar.value);
    parts.push(
      `<rect x="${Math.min(x0, xv).toFixed(1)}" y="${y + 4}" width="${Math.max(1, Math.abs(xv - x0)).toFixed(1)}" height="${rowHeight - 8}" fill="${fill}" stroke="${stroke}" stroke-width="1"/>`,
    );
    if (
      bar.low !== undefined &&
      bar.high !== undefined &&
      bar.low !== null &&
      bar.high !== null &&
      Number.isFinite(bar.low) &&
      Number.isFinite(bar.high)
    ) {
      const xl = x(bar.low);
      const xh = x(bar.high);
      const ym = y + rowHeight / 2;
      parts.push(
        `<line x1="${xl.toFixed(1)}" y1="${ym}" x2="${xh.toFixed(1)}" y2="${ym}" stroke="#000" stroke-width="1.5"/>`,
        `<line x1="${xl.toFixed(1)}" y1="${ym - 5}" x2="${xl.toFixed(1)}" y2="${ym + 5}" stroke="#000" stroke-width="1.5"/>`,
        `<line x1="${xh.toFixed(1)}" y1="${ym - 5}" x2="${xh.toFixed(1)}" y2="${ym + 5}" stroke="#000" stroke-width="1.5"/>`,
      );
    }
    parts.push(
      `<text x="${plotLeft + plotWidth + 6}" y="${y + 15}">${escapeXml(format(bar.value))}${bar.flagged ? " !" : ""}</text>`,
    );
  });
  if (options.reference) {
    const rx = x(options.reference.value);
    parts.push(
      `<line x1="${rx.toFixed(1)}" y1="${top - 6}" x2="${rx.toFixed(1)}" y2="${height - 24}" stroke="${PALETTE.vermillion}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text x="${rx.toFixed(1)}" y="${top - 9}" text-anchor="middle" fill="${PALETTE.vermillion}" font-size="11">${escapeXml(options.reference.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("");
}

/** One line of a {@link lineChart}. */
export interface LineSeries {
  label: string;
  points: readonly [number, number][];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  title: string;
  series: readonly LineSeries[];
  xLabel: string;
  yLabel: string;
  /** Draw the diagonal y = x (chance for ROC, perfect calibration for reliability). */
  diagonal?: boolean;
  /** Width and height in px (default 360). */
  size?: number;
}

/**
 * Lines on the unit square (ROC curves, reliability diagrams), with a legend.
 *
 * @example
 * lineChart({ title: "ROC", xLabel: "FPR", yLabel: "TPR", diagonal: true, series: [{ label: "A", points: [[0, 0], [0.2, 0.7], [1, 1]] }] });
 */
export function lineChart(options: LineChartOptions): string {
  const size = options.size ?? 360;
  const legendHeight = 18 * options.series.length;
  const left = 44;
  const top = 28;
  const plot = size - left - 12;
  const height = top + plot + 40 + legendHeight;
  const x = (v: number) => left + v * plot;
  const y = (v: number) => top + (1 - v) * plot;
  const id = `l${hash(options.title)}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${id}-t" viewBox="0 0 ${size} ${height}" width="${size}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title id="${id}-t">${escapeXml(options.title)}</title>`,
    `<text x="0" y="16" font-weight="600" font-size="13">${escapeXml(options.title)}</text>`,
    `<rect x="${left}" y="${top}" width="${plot}" height="${plot}" fill="none" stroke="#999"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = k / 4;
    parts.push(
      `<line x1="${x(v).toFixed(1)}" y1="${top}" x2="${x(v).toFixed(1)}" y2="${top + plot}" stroke="#e0e0e0"/>`,
      `<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${left + plot}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`,
      `<text x="${x(v).toFixed(1)}" y="${top + plot + 14}" text-anchor="middle" fill="#444">${v}</text>`,
      `<text x="${left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#444">${v}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plot / 2}" y="${top + plot + 30}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="12" y="${top + plot / 2}" text-anchor="middle" transform="rotate(-90 12 ${top + plot / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  if (options.diagonal)
    parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#888" stroke-dasharray="4 3"/>`);
  const dashes = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", ""];
  options.series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    const dash = dashes[i % dashes.length];
    const d = s.points
      .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b))
      .map(([a, b], k) => `${k === 0 ? "M" : "L"}${x(a).toFixed(1)},${y(b).toFixed(1)}`)
      .join("");
    parts.push(
      `<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
    );
    const ly = top + plot + 44 + 18 * i;
    parts.push(
      `<line x1="${left}" y1="${ly - 4}" x2="${left + 28}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
      `<text x="${left + 34}" y="${ly}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}

/** Reduces a long point list to at most `max` points (keeping the ends), so inline SVG stays small. */
export function thinPoints(points: readonly [number, number][], max = 200): [number, number][] {
  if (points.length <= max) return points.map((p) => [p[0], p[1]]);
  const out: [number, number][] = [];
  const step = (points.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) {
    const p = points[Math.round(k * step)];
    out.push([p[0], p[1]]);
  }
  return out;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
