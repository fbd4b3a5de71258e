#!/usr/bin/env node
// `npm run build`: the two published packages, from the one source tree, into build/:
//
//   build/fairkit/       the core (src/ without src/node): ES modules and CommonJS, with types;
//                        no runtime dependencies, browser-safe; the JSON Schemas under schemas/
//   build/fairkit-node/  @fairkit/node (src/node): DuckDB readers, data sets, the CLI (bin
//                        `fairkit`); it depends on fairkit by version, so both share one core
//
// Each package's manifest lives in packages/<name>/package.json; its version and dependency
// versions must equal the root package.json's (a test checks). `--pack` also writes the npm
// tarballs build/fairkit-<version>.tgz and build/fairkit-node-<version>.tgz.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const build = join(root, "build");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const run = (args) => execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: "inherit" });

rmSync(build, { recursive: true, force: true });
mkdirSync(build, { recursive: true });

// The core: ES modules, then CommonJS (a nested package.json marks dist/cjs as CommonJS).
run(["-p", "packages/fairkit/tsconfig.esm.json"]);
run(["-p", "packages/fairkit/tsconfig.cjs.json"]);
writeFileSync(join(build, "fairkit/dist/cjs/package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
cpSync(join(root, "schemas"), join(build, "fairkit/schemas"), { recursive: true });

// @fairkit/node, against the core's built declarations.
run(["-p", "packages/fairkit-node/tsconfig.json"]);
cpSync(join(root, "packages/fairkit-node/bin"), join(build, "fairkit-node/bin"), { recursive: true });

for (const name of ["fairkit", "fairkit-node"]) {
  const target = join(build, name);
  copyFileSync(join(root, "packages", name, "package.json"), join(target, "package.json"));
  copyFileSync(join(root, "packages", name, "README.md"), join(target, "README.md"));
  copyFileSync(join(root, "LICENSE"), join(target, "LICENSE"));
}

// build/node_modules/fairkit → build/fairkit, so that the built @fairkit/node runs in place (its
// other dependencies resolve from the repository's node_modules): the startup benchmark uses it.
mkdirSync(join(build, "node_modules"), { recursive: true });
symlinkSync("../fairkit", join(build, "node_modules", "fairkit"), "dir");

if (process.argv.includes("--pack")) {
  for (const name of ["fairkit", "fairkit-node"]) {
    execFileSync("npm", ["pack", "--silent", "--pack-destination", build], {
      cwd: join(build, name),
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
const version = JSON.parse(readFileSync(join(root, "packages/fairkit/package.json"), "utf8")).version;
console.log(
  `built fairkit ${version} and @fairkit/node ${version} in ${build}${existsSync(join(build, `fairkit-${version}.tgz`)) ? " (and their tarballs)" : ""}`,
);
