/**
 * How fast the built command starts, as a ratio to `node -e 0` in the same run: `fairkit
 * --version` (answers before anything loads), `fairkit audit --help` (commander and the options),
 * and `fairkit audit --demo` (the core, no DuckDB). Builds the packages first when build/ is
 * missing or older than the sources.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "build/fairkit-node/bin/fairkit.js");

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    t = Math.max(t, st.isDirectory() ? newest(path) : st.mtimeMs);
  }
  return t;
}

function median(args: string[], runs = 9): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    times.push(performance.now() - t0);
    if (out.status !== 0) throw new Error(`${args.join(" ")} exited ${out.status}: ${out.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

export default async function bench(): Promise<void> {
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest(join(root, "src"))) {
    console.log("building the packages (npm run build) …");
    execFileSync(process.execPath, [join(root, "scripts/build-packages.mjs")], { cwd: root, stdio: "ignore" });
  }
  const base = median(["-e", "0"]);
  console.log(`node -e 0 (baseline)          ${base.toFixed(0).padStart(5)} ms`);
  for (const args of [["--version"], ["audit", "--help"], ["audit", "--demo"]]) {
    const t = median([bin, ...args]);
    console.log(`fairkit ${args.join(" ").padEnd(20)} ${t.toFixed(0).padStart(5)} ms  ratio ${(t / base).toFixed(2)}×`);
  }
}
