/** Number display: the DOM shows rounded text and keeps the exact value in `data-value`. */

export function fmt(x: number, digits = 3): string {
  if (Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return x > 0 ? "+∞" : "−∞";
  return x.toFixed(digits);
}

/** Writes a number into an element: rounded text, exact value (or "NaN") in data-value. */
export function setNumber(el: Element, x: number, digits = 3): void {
  const text = fmt(x, digits);
  if (el.textContent !== text) el.textContent = text;
  el.setAttribute("data-value", Number.isNaN(x) ? "NaN" : String(x));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** `document.getElementById` that fails loudly. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

/** The first letter in upper case (`TPR` stays `TPR`, `selection` becomes `Selection`). */
export function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
