#!/usr/bin/env node
// `npm start`: builds the web app when the build is missing or older than its sources, then
// serves web/dist on 127.0.0.1 and prints the URL. The pages are static; all computation runs in
// the browser, so this server only hands out files.
//
//   node scripts/serve.mjs [--port N] [--no-build]     (N = 0 picks a free port; default 5173)
import { createReadStream, existsSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const distDir = join(repoRoot, "web", "dist");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
};

function newestMtime(dir, skip) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip.some((s) => path.startsWith(s))) continue;
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path, skip) : st.mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than any source of the app (web/ or src/). */
export function buildIsStale() {
  const built = join(distDir, "index.html");
  if (!existsSync(built) || !existsSync(join(distDir, "dashboard.html"))) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = Math.max(
    newestMtime(join(repoRoot, "web"), [distDir, join(repoRoot, "web", "node_modules")]),
    newestMtime(join(repoRoot, "src"), []),
  );
  return sources > builtAt;
}

/** Builds the app with Vite (web/vite.config.ts), into web/dist or `outDir`. */
export async function buildWeb(outDir = distDir) {
  const { build } = await import("vite");
  await build({
    configFile: join(repoRoot, "web", "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
}

/** Serves web/dist on 127.0.0.1. Resolves to the server and its URL once listening. */
export function serve({ port = 5173, root = distDir } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolveServer, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolveServer({ server, url: `http://127.0.0.1:${address.port}/` });
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const portArg = args.indexOf("--port");
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(process.env.PORT ?? 5173);
  if (!args.includes("--no-build") && buildIsStale()) {
    console.log("building the web app…");
    await buildWeb();
  }
  let started;
  try {
    started = await serve({ port });
  } catch (e) {
    if (e.code !== "EADDRINUSE" || portArg >= 0) throw e;
    started = await serve({ port: 0 });
  }
  console.log(`fairkit web app: ${started.url}  (explorer)  ${started.url}dashboard.html  (audit dashboard)`);
  console.log("All computation runs in the browser; press Ctrl+C to stop.");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
