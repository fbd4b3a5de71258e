/** Deterministic train/test splits. */
import { FairkitError, messages } from "../core/errors.js";
import { createRandom } from "../core/random.js";

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** Share of rows in the test part, in (0, 1); default 0.3. */
  testFraction?: number;
  /** Shuffle before splitting (seeded); default true. Without it the first rows train, the rest test. */
  shuffle?: boolean;
  /** Seed of the shuffle; default 0. */
  seed?: number;
}

/**
 * Splits row indexes 0…n−1 into train and test. The train part has `round(n · (1 − testFraction))`
 * rows; both index lists are in ascending row order. The same `n`, fraction and seed give the same
 * split on every machine.
 *
 * @example
 * trainTestSplit(32561, { testFraction: 0.3, shuffle: false }); // train = rows 0…22792, test = the rest
 */
export function trainTestSplit(n: number, options: SplitOptions = {}): { train: Int32Array; test: Int32Array } {
  const testFraction = options.testFraction ?? 0.3;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new FairkitError("BAD_ARGUMENT", messages.notBetweenZeroAndOne("testFraction", testFraction), {
      argument: "testFraction",
    });
  }
  if (!(Number.isInteger(n) && n >= 2))
    throw new FairkitError("BAD_ARGUMENT", messages.splitTooSmall(n), { argument: "n" });
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(n * (1 - testFraction))));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (options.shuffle ?? true) {
    const rng = createRandom(options.seed ?? 0);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
  return { train: order.slice(0, nTrain).sort(), test: order.slice(nTrain).sort() };
}
