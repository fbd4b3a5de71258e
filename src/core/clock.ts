/**
 * A millisecond clock for reporting how long a fit took, available in browsers and Node alike
 * (the browser-safe entry is type-checked against the language alone, without DOM or Node types).
 */
export function nowMs(): number {
  const performance = (globalThis as { performance?: { now(): number } }).performance;
  return performance ? performance.now() : Date.now();
}
