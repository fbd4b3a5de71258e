/**
 * The JSON report: the report data as it is, with undefined numbers (NaN, ±∞) written as null
 * and typed arrays as plain arrays, indented for diffing. `model_card.model_card` is a Model Card
 * Toolkit v0.0.2 object that tools built for that schema can read on its own.
 */
import type { ReportData } from "../audit/report-data.js";
import { documentText } from "../core/document.js";

/**
 * Renders a report as JSON text.
 *
 * @example
 * const json = JSON.parse(renderJson(data));
 * json.model_card.model_card.schema_version; // "0.0.2"
 */
export function renderJson(data: ReportData): string {
  return `${documentText(data)}\n`;
}
