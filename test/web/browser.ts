/**
 * Shared set-up of the web end-to-end tests: build the real app (when stale), serve it on
 * 127.0.0.1 with the same server as `npm start`, and drive Debian's Chromium through
 * playwright-core, recording every request and every console error.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** Screenshots go here (gitignored). */
export const outputDir = join(repoRoot, "test-output", "web");

interface ServeModule {
  buildWeb(outDir?: string): Promise<void>;
  serve(options: { port?: number; root?: string }): Promise<{ server: Server; url: string }>;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** For node:test's `skip`: false when Chromium is there, else how to get it. */
export const skipWithoutChromium: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`;

/** A served build plus a browser; `close()` ends both. */
export interface WebHarness {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the app with the same Vite config and serves it with the same server as `npm start`.
 * Each test process builds into its own folder, so parallel test files (and a developer's
 * running `npm start`) never see a half-written build.
 */
export async function startWeb(): Promise<WebHarness> {
  const mod = (await import(join(repoRoot, "scripts", "serve.mjs"))) as ServeModule;
  const root = join(repoRoot, "test-output", `web-dist-${process.pid}`);
  await mod.buildWeb(root);
  const { server, url } = await mod.serve({ port: 0, root });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A page that records console errors, page errors and every request's URL. */
export interface RecordedPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
  requests: string[];
}

export async function openPage(
  h: WebHarness,
  path: string,
  viewport = { width: 1280, height: 800 },
): Promise<RecordedPage> {
  const context = await h.browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  context.on("request", (req) => requests.push(req.url()));
  await page.goto(h.url + path);
  await page.waitForSelector("body[data-ready='true']", { timeout: 30_000 });
  return { page, context, errors, requests };
}

/** Requests that left the page's origin (blob: and data: URLs stay in the page). */
export function foreignRequests(requests: string[], url: string): string[] {
  const origin = new URL(url).origin;
  return requests.filter((r) => !r.startsWith("blob:") && !r.startsWith("data:") && new URL(r).origin !== origin);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The hooks the pages expose to tests (typed loosely here: the tests only read them). */
declare global {
  interface Window {
    fairkitExplorer: { state: { engine?: { n: number }; rules: unknown[] } };
    fairkitDashboard: {
      state: { engine?: { n: number }; rules: unknown[]; result: unknown };
      auditJson(): string;
      taskJson(): string;
      snapshotHtml(): string;
    };
  }
}
