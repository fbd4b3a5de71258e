/**
 * Writes the small synthetic files the README's and docs' commands name (preds.csv, scores.csv,
 * new.csv, salaries.csv, tiers.csv), seeded, so they can be made again byte for byte:
 * `npx tsx examples/make-examples.ts`. test/examples.test.ts checks the committed files are what
 * this writes, then runs every command.
 *
 * One calibrated score, three groups whose base rates differ (the setting where the fairness
 * criteria conflict), and a second attribute (sex) for intersections. For the regression and
 * multiclass audits: salary offers that under-offer women by about 4% of the salary they go on to
 * earn, and risk tiers that move group B's applicants up a tier more often than the others'.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRandom } from "fairkit/internal";

const here = dirname(fileURLToPath(import.meta.url));
const GROUPS = [
  { race: "A", baseRate: 0.3, share: 0.5 },
  { race: "B", baseRate: 0.45, share: 0.35 },
  { race: "C", baseRate: 0.6, share: 0.15 },
];

/** `n` people: race, sex, the true label, a calibrated score in (0, 1) and the decision score >= 0.5. */
function people(
  n: number,
  seed: number,
): { race: string; sex: string; label: number; score: number; decision: number }[] {
  const rng = createRandom(seed);
  return Array.from({ length: n }, () => {
    const u = rng.next();
    const g = u < GROUPS[0].share ? GROUPS[0] : u < GROUPS[0].share + GROUPS[1].share ? GROUPS[1] : GROUPS[2];
    const label = rng.next() < g.baseRate ? 1 : 0;
    // A noisy signal; its logistic posterior is the calibrated score.
    const signal = (label ? 1 : -1) + 1.2 * rng.normal();
    const logit = Math.log(g.baseRate / (1 - g.baseRate)) + (2 / 1.44) * signal;
    const score = Math.round(1e4 / (1 + Math.exp(-logit))) / 1e4;
    return { race: g.race, sex: rng.next() < 0.5 ? "F" : "M", label, score, decision: score >= 0.5 ? 1 : 0 };
  });
}

/** `n` candidates: sex, race, the salary they go on to earn (thousands) and the model's offer. */
function salaries(n: number, seed: number): string {
  const rng = createRandom(seed);
  const rows = Array.from({ length: n }, () => {
    const sex = rng.next() < 0.45 ? "F" : "M";
    const race = RACES[Math.floor(rng.next() * 3)];
    const earned = Math.max(25, 60 + 14 * rng.normal());
    const offer = earned * (sex === "F" ? 0.96 : 1) + 3 * rng.normal();
    return `${sex},${race},${earned.toFixed(1)},${offer.toFixed(1)}`;
  });
  return `sex,race,earned,offer\n${rows.join("\n")}\n`;
}

/** `n` applicants: race, their true risk tier and the tier a model gave them (B moved up more often). */
function tiers(n: number, seed: number): string {
  const rng = createRandom(seed);
  const TIERS = ["low", "medium", "high"];
  const rows = Array.from({ length: n }, () => {
    const race = RACES[Math.floor(rng.next() * 3)];
    const tier = Math.min(2, Math.floor(rng.next() * 3));
    const noise = rng.next();
    let predicted = noise < 0.12 ? Math.max(0, tier - 1) : noise < 0.24 ? Math.min(2, tier + 1) : tier;
    if (race === "B" && rng.next() < 0.15) predicted = Math.min(2, predicted + 1);
    return `${race},${TIERS[tier]},${TIERS[predicted]}`;
  });
  return `race,tier,predicted_tier\n${rows.join("\n")}\n`;
}

const RACES = ["A", "B", "C"];

/** The files' text, by name. */
export function exampleFiles(): Record<string, string> {
  const preds = people(1200, 1);
  const scores = people(2000, 2);
  const fresh = people(300, 3);
  return {
    "salaries.csv": salaries(1500, 4),
    "tiers.csv": tiers(1200, 5),
    "preds.csv": `label,score,decision,race,sex\n${preds.map((p) => `${p.label},${p.score},${p.decision},${p.race},${p.sex}`).join("\n")}\n`,
    "scores.csv": `score,label,race\n${scores.map((p) => `${p.score},${p.label},${p.race}`).join("\n")}\n`,
    "new.csv": `id,score,race\n${fresh.map((p, i) => `n${String(i + 1).padStart(4, "0")},${p.score},${p.race}`).join("\n")}\n`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(exampleFiles())) writeFileSync(join(here, name), text);
}
