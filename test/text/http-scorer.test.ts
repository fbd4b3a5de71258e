/**
 * The HTTP scorer and the OpenAI-compatible generator against a server the test starts on
 * loopback: batching, retries after 503 and timeouts, no retry after 400, and the cache (a rerun
 * sends nothing).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { httpScorer, openAIGenerator } from "../../src/node/text/http.js";

let server: Server;
let base = "";
const seen: { path: string; body: unknown }[] = [];
let failNext = 0;
let hangNext = 0;
const dir = mkdtempSync(join(tmpdir(), "fk-http-"));

before(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const body = JSON.parse(raw || "null");
      seen.push({ path: req.url ?? "", body });
      if (hangNext > 0) {
        hangNext--;
        return; // never answers: the client's timeout must fire
      }
      if (failNext > 0) {
        failNext--;
        res.writeHead(503, { "retry-after": "0" }).end("busy");
        return;
      }
      if (req.url === "/bad") {
        res.writeHead(400).end('{"error":"texts must be a list"}');
        return;
      }
      if (req.url === "/score") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ results: body.inputs.map((t: string) => ({ score: t.length })) }));
        return;
      }
      if (req.url === "/v1/chat/completions") {
        const prompt = body.messages[body.messages.length - 1].content as string;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: `echo: ${prompt}` } }] }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("httpScorer", () => {
  test("batches, follows the path, and a rerun is answered from the cache", async () => {
    const options = { body: { inputs: "$texts" }, path: "results.*.score", batchSize: 2, cache: join(dir, "c1") };
    seen.length = 0;
    const scores = await httpScorer(`${base}/score`, options).score(["a", "bb", "ccc"]);
    assert.deepEqual(Array.from(scores), [1, 2, 3]);
    assert.equal(seen.length, 2, "two batches of at most 2");
    seen.length = 0;
    const again = await httpScorer(`${base}/score`, options).score(["ccc", "a", "bb"]);
    assert.deepEqual(Array.from(again), [3, 1, 2]);
    assert.equal(seen.length, 0, "every text from the cache");
  });

  test("503 and a timeout are retried; 400 is not", async () => {
    failNext = 2;
    seen.length = 0;
    const s = httpScorer(`${base}/score`, { body: { inputs: "$texts" }, path: "results.*.score", backoffMs: 1 });
    assert.deepEqual(Array.from(await s.score(["abcd"])), [4]);
    assert.equal(seen.length, 3);
    hangNext = 1;
    const t = httpScorer(`${base}/score`, {
      body: { inputs: "$texts" },
      path: "results.*.score",
      backoffMs: 1,
      timeoutMs: 200,
    });
    assert.deepEqual(Array.from(await t.score(["ab"])), [2]);
    seen.length = 0;
    await assert.rejects(
      httpScorer(`${base}/bad`, { backoffMs: 1 }).score(["x"]),
      /refused the request with HTTP 400: \{"error":"texts must be a list"\}/,
    );
    assert.equal(seen.length, 1);
    failNext = 10;
    await assert.rejects(
      httpScorer(`${base}/score`, { body: { inputs: "$texts" }, retries: 1, backoffMs: 1 }).score(["x"]),
      /did not answer after 2 attempts \(the last: HTTP 503: busy\)/,
    );
    failNext = 0;
  });

  test("a response without the scores where the path says is an error naming it", async () => {
    await assert.rejects(
      httpScorer(`${base}/score`, { body: { inputs: "$texts" }, path: "nothing" }).score(["x"]),
      /expected 1 finite number at path "nothing"/,
    );
    assert.throws(() => httpScorer(`${base}/score`, { body: { inputs: [] } }), /has no "\$texts"/);
  });
});

describe("openAIGenerator", () => {
  test("posts chat completions at temperature 0 and caches the answers", async () => {
    seen.length = 0;
    const options = { model: "test-model", cache: join(dir, "c2") };
    const out = await openAIGenerator(`${base}/v1`, options).generate(["hi", "there"]);
    assert.deepEqual(out, ["echo: hi", "echo: there"]);
    assert.equal((seen[0].body as { temperature: number }).temperature, 0);
    assert.equal((seen[0].body as { model: string }).model, "test-model");
    seen.length = 0;
    assert.deepEqual(await openAIGenerator(`${base}/v1`, options).generate(["there"]), ["echo: there"]);
    assert.equal(seen.length, 0);
  });
});
