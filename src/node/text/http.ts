/**
 * Scorers and generators over HTTP: any JSON API that scores texts, and OpenAI-compatible chat or
 * completion endpoints that answer prompts. Requests go out in batches with at most
 * `concurrency` in flight; a timeout, a network error, 408, 429 and 5xx are retried with
 * exponential backoff (honouring Retry-After); any other 4xx fails at once with the endpoint's own
 * message. Answers are cached on disk (one NDJSON file per endpoint and settings, keyed by the
 * SHA-256 of the text), so a rerun asks the endpoint nothing it has answered before.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { FairkitError, type TextGenerator, type TextScorer } from "fairkit/internal";
import { textMessages } from "./messages.js";

/** How requests are sent, retried and cached. */
export interface HttpOptions {
  /** Extra request headers (e.g. `Authorization`). */
  headers?: Record<string, string>;
  /** Texts per request, for endpoints that take a list (default 32). */
  batchSize?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Milliseconds before a request is given up and retried (default 30,000). */
  timeoutMs?: number;
  /** First backoff in milliseconds, doubled at each retry (default 500). */
  backoffMs?: number;
  /** A folder for the answer cache; false (the default) caches nothing. */
  cache?: string | false;
  /** Called once per HTTP attempt, for progress and tests. */
  onRequest?: (attempt: number) => void;
}

/** Options of {@link httpScorer}. */
export interface HttpScorerOptions extends HttpOptions {
  /**
   * The request body as JSON, with the string `"$texts"` where the batch goes (an array), or
   * `"$text"` where one text goes (one request per text). Default `{ "texts": "$texts" }`.
   */
  body?: unknown;
  /**
   * Where the scores are in the response: a dot path, `*` mapping over an array, e.g. `scores`,
   * `results.*.score`, `0.*.score`. Default: the response itself if it is an array, else `scores`.
   * With `"$text"` the path leads to one number.
   */
  path?: string;
}

/** Options of {@link openAIGenerator}. */
export interface OpenAIGeneratorOptions extends HttpOptions {
  /** The model name the endpoint expects. */
  model: string;
  /** "chat" posts to `/chat/completions` (default), "completions" to `/completions`. */
  endpoint?: "chat" | "completions";
  /** A system message before each prompt (chat only). */
  system?: string;
  /** Default 0, so that counterfactual prompts differ only by their term, not by sampling. */
  temperature?: number;
  /** Default 256. */
  maxTokens?: number;
  /** Sent as `Authorization: Bearer …` (default `$OPENAI_API_KEY` when set). */
  apiKey?: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** An on-disk map from text to answer, appended as answers arrive. */
class AnswerCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly file: string | undefined;
  private readonly dir: string | undefined;

  constructor(dir: string | false | undefined, settings: unknown) {
    if (!dir) return;
    this.dir = dir;
    this.file = join(dir, `${sha256(JSON.stringify(settings)).slice(0, 32)}.ndjson`);
    if (existsSync(this.file)) {
      // A line cut short by a crash is skipped; every whole line is an answer.
      for (const line of readFileSync(this.file, "utf8").split("\n")) {
        if (line === "") continue;
        try {
          const { k, v } = JSON.parse(line) as { k: string; v: V };
          this.entries.set(k, v);
        } catch {}
      }
    }
  }

  get(text: string): V | undefined {
    return this.entries.get(sha256(text));
  }

  async set(pairs: readonly [string, V][]): Promise<void> {
    for (const [text, v] of pairs) this.entries.set(sha256(text), v);
    if (!this.file || !this.dir || pairs.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file, pairs.map(([text, v]) => `${JSON.stringify({ k: sha256(text), v })}\n`).join(""));
  }
}

const RETRIED = new Set([408, 425, 429, 500, 502, 503, 504]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Posts JSON with retries; returns the parsed response. */
async function postJson(url: string, body: unknown, options: HttpOptions): Promise<unknown> {
  const retries = options.retries ?? 3;
  const timeout = options.timeoutMs ?? 30_000;
  let wait = options.backoffMs ?? 500;
  let last = "";
  for (let attempt = 0; attempt <= retries; attempt++) {
    options.onRequest?.(attempt);
    let retryAfter: number | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      if (response.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw new FairkitError("SERVICE_ERROR", textMessages.httpNotJson(url, text));
        }
      }
      last = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      if (!RETRIED.has(response.status))
        throw new FairkitError("SERVICE_ERROR", textMessages.httpRefused(url, response.status, text));
      const header = Number(response.headers.get("retry-after"));
      if (Number.isFinite(header) && header >= 0) retryAfter = Math.min(60_000, header * 1000);
    } catch (error) {
      if (error instanceof FairkitError) throw error;
      const e = error as Error;
      last = e.name === "TimeoutError" ? `no answer within ${timeout} ms` : (e.cause as Error)?.message || e.message;
    }
    if (attempt < retries) {
      await sleep(retryAfter ?? wait);
      wait *= 2;
    }
  }
  throw new FairkitError("SERVICE_ERROR", textMessages.httpGaveUp(url, retries + 1, last));
}

/** Runs `tasks` with at most `limit` at once; rejects with the first failure. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < tasks.length && failed === undefined) {
      const i = next++;
      try {
        out[i] = await tasks[i]();
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failed !== undefined) throw failed;
  return out;
}

/** Replaces the string "$texts" (or "$text") anywhere in `template` by `value`. */
function fillBody(template: unknown, placeholder: string, value: unknown): unknown {
  if (template === placeholder) return value;
  if (Array.isArray(template)) return template.map((t) => fillBody(t, placeholder, value));
  if (typeof template === "object" && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillBody(v, placeholder, value)]));
  }
  return template;
}

