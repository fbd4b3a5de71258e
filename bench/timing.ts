/** Small timing helpers shared by the benchmarks. */

/** Runs `f` `repeats` times (after one warm-up) and returns the median wall time in milliseconds. */
export function medianMs(f: () => unknown, repeats = 5): number {
  f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Async version of {@link medianMs}. */
export async function medianMsAsync(f: () => Promise<unknown>, repeats = 3): Promise<number> {
  await f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Formats a row count per second. */
export function rate(rows: number, ms: number): string {
  return `${((rows / ms) * 1000).toExponential(2)} rows/s`;
}
