/**
 * The packages people install: `npm run pack` builds fairkit and @fairkit/node into tarballs;
 * each is installed into a fresh folder and used as a consumer would — fairkit from ES modules,
 * from CommonJS, type-checked under node16 for both, and bundled for a browser; @fairkit/node's
 * `fairkit` command and library. The tarballs hold what they should and nothing else.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { VERSION } from "../../src/version.js";
import { VERSION as NODE_VERSION } from "../../src/node/version.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const build = join(root, "build");
const work = mkdtempSync(join(tmpdir(), "fairkit-packages-"));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" },
  });
const node = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `node ${args.join(" ")}\n${r.stderr}`);
  return r.stdout;
};

const manifest = (name: string) => JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const core = join(build, `fairkit-${VERSION}.tgz`);
const nodePackage = join(build, `fairkit-node-${VERSION}.tgz`);

before(() => {
  execFileSync(process.execPath, [join(root, "scripts/build-packages.mjs"), "--pack"], { cwd: root, stdio: "ignore" });
});

describe("the published packages", () => {
  test("versions agree: the core, @fairkit/node, both manifests, and dependency versions with the repository's", () => {
    assert.equal(NODE_VERSION, VERSION);
    assert.equal(manifest("fairkit").version, VERSION);
    assert.equal(manifest("fairkit-node").version, VERSION);
    assert.equal(rootManifest.version, VERSION);
    const deps = manifest("fairkit-node").dependencies as Record<string, string>;
    assert.equal(deps.fairkit, VERSION);
    for (const [name, version] of Object.entries(deps))
      if (name !== "fairkit")
        assert.equal(version, rootManifest.dependencies[name], `${name} pinned as in the repository`);
    assert.equal(manifest("fairkit").dependencies, undefined, "the core has no runtime dependencies");
    for (const name of ["fairkit", "fairkit-node"]) {
      assert.equal(manifest(name).license, "MIT");
      assert.ok(manifest(name).repository?.url);
      assert.equal(manifest(name).scripts, undefined, "no install or prepare scripts reach consumers");
    }
  });

  test("the tarballs hold the built code, types, schemas, README and LICENSE, and nothing else", () => {
    const files = (tarball: string) =>
      (JSON.parse(npm(["pack", "--dry-run", "--json", tarball], work))[0].files as { path: string }[])
        .map((f) => f.path)
        .sort();
    const coreFiles = files(core);
    assert.ok(coreFiles.includes("dist/esm/index.js") && coreFiles.includes("dist/esm/index.d.ts"));
    assert.ok(
      coreFiles.includes("dist/cjs/index.js") &&
        coreFiles.includes("dist/cjs/index.d.ts") &&
        coreFiles.includes("dist/cjs/package.json"),
    );
    assert.ok(
      coreFiles.includes("schemas/threshold-policy.schema.json") &&
        coreFiles.includes("LICENSE") &&
        coreFiles.includes("README.md"),
    );
    for (const f of coreFiles)
      assert.match(
        f,
        /^(dist\/(esm|cjs)\/|schemas\/|README\.md$|LICENSE$|package\.json$)/,
        `unexpected file in fairkit: ${f}`,
      );
    assert.ok(!coreFiles.some((f) => /(^|\/)(io|cli|node)\//.test(f)), "no Node code in the core");
    const nodeFiles = files(nodePackage);
    assert.ok(
      nodeFiles.includes("bin/fairkit.js") &&
        nodeFiles.includes("dist/cli/main.js") &&
        nodeFiles.includes("dist/index.d.ts"),
    );
    for (const f of nodeFiles)
      assert.match(f, /^(dist\/|bin\/|README\.md$|LICENSE$|package\.json$)/, `unexpected file in @fairkit/node: ${f}`);
    // Source maps carry their sources, so nothing points to files that are not shipped.
    const map = JSON.parse(readFileSync(join(build, "fairkit/dist/esm/core/metric-frame.js.map"), "utf8"));
    assert.ok(Array.isArray(map.sourcesContent) && map.sourcesContent[0].includes("class MetricFrame"));
  });

  describe("fairkit, installed alone", () => {
    const dir = join(work, "core-consumer");
    before(() => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
      npm(["install", "--prefer-offline", "--no-package-lock", core], dir);
    });

    test("it brings nothing else: no dependencies, no native code", () => {
      assert.deepEqual(
        readdirSync(join(dir, "node_modules")).filter((n) => !n.startsWith(".")),
        ["fairkit"],
      );
    });

    const check =
      "const mf = new MetricFrame({ metrics: ['selection_rate'], yTrue: [1, 0, 1, 0], yPred: [1, 1, 0, 0], sensitiveFeatures: ['a', 'a', 'b', 'b'], minGroupSize: 1 }); console.log(JSON.stringify([VERSION, mf.difference().selection_rate, new FairkitError('BAD_ARGUMENT', 'x') instanceof Error]));";
    const expected = JSON.stringify([VERSION, 1, true]);

    test('ES modules: import { MetricFrame } from "fairkit"', () => {
      writeFileSync(join(dir, "esm.mjs"), `import { FairkitError, MetricFrame, VERSION } from "fairkit";\n${check}\n`);
      assert.equal(node(["esm.mjs"], dir).trim(), expected);
    });

    test('CommonJS: require("fairkit")', () => {
      writeFileSync(
        join(dir, "cjs.cjs"),
        `const { FairkitError, MetricFrame, VERSION } = require("fairkit");\n${check}\n`,
      );
      assert.equal(node(["cjs.cjs"], dir).trim(), expected);
    });

    test("types resolve under node16 from ES modules and from CommonJS", () => {
      writeFileSync(
        join(dir, "esm-types.mts"),
        'import { MetricFrame, type AuditResult } from "fairkit";\nconst mf: MetricFrame = new MetricFrame({ metrics: "accuracy", yTrue: [1], yPred: [1], sensitiveFeatures: ["a"] });\nexport const n: number = mf.overall.n;\nexport type A = AuditResult["schema_version"];\n',
      );
      writeFileSync(
        join(dir, "cjs-types.cts"),
        'import fairkit = require("fairkit");\nconst mf: fairkit.MetricFrame = new fairkit.MetricFrame({ metrics: "accuracy", yTrue: [1], yPred: [1], sensitiveFeatures: ["a"] });\nexport const n: number = mf.overall.n;\n',
      );
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            module: "node16",
            moduleResolution: "node16",
            target: "ES2022",
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ["esm-types.mts", "cjs-types.cts"],
        }),
      );
      const r = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], {
        encoding: "utf8",
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    test("a browser bundle: Vite bundles it with no Node built-in and it runs", () => {
      writeFileSync(
        join(dir, "app.js"),
        'import { MetricFrame, demoData } from "fairkit";\nconst d = demoData();\nexport const gap = new MetricFrame({ metrics: "selection_rate", yTrue: d.yTrue, yPred: d.score.map((s) => (s >= 0.5 ? 1 : 0)), sensitiveFeatures: { group: d.group } }).difference().selection_rate;\n',
      );
      writeFileSync(
        join(dir, "vite.config.mjs"),
        `export default { logLevel: "silent", build: { lib: { entry: "app.js", formats: ["es"], fileName: "bundle" }, outDir: "out", target: "es2022", minify: false } };\n`,
      );
      const r = spawnSync(
        process.execPath,
        [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "vite.config.mjs"],
        { cwd: dir, encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const bundleName = readdirSync(join(dir, "out")).find((f) => /\.m?js$/.test(f))!;
      const bundle = readFileSync(join(dir, "out", bundleName), "utf8");
      assert.doesNotMatch(
        bundle,
        /from\s+["']node:|require\(["']node:|from\s+["'](fs|path|os|crypto)["']/,
        "no Node built-in in the browser bundle",
      );
      assert.doesNotMatch(bundle, /from\s+["']fairkit/, "fairkit itself is in the bundle");
      const out = node(
        ["--input-type=module", "-e", `import { gap } from "./out/${bundleName}"; console.log(gap > 0.2 && gap < 0.3)`],
        dir,
      );
      assert.equal(out.trim(), "true");
    });
  });

  describe("@fairkit/node, installed with its dependencies", () => {
    const dir = join(work, "node-consumer");
    before(() => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "package.json"),
        JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
      );
      npm(["install", "--prefer-offline", "--no-package-lock", core, nodePackage], dir);
    });

    test("the fairkit command runs: --version and an audit of a file", () => {
      const bin = join(dir, "node_modules/.bin/fairkit");
      assert.ok(existsSync(bin));
      assert.equal(execFileSync(bin, ["--version"], { cwd: dir, encoding: "utf8" }).trim(), VERSION);
      writeFileSync(join(dir, "preds.csv"), "y,p,g\n1,1,a\n0,1,a\n1,0,b\n0,0,b\n");
      const result = JSON.parse(
        execFileSync(
          bin,
          [
            "audit",
            "preds.csv",
            "--y-true",
            "y",
            "--y-pred",
            "p",
            "--sensitive",
            "g",
            "--min-group-size",
            "1",
            "--format",
            "json",
          ],
          { cwd: dir, encoding: "utf8" },
        ),
      );
      assert.equal(result.tool.version, VERSION);
      assert.equal(result.criteria.demographic_parity_difference, 1);
    });

    test("the library: auditFile from ES modules, and require() on Node >= 20.19, one copy of the core", () => {
      writeFileSync(
        join(dir, "use.mjs"),
        'import { auditFile, MetricFrame } from "@fairkit/node";\nimport { MetricFrame as Core } from "fairkit";\nconst r = await auditFile("preds.csv", { yTrue: "y", yPred: "p", sensitive: ["g"] });\nconsole.log(JSON.stringify([r.groups.length, MetricFrame === Core]));\n',
      );
      assert.equal(node(["use.mjs"], dir).trim(), "[2,true]");
      const [major, minor] = process.versions.node.split(".").map(Number);
      if (major > 20 || (major === 20 && minor >= 19)) {
        writeFileSync(
          join(dir, "use.cjs"),
          'const { auditFile } = require("@fairkit/node");\nconsole.log(typeof auditFile);\n',
        );
        assert.equal(node(["use.cjs"], dir).trim(), "function");
      }
    });
  });
});
