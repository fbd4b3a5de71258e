/**
 * Plain tables in the three text formats the commands print: aligned text for a terminal,
 * GitHub Markdown, and CSV (RFC 4180 quoting). Every command's `--format table|markdown|csv`
 * goes through here so they all look alike.
 */

/** Output formats of the commands. `json` is handled by each command (it has its own schema). */
export type OutputFormat = "table" | "json" | "markdown" | "csv";

/** The formats, for `parseChoice`. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "markdown", "csv"];

/** A table: header cells and rows of cells (already formatted as text). */
export interface TextTable {
  headers: string[];
  rows: string[][];
  /** Per column: right-align (numbers). Default: left for the first column, right for the rest. */
  alignRight?: boolean[];
}

/** A metric value for people: `digits` decimals, `—` for undefined (NaN/null). */
export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return value.toFixed(digits);
}

/** A signed value for people (`+0.053`, `-0.095`); below 1e-12 in size it is rounding dust of an exact 0 and prints as 0. */
export function formatSigned(value: number): string {
  if (!Number.isFinite(value)) return "NaN";
  if (Math.abs(value) < 1e-12) return "0";
  return `${value > 0 ? "+" : ""}${formatNumber(value)}`;
}

/** A count for people: thousands separated (`6,172`), up to 2 decimals for weighted counts. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Aligned text columns separated by two spaces. */
export function renderText(table: TextTable): string {
  const widths = table.headers.map((h, c) => Math.max(h.length, ...table.rows.map((r) => (r[c] ?? "").length)));
  const right = table.alignRight ?? table.headers.map((_, c) => c > 0);
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(table.headers), ...table.rows.map(line)].join("\n");
}

function escapeMarkdown(cell: string): string {
  return cell.replaceAll("|", "\\|");
}

/** A GitHub Markdown table. */
export function renderMarkdown(table: TextTable): string {
  const right = table.alignRight ?? table.headers.map((_, c) => c > 0);
  return [
    `| ${table.headers.map(escapeMarkdown).join(" | ")} |`,
    `|${right.map((r) => (r ? " ---: " : " --- ")).join("|")}|`,
    ...table.rows.map((row) => `| ${row.map(escapeMarkdown).join(" | ")} |`),
  ].join("\n");
}

function csvCell(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** CSV with a header row (fields quoted only when needed). */
export function renderCsv(table: TextTable): string {
  return [table.headers, ...table.rows].map((row) => row.map(csvCell).join(",")).join("\n");
}
