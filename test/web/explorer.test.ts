/**
 * End-to-end: the threshold explorer in real Chromium, served from the real build. The numbers on
 * the page are compared with the engine run in Node on the same seed and threshold, through an
 * independent path (row-wise decisions into a MetricFrame, not the score tables the page uses).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_DEMO_GROUPS, type DemoGroupOptions, MetricFrame, demoData } from "../../src/internal.js";
import { type DecisionRule, ruleProbability } from "../../src/thresholds/decision-rule.js";
import { ThresholdOptimizer } from "../../src/thresholds/threshold-optimizer.js";
import {
  type RecordedPage,
  type WebHarness,
  foreignRequests,
  openPage,
  screenshot,
  skipWithoutChromium,
  startWeb,
} from "./browser.js";

const METRICS = ["selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value"] as const;

/** Per-group metrics in Node, deciding row by row (deterministic thresholds). */
function nodeMetrics(
  seed: number,
  thresholds: [number, number],
  groups: readonly DemoGroupOptions[] = DEFAULT_DEMO_GROUPS,
): Record<string, Record<string, number>> {
  const demo = demoData({ seed, groups: [...groups] });
  const yPred = new Uint8Array(demo.score.length);
  for (let i = 0; i < yPred.length; i++) yPred[i] = demo.score[i] >= thresholds[demo.group.codes[i]] ? 1 : 0;
  const mf = new MetricFrame({
    metrics: [...METRICS, "accuracy"],
    yTrue: demo.yTrue,
    yPred,
    sensitiveFeatures: { group: demo.group },
  });
  return Object.fromEntries(mf.byGroup.map((g) => [g.key, g.metrics]));
}

/** What the page shows: metric → group → exact value (from data-value). */
async function shown(p: RecordedPage): Promise<Record<string, Record<string, number>>> {
  const cells = await p.page
    .locator("#rates [data-metric]")
    .evaluateAll((els) =>
      els.map(
        (e) => [e.getAttribute("data-group")!, e.getAttribute("data-metric")!, e.getAttribute("data-value")!] as const,
      ),
    );
  const out: Record<string, Record<string, number>> = {};
  for (const [group, metric, value] of cells) {
    out[group] ??= {};
    out[group][metric] = Number(value);
  }
  return out;
}

function assertSame(
  page: Record<string, Record<string, number>>,
  node: Record<string, Record<string, number>>,
  what: string,
): void {
  for (const g of ["A", "B"]) {
    for (const m of METRICS) {
      assert.ok(
        Math.abs(page[g][m] - node[g][m]) < 1e-12,
        `${what}: ${m} of ${g}: page ${page[g][m]}, engine ${node[g][m]}`,
      );
    }
  }
}

async function tau(p: RecordedPage, id = "tau"): Promise<number> {
  return Number(await p.page.inputValue(`#${id}`));
}

let h: WebHarness;
let desk: RecordedPage;