function contains(template: unknown, placeholder: string): boolean {
  if (template === placeholder) return true;
  if (Array.isArray(template)) return template.some((t) => contains(t, placeholder));
  if (typeof template === "object" && template !== null)
    return Object.values(template).some((v) => contains(v, placeholder));
  return false;
}

/** Follows a dot path with `*` over arrays. */
export function followPath(value: unknown, path: string): unknown {
  if (path === "") return value;
  const [head, ...rest] = path.split(".");
  const tail = rest.join(".");
  if (head === "*") return Array.isArray(value) ? value.map((v) => followPath(v, tail)) : undefined;
  if (value === null || typeof value !== "object") return undefined;
  return followPath((value as Record<string, unknown>)[head], tail);
}

/**
 * A scorer that posts texts to a JSON endpoint.
 *
 * @example
 * const toxicity = httpScorer("http://127.0.0.1:8000/score", { body: { inputs: "$texts" }, path: "*.score", cache: ".cache" });
 */
export function httpScorer(url: string, options: HttpScorerOptions = {}): TextScorer {
  const body = options.body ?? { texts: "$texts" };
  const single = contains(body, "$text");
  if (!single && !contains(body, "$texts"))
    throw new FairkitError("BAD_ARGUMENT", textMessages.httpBodyPlaceholder(JSON.stringify(body)));
  const cache = new AnswerCache<number>(options.cache, { kind: "score", url, body, path: options.path ?? null });
  const size = single ? 1 : Math.max(1, options.batchSize ?? 32);

  const extract = (response: unknown, count: number): number[] => {
    const found =
      options.path !== undefined
        ? followPath(response, options.path)
        : single
          ? response
          : Array.isArray(response)
            ? response
            : followPath(response, "scores");
    const list = single ? [found] : found;
    if (
      !Array.isArray(list) ||
      list.length !== count ||
      list.some((v) => typeof v !== "number" || !Number.isFinite(v))
    ) {
      throw new FairkitError(
        "SERVICE_ERROR",
        textMessages.httpScoresShape(url, options.path, count, JSON.stringify(response)),
      );
    }
    return list as number[];
  };

  return {
    name: `http:${url}`,
    async score(texts) {
      const out = new Float64Array(texts.length);
      const missing: number[] = [];
      texts.forEach((t, i) => {
        const hit = cache.get(t);
        if (hit === undefined) missing.push(i);
        else out[i] = hit;
      });
      const batches: number[][] = [];
      for (let s = 0; s < missing.length; s += size) batches.push(missing.slice(s, s + size));
      await pool(
        batches.map((batch) => async () => {
          const payload = single
            ? fillBody(body, "$text", texts[batch[0]])
            : fillBody(
                body,
                "$texts",
                batch.map((i) => texts[i]),
              );
          const scores = extract(await postJson(url, payload, options), batch.length);
          batch.forEach((i, k) => {
            out[i] = scores[k];
          });
          await cache.set(batch.map((i, k) => [texts[i], scores[k]]));
        }),
        options.concurrency ?? 4,
      );
      return out;
    },
  };
}

/**
 * A generator over an OpenAI-compatible endpoint (`baseUrl` as `http://127.0.0.1:8080/v1`): one
 * request per prompt, `temperature` 0 by default.
 *
 * @example
 * const chat = openAIGenerator("http://127.0.0.1:8080/v1", { model: "llama-3-8b", cache: ".cache" });
 */
export function openAIGenerator(baseUrl: string, options: OpenAIGeneratorOptions): TextGenerator {
  const endpoint = options.endpoint ?? "chat";
  const url = `${baseUrl.replace(/\/+$/, "")}/${endpoint === "chat" ? "chat/completions" : "completions"}`;
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  const settings = {
    model: options.model,
    temperature: options.temperature ?? 0,
    max_tokens: options.maxTokens ?? 256,
  };
  const cache = new AnswerCache<string>(options.cache, {
    kind: "generate",
    url,
    ...settings,
    system: options.system ?? null,
  });
  const http: HttpOptions = {
    ...options,
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...options.headers },
  };

  const ask = async (prompt: string): Promise<string> => {
    const body =
      endpoint === "chat"
        ? {
            ...settings,
            messages: [
              ...(options.system ? [{ role: "system", content: options.system }] : []),
              { role: "user", content: prompt },
            ],
          }
        : { ...settings, prompt };
    const response = await postJson(url, body, http);
    const text = followPath(response, endpoint === "chat" ? "choices.0.message.content" : "choices.0.text");
    if (typeof text !== "string")
      throw new FairkitError("SERVICE_ERROR", textMessages.httpResponseShape(url, JSON.stringify(response)));
    return text;
  };

  return {
    name: `openai:${url} (${options.model})`,
    async generate(prompts) {
      const out: string[] = new Array(prompts.length);
      const tasks: (() => Promise<void>)[] = [];
      prompts.forEach((p, i) => {
        const hit = cache.get(p);
        if (hit !== undefined) out[i] = hit;
        else
          tasks.push(async () => {
            out[i] = await ask(p);
            await cache.set([[p, out[i]]]);
          });
      });
      await pool(tasks, options.concurrency ?? 4);
      return out;
    },
  };
}
