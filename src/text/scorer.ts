/**
 * Scorers and generators behind one interface each. A scorer turns texts into numbers (a
 * sentiment, a toxicity, a classifier's probability), a generator turns prompts into responses
 * (a chat model); both are batched and asynchronous, so a local function, an HTTP endpoint and a
 * local model look the same to the probe. The Node package brings VADER, HTTP and ONNX ones;
 * this file holds the interfaces and the checks every scorer's output goes through.
 */
import { FairkitError, messages } from "../core/errors.js";

/** Turns texts into numbers, one per text, in order. */
export interface TextScorer {
  /** Names the scorer in results ("vader", "http:https://…"). */
  readonly name: string;
  score(texts: readonly string[]): Promise<ArrayLike<number>>;
}

/** Turns prompts into responses, one per prompt, in order. */
export interface TextGenerator {
  readonly name: string;
  generate(prompts: readonly string[]): Promise<readonly string[]>;
}

/** How {@link scoreTexts} and {@link generateTexts} batch their calls. */
export interface BatchOptions {
  /** Texts per call (default 256). */
  batchSize?: number;
  /** Called after each batch with the number of texts done. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A scorer from a function of one text (sync or async).
 *
 * @example
 * const length = functionScorer((text) => text.length, "length");
 */
export function functionScorer(fn: (text: string) => number | Promise<number>, name = "function"): TextScorer {
  return { name, score: (texts) => Promise.all(texts.map((t) => fn(t))) };
}

/** A generator from a function of one prompt (sync or async). */
export function functionGenerator(fn: (prompt: string) => string | Promise<string>, name = "function"): TextGenerator {
  return { name, generate: (prompts) => Promise.all(prompts.map((p) => fn(p))) };
}

/** Scores every text in batches, checking that each batch returns one finite number per text. */
export async function scoreTexts(
  scorer: TextScorer,
  texts: readonly string[],
  options: BatchOptions = {},
): Promise<Float64Array> {
  const size = Math.max(1, options.batchSize ?? 256);
  const out = new Float64Array(texts.length);
  for (let start = 0; start < texts.length; start += size) {
    const batch = texts.slice(start, start + size);
    const scores = await scorer.score(batch);
    if (!scores || scores.length !== batch.length) {
      throw new FairkitError(
        "LENGTH_MISMATCH",
        messages.probeScoreCount(scorer.name, scores?.length ?? 0, batch.length),
      );
    }
    for (let i = 0; i < batch.length; i++) {
      const v = scores[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new FairkitError("BAD_SCORE", messages.probeScoreNotFinite(scorer.name, start + i, batch[i], v));
      }
      out[start + i] = v;
    }
    options.onProgress?.(Math.min(texts.length, start + size), texts.length);
  }
  return out;
}

/** Generates a response to every prompt in batches, checking that each is a string. */
export async function generateTexts(
  generator: TextGenerator,
  prompts: readonly string[],
  options: BatchOptions = {},
): Promise<string[]> {
  const size = Math.max(1, options.batchSize ?? 256);
  const out: string[] = [];
  for (let start = 0; start < prompts.length; start += size) {
    const batch = prompts.slice(start, start + size);
    const responses = await generator.generate(batch);
    if (!responses || responses.length !== batch.length) {
      throw new FairkitError(
        "LENGTH_MISMATCH",
        messages.probeResponseCount(generator.name, responses?.length ?? 0, batch.length),
      );
    }
    responses.forEach((r, i) => {
      if (typeof r !== "string")
        throw new FairkitError("BAD_ARGUMENT", messages.probeResponseNotText(generator.name, start + i, r));
      out.push(r);
    });
    options.onProgress?.(Math.min(prompts.length, start + size), prompts.length);
  }
  return out;
}