describe("threshold explorer (Chromium)", { skip: skipWithoutChromium, timeout: 180_000 }, () => {
  before(async () => {
    h = await startWeb();
    desk = await openPage(h, "index.html");
  });
  after(async () => {
    await h?.close();
  });

  it("shows the engine's numbers for seed 42 at τ = 0.5", async () => {
    assert.equal(await tau(desk), 0.5);
    const page = await shown(desk);
    const node = nodeMetrics(42, [0.5, 0.5]);
    assertSame(page, node, "τ 0.5");
    // Hand-checkable anchor: A's selection rate at 0.5 is 522 of 2000 people.
    assert.equal(page.A.selection_rate, 0.261);
  });

  it("moves with the keyboard, and the numbers follow the engine", async () => {
    const before = await shown(desk);
    await desk.page.focus("#tau");
    for (let k = 0; k < 5; k++) await desk.page.keyboard.press("ArrowRight");
    assert.equal(await tau(desk), 0.55);
    const page = await shown(desk);
    assert.notEqual(page.A.selection_rate, before.A.selection_rate);
    assertSame(page, nodeMetrics(42, [0.55, 0.55]), "keyboard τ 0.55");
    await desk.page.keyboard.press("Home");
    assert.equal(await tau(desk), 0);
    assertSame(await shown(desk), nodeMetrics(42, [0, 0]), "τ 0");
  });

  it("moves with a mouse drag, and the numbers follow the engine", async () => {
    const box = (await desk.page.locator("#tau").boundingBox())!;
    const y = box.y + box.height / 2;
    await desk.page.mouse.move(box.x + box.width * 0.2, y);
    await desk.page.mouse.down();
    await desk.page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await desk.page.mouse.move(box.x + box.width * 0.71, y, { steps: 5 });
    await desk.page.mouse.up();
    const t = await tau(desk);
    assert.ok(t > 0.6 && t < 0.8, `dragged to ${t}`);
    assertSame(await shown(desk), nodeMetrics(42, [t, t]), `drag τ ${t}`);
  });

  it("follows per-group thresholds and a new seed and group settings", async () => {
    await desk.page.check("#per-group");
    await desk.page.fill("#tauA", "0.3");
    await desk.page.dispatchEvent("#tauA", "input");
    await desk.page.fill("#tauB", "0.6");
    await desk.page.dispatchEvent("#tauB", "input");
    assertSame(await shown(desk), nodeMetrics(42, [0.3, 0.6]), "per-group 0.3 / 0.6");
    await desk.page.fill("#seed", "7");
    await desk.page.fill("#sizeA", "500");
    await desk.page.dispatchEvent("#sizeA", "input");
    await desk.page.waitForFunction(() => window.fairkitExplorer.state.engine?.n === 2500);
    const groups = [{ ...DEFAULT_DEMO_GROUPS[0], size: 500 }, DEFAULT_DEMO_GROUPS[1]];
    assertSame(await shown(desk), nodeMetrics(7, [0.3, 0.6], groups), "seed 7, size A 500");
    // Back to the defaults for the remaining tests.
    await desk.page.fill("#seed", "42");
    await desk.page.fill("#sizeA", "2000");
    await desk.page.dispatchEvent("#sizeA", "input");
    await desk.page.waitForFunction(() => window.fairkitExplorer.state.engine?.n === 4000);
    await desk.page.uncheck("#per-group");
  });

  it("refuses bad typed settings in place, and never shows numbers from them", async () => {
    const before = await shown(desk);
    const cases: [string, string, RegExp][] = [
      ["#sizeA", "", /size A is empty: give a whole number from 10 to 1,000,000/],
      ["#sizeA", "12.5", /size A must be a whole number; got 12\.5/],
      ["#sizeB", "5", /size B must be from 10 to 1,000,000; got 5/],
      ["#seed", "-1", /seed must be from 0 to 2,147,483,647; got -1/],
      ["#tolerance", "-0.1", /the tolerance must be from 0 to 1; got -0\.1/],
    ];
    for (const [field, value, message] of cases) {
      await desk.page.fill(field, value);
      await desk.page.dispatchEvent(field, "input");
      const errorId = field === "#tolerance" ? "#tolerance-error" : "#demo-error";
      await desk.page.waitForFunction((id) => (document.querySelector(id)?.textContent ?? "") !== "", errorId);
      const state = await desk.page.evaluate(
        ([f, id]) => ({
          message: document.querySelector(id)?.textContent ?? "",
          invalid: document.querySelector(f)?.getAttribute("aria-invalid"),
          stale: document.body.dataset.stale,
          n: window.fairkitExplorer.state.engine?.n,
        }),
        [field, errorId] as const,
      );
      assert.match(state.message, message, `${field} = ${JSON.stringify(value)}`);
      assert.match(state.message, /The numbers shown are for the last valid settings\./);
      assert.equal(state.invalid, "true");
      assert.equal(state.stale, "true");
      assert.equal(state.n, 4000, "the engine still holds the last valid data");
      assertSame(await shown(desk), before, `the numbers are unchanged after ${field} = ${JSON.stringify(value)}`);
      // Put the valid value back: the message goes, and the numbers are the engine's again.
      const valid = { "#sizeA": "2000", "#sizeB": "2000", "#seed": "42", "#tolerance": "0.1" }[field]!;
      await desk.page.fill(field, valid);
      await desk.page.dispatchEvent(field, "input");
      await desk.page.waitForFunction(() => document.body.dataset.stale === "false");
      assert.equal(await desk.page.getAttribute(field, "aria-invalid"), null);
    }
    assertSame(await shown(desk), before, "back to the valid settings");
  });

  it("presets produce the criterion they promise", async () => {
    const demo = demoData({ seed: 42 });
    const rulesOf = async () => (await desk.page.evaluate(() => window.fairkitExplorer.state.rules)) as DecisionRule[];
    // Demographic parity: equal selection rates; and the same numbers as the optimizer fitted in Node.
    for (const [preset, equal] of [
      ["demographic_parity", ["selection_rate"]],
      ["equal_opportunity", ["true_positive_rate"]],
      ["equalized_odds", ["true_positive_rate", "false_positive_rate"]],
    ] as const) {
      await desk.page.click(`[data-preset="${preset}"]`);
      const page = await shown(desk);
      for (const m of equal)
        assert.ok(Math.abs(page.A[m] - page.B[m]) < 1e-9, `${preset}: ${m} A ${page.A[m]} vs B ${page.B[m]}`);
      const opt = new ThresholdOptimizer({ constraint: preset, objective: "accuracy" }).fit(demo.score, demo.yTrue, {
        group: demo.group,
      });
      const expected = MetricFrame.fromCounts(opt.expectedConfusionOn(demo.score, demo.yTrue, { group: demo.group }), {
        metrics: [...METRICS],
      });
      for (const g of expected.byGroup)
        for (const m of METRICS)
          assert.ok(Math.abs(page[g.key][m] - g.metrics[m]) < 1e-9, `${preset}: ${m} of ${g.key}`);
      const verdict = await desk.page.getAttribute(`[data-criterion="${preset}"]`, "data-state");
      assert.equal(verdict, "holds", `${preset} criterion holds after its preset`);
    }
    const eoRules = await rulesOf();
    assert.ok(
      eoRules.some((r) => r.probabilities.some((q) => q > 0 && q < 1)),
      "equalized odds is randomised here",
    );
    assert.match((await desk.page.textContent("#rule-A")) + (await desk.page.textContent("#rule-B"))!, /randomised/);
    // Max accuracy: each group's own threshold is at least as accurate as any on a fine grid.
    await desk.page.click('[data-preset="max_accuracy"]');
    const best = await rulesOf();
    const ts = best.map((r) => r.cuts[0]) as [number, number];
    const atBest = nodeMetrics(42, ts);
    for (let k = 0; k <= 200; k++) {
      const t = k / 200;
      const grid = nodeMetrics(42, [t, t]);
      for (const g of ["A", "B"])
        assert.ok(atBest[g].accuracy >= grid[g].accuracy - 1e-12, `max accuracy ${g} loses to τ ${t}`);
    }
    // Single threshold: one τ for both groups, and no grid τ has a better overall accuracy.
    await desk.page.click('[data-preset="single_threshold"]');
    const single = await rulesOf();
    assert.equal(single[0].cuts[0], single[1].cuts[0]);
    const overall = (t: number) => {
      let right = 0;
      for (let i = 0; i < demo.score.length; i++) right += (demo.score[i] >= t ? 1 : 0) === demo.yTrue[i] ? 1 : 0;
      return right / demo.score.length;
    };
    const chosen = overall(single[0].cuts[0]);
    for (let k = 0; k <= 200; k++)
      assert.ok(chosen >= overall(k / 200) - 1e-12, `single threshold loses to τ ${k / 200}`);
    // Probabilities from the page's rules reproduce the displayed expectation (rules are what they say).
    assert.equal(ruleProbability(single[0], single[0].cuts[0]), 1);
  });

  it("has the criteria sentences and the impossibility next to the numbers", async () => {
    const harms = await desk.page.locator(".harm").allTextContents();
    assert.equal(harms.length, 5);
    assert.match(harms.join(" "), /Equal access/);
    assert.match(harms.join(" "), /Equal chance for qualified people/);
    const text = (await desk.page.textContent("#impossibility"))!;
    assert.match(text, /base rates differ \(A 30\.\d%, B 5\d\.\d%\)/);
    assert.match(text, /Chouldechova 2017; Kleinberg/);
  });

  it("saves screenshots at 1280×800 and at phone width", async () => {
    await desk.page.evaluate(() => window.scrollTo(0, 0));
    await desk.page.fill("#tau", "0.5");
    await desk.page.dispatchEvent("#tau", "input");
    await screenshot(desk.page, "explorer-1280x800");
    const phone = await openPage(h, "index.html", { width: 390, height: 844 });
    await screenshot(phone.page, "explorer-390x844");
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the phone layout scrolls sideways by ${overflow}px`);
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(foreignRequests(phone.requests, h.url), []);
    await phone.context.close();
  });

  it("logged no console errors and sent no request off the origin", () => {
    assert.deepEqual(desk.errors, []);
    assert.deepEqual(foreignRequests(desk.requests, h.url), []);
    assert.ok(desk.requests.length >= 3, "the page, its script and its styles were requested");
  });
});
