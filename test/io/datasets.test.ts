/**
 * The dataset loaders: download from a local HTTP server on 127.0.0.1 (no internet here) serving
 * the shared files, SHA-256 verification, the cache, and the `from` override.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DATASETS, datasetFile, loadAdult, loadCompas, sha256File } from "../../src/node/io/datasets.js";
import { runCli } from "../cli/run-cli.js";
import { adultRows, compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-datasets-test-"));
let server: Server;
let baseUrl = "";
const requests: string[] = [];
let corrupt = false;

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const name = (req.url ?? "").replace(/^\/data\//, "");
    const path = name === "compas-scores-two-years.csv" || name === "adult.data" ? dataPath(name) : undefined;
    if (!path) {
      res.writeHead(404).end("not found");
      return;
    }
    const body = readFileSync(path);
    if (corrupt) body[10] ^= 1;
    res.writeHead(200, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const skip = skipWithoutData("compas-scores-two-years.csv") || skipWithoutData("adult.data");

describe("dataset loaders", { skip }, () => {
  test("the shared copies have the published SHA-256", async () => {
    assert.equal(await sha256File(dataPath("compas-scores-two-years.csv")!), DATASETS.compas.sha256);
    assert.equal(await sha256File(dataPath("adult.data")!), DATASETS.adult.sha256);
  });

  test("downloads into the cache once, verified; later calls use the cache", async () => {
    const cache = join(dir, "cache1");
    requests.length = 0;
    const path = await datasetFile("compas", { cacheDir: cache, baseUrl });
    assert.equal(path, join(cache, "compas-scores-two-years.csv"));
    assert.deepEqual(requests, ["/data/compas-scores-two-years.csv"]);
    assert.equal(await sha256File(path), DATASETS.compas.sha256);
    await datasetFile("compas", { cacheDir: cache, baseUrl });
    assert.equal(requests.length, 1);
  });

  test("a download with the wrong digest is refused and not cached", async () => {
    const cache = join(dir, "cache2");
    corrupt = true;
    try {
      await assert.rejects(
        datasetFile("adult", { cacheDir: cache, baseUrl }),
        /SHA-256 is [0-9a-f]{64}, expected a0351cca/,
      );
    } finally {
      corrupt = false;
    }
    assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], []);
  });

  test("an unreachable origin says how to pass a local copy", async () => {
    await assert.rejects(
      datasetFile("adult", { cacheDir: join(dir, "cache3"), baseUrl: `${baseUrl}/missing` }),
      /cannot download adult\.data from .*HTTP 404.*pass a local copy with --from FILE/,
    );
  });

  test("loadCompas: 6,172 rows after the usual filter (7,214 without), same as an independent parse", async () => {
    const cache = join(dir, "cache4");
    const compas = await loadCompas({ cacheDir: cache, baseUrl });
    assert.equal(compas.n, 6172);
    const rows = compasFiltered();
    assert.deepEqual(
      compas.columns.race,
      rows.map((r) => r.race),
    );
    assert.deepEqual(
      compas.columns.two_year_recid,
      rows.map((r) => Number(r.two_year_recid)),
    );
    assert.ok("decile_score_1" in compas.columns && "priors_count_1" in compas.columns);
    const all = await loadCompas({
      from: dataPath("compas-scores-two-years.csv")!,
      cacheDir: join(dir, "cache-from"),
      filter: false,
    });
    assert.equal(all.n, 7214);
  });

  test("loadAdult from a local file: named columns, text trimmed, missing values (? or MissingValue) null", async () => {
    const adult = await loadAdult({ from: dataPath("adult.data")!, cacheDir: join(dir, "cache-from") });
    const rows = adultRows();
    assert.equal(adult.n, 32561);
    assert.deepEqual(
      adult.columns.income,
      rows.map((r) => r.income),
    );
    assert.deepEqual(
      adult.columns.age,
      rows.map((r) => Number(r.age)),
    );
    const missing = (v: string) => v === "?" || v === "MissingValue";
    assert.deepEqual(
      adult.columns.workclass,
      rows.map((r) => (missing(r.workclass) ? null : r.workclass)),
    );
    assert.equal(adult.columns.workclass.filter((v) => v === null).length, 1836);
  });

  test("a local copy that is not the published file is refused, and nothing enters the data folder", async () => {
    const cache = join(dir, "cache-bad-from");
    await assert.rejects(
      loadAdult({ from: dataPath("compas-scores-two-years.csv")!, cacheDir: cache }),
      /SHA-256 is c451db85.*expected a0351cca/,
    );
    assert.equal(existsSync(join(cache, "adult.data")), false);
  });

  test("fairkit data adult downloads to $FAIRKIT_DATA_DIR and prints the path; --from copies into it; -o copies out", async () => {
    const cache = join(dir, "cache5");
    const run = await runCli(["data", "adult"], { env: { FAIRKIT_DATA_DIR: cache, FAIRKIT_DATA_BASE_URL: baseUrl } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), join(cache, "adult.data"));
    const out = join(dir, "copy.csv");
    const run2 = await runCli(["data", "compas", "--from", dataPath("compas-scores-two-years.csv")!, "-o", out], {
      env: { FAIRKIT_DATA_DIR: cache },
    });
    assert.equal(run2.code, 0, run2.stderr);
    assert.equal(await sha256File(out), DATASETS.compas.sha256);
    assert.equal(
      await sha256File(join(cache, "compas-scores-two-years.csv")),
      DATASETS.compas.sha256,
      "--from copies into the data folder",
    );
    // The tests' own helper finds what `fairkit data` put in the folder.
    assert.equal(dataPath("adult.data", [cache]), join(cache, "adult.data"));
    const bad = await runCli(["data", "iris"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown data set "iris"; known: compas, adult/);
  });
});
