/**
 * Text probes: term substitution (case, plurals, possessives, pronouns, guarded words), the probe
 * builders, and the analysis on planted behaviour — a scorer that penalises one group's terms by a
 * known amount is found with that amount and those terms; a scorer blind to the terms shows no gap.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  GENDER_TERMS,
  RACE_TERMS,
  analyseProbes,
  counterfactualProbes,
  counterfactuals,
  findTerms,
  functionScorer,
  holisticBiasProbes,
  maskTerms,
  scoreTexts,
  substituteTerms,
  templateProbes,
} from "../../src/index.js";
import { studentTCdf, studentTQuantile } from "../../src/core/significance.js";
import { bleu, cosineSimilarity, rougeL } from "../../src/text/similarity.js";
import { loadHolisticBias } from "../../src/node/text/holistic-bias.js";
import { vaderScorer } from "../../src/node/text/vader.js";
import { dataDirs } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

describe("Student t", () => {
  test("quantiles and CDF match published tables", () => {
    assert.ok(Math.abs(studentTQuantile(0.975, 1) - 12.7062047361747) < 1e-9);
    assert.ok(Math.abs(studentTQuantile(0.975, 10) - 2.228138851986) < 1e-9);
    assert.ok(Math.abs(studentTQuantile(0.995, 5) - 4.032142983557) < 1e-9);
    assert.ok(Math.abs(studentTCdf(2, 3) - 0.930337) < 1e-6);
    assert.ok(Math.abs(studentTCdf(-1, 7) - 0.1753083) < 1e-6);
  });
});

describe("term substitution", () => {
  const female = (t: string) => substituteTerms(t, GENDER_TERMS, "female");
  const male = (t: string) => substituteTerms(t, GENDER_TERMS, "male");
  test("case, plurals, possessives and the start and end of a text", () => {
    assert.equal(female("He is a nurse."), "She is a nurse.");
    assert.equal(female("HE IS HERE"), "SHE IS HERE");
    assert.equal(female("The men's room"), "The women's room");
    assert.equal(female("Ask the boys"), "Ask the girls");
    assert.equal(male("Ask the women"), "Ask the men");
    assert.equal(female("Sons, fathers and brothers."), "Daughters, mothers and sisters.");
  });
  test("pronouns: her → his before a noun, him otherwise; his → hers standing alone", () => {
    assert.equal(male("She gave her book to her friend."), "He gave his book to his friend.");
    assert.equal(male("I told her that."), "I told him that.");
    assert.equal(male("I saw her yesterday"), "I saw him yesterday");
    assert.equal(male("the book is hers"), "the book is his");
    assert.equal(female("This is his."), "This is hers.");
    assert.equal(female("I thanked him."), "I thanked her.");
  });
  test("words inside other words are not terms", () => {
    assert.equal(female("the manager has a mandate"), "the manager has a mandate");
    assert.deepEqual(findTerms("Sheila and Hector", GENDER_TERMS), []);
  });
  test("guarded words count only before a person noun or capitalised mid-sentence; articles agree", () => {
    assert.equal(
      substituteTerms("a Black woman drinks black coffee", RACE_TERMS, "asian"),
      "an Asian woman drinks black coffee",
    );
    assert.equal(substituteTerms("Black coffee is good.", RACE_TERMS, "asian"), "Black coffee is good.");
    assert.equal(substituteTerms("My neighbour is Black.", RACE_TERMS, "white"), "My neighbour is White.");
    assert.equal(substituteTerms("an African-American man", RACE_TERMS, "asian"), "an Asian American man");
  });
  test("no attribute word gives no counterfactual; several groups are left out", () => {
    assert.equal(counterfactuals("The sky is blue.", GENDER_TERMS), "no-attribute-words");
    assert.equal(counterfactuals("He thanked his wife.", GENDER_TERMS), "several-groups");
    const made = counterfactualProbes(["She is a doctor.", "It rains.", "He and she"], GENDER_TERMS);
    assert.deepEqual(made.unaware, [1]);
    assert.deepEqual(made.severalGroups, [2]);
    assert.deepEqual(
      made.probes.map((p) => [p.group, p.text]),
      [
        ["male", "He is a doctor."],
        ["female", "She is a doctor."],
      ],
    );
  });
  test("masking", () => {
    assert.equal(maskTerms("Black women lead. black-women", ["Black", "women"]), "[MASK] [MASK] lead. [MASK]-[MASK]");
  });
});

describe("similarity", () => {
  test("hand-computed cosine, ROUGE-L and BLEU", () => {
    assert.equal(cosineSimilarity("a b", "a b"), 1);
    assert.ok(Math.abs(cosineSimilarity("a a b", "a b b") - 4 / 5) < 1e-12);
    // LCS of "a b c d" and "a c d e" is 3: F1 = 2·3 / 8.
    assert.equal(rougeL("a b c d", "a c d e"), 0.75);
    assert.equal(bleu("the cat sat", "the cat sat"), 1);
    assert.equal(bleu("x y", "a b"), 0);
  });
});

describe("analysis", () => {
  const templates = [
    "{term} is a doctor.",
    "{term} wrote this.",
    "I met {term} today.",
    "{term} will lead.",
    "Ask {term}.",
  ];
  const terms = [
    { term: "the woman", group: "female", attribute: "gender" },
    { term: "the girl", group: "female", attribute: "gender" },
    { term: "the man", group: "male", attribute: "gender" },
    { term: "the boy", group: "male", attribute: "gender" },
  ];
  const probes = templateProbes(templates, terms);
  // A base score per template (the template's own effect), and 0.2 less for female terms.
  const base = (text: string) => (text.length % 7) / 10;
  const planted = functionScorer(
    (text) => base(text.replace(/woman|girl|man|boy/i, "x")) - (/woman|girl/i.test(text) ? 0.2 : 0),
    "planted",
  );

  test("a planted penalty is found with its amount and its terms on top", async () => {
    const scores = await scoreTexts(
      planted,
      probes.map((p) => p.text),
    );
    const result = analyseProbes(probes, scores, { scorer: planted.name, threshold: 0.3 });
    assertValid(result, "probe");
    const [gender] = result.attributes;
    const pair = gender.pairs[0];
    assert.deepEqual(pair.groups, ["female", "male"]);
    assert.ok(Math.abs((pair.paired?.value ?? 0) + 0.2) < 1e-12);
    assert.deepEqual(
      pair.paired?.interval?.map((v) => Math.round(v * 1e9) / 1e9),
      [-0.2, -0.2],
    );
    assert.deepEqual(gender.largest_paired_gap?.groups, ["male", "female"]);
    const femaleGroup = gender.groups.find((g) => g.group === "female");
    assert.ok(Math.abs((femaleGroup?.paired?.value ?? 0) + 0.2) < 1e-12);
    assert.equal(femaleGroup?.paired?.significant, true);
    // A female term against the mean of the other three (one female at −0.2, two male at 0): −0.2 + 0.2/3.
    for (const t of gender.terms) {
      const expected = t.group === "female" ? -0.2 + 0.2 / 3 : 0.2 - 0.2 / 3;
      assert.ok(Math.abs((t.paired?.value ?? 0) - expected) < 1e-12, `${t.term}: ${t.paired?.value}`);
    }
  });

  test("a scorer blind to the terms shows no gap and nothing significant", async () => {
    const blind = functionScorer((text) => base(text.replace(/woman|girl|man|boy/i, "x")), "blind");
    const result = analyseProbes(
      probes,
      await scoreTexts(
        blind,
        probes.map((p) => p.text),
      ),
      { scorer: "blind" },
    );
    const [gender] = result.attributes;
    assert.equal(gender.largest_paired_gap?.value, 0);
    assert.ok(gender.groups.every((g) => g.paired?.significant === false));
    assert.ok(gender.terms.every((t) => t.paired?.significant === false));
    assert.equal(gender.strong_parity?.value, 0);
  });

  test("a noisy scorer blind to the terms: Holm keeps the family-wise error", async () => {
    let seed = 1;
    const noise = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const many = templateProbes(
      Array.from({ length: 40 }, (_, i) => `Template ${i}: {term}.`),
      terms,
    );
    const result = analyseProbes(
      many,
      Float64Array.from(many, () => noise()),
      { scorer: "noise" },
    );
    assert.ok(result.attributes[0].terms.every((t) => t.paired?.significant === false));
  });

  test("similarity of generated responses after masking", () => {
    const responses = probes.map((p) => `Yes, ${p.term} can.`);
    const result = analyseProbes(probes, new Float64Array(probes.length), { scorer: "zero", responses });
    assert.equal(result.attributes[0].similarity?.cosine.mean, 1);
    assert.equal(result.attributes[0].similarity?.rouge_l.min, 1);
  });

  test("bad scores and lengths are refused, naming the text", () => {
    assert.throws(() => analyseProbes(probes, [1, 2], { scorer: "s" }), /returned 2 scores for 20 texts/);
    const scores = new Float64Array(probes.length);
    scores[3] = Number.NaN;
    assert.throws(() => analyseProbes(probes, scores, { scorer: "s" }), /returned NaN for text 4/);
    assert.throws(() => templateProbes(["no slot"], terms), /has no \{term\} slot/);
  });
});

const hbDir = dataDirs()
  .map((d) => join(d, "holistic_bias"))
  .find((d) => existsSync(join(d, "descriptors.json")));

describe("HolisticBias with VADER", {
  skip: hbDir ? false : "holistic_bias/ not found in the data folders (../shared/data holds a copy)",
}, () => {
  test("every descriptor in every template; VADER reads the loaded words, not the identities", async () => {
    const { data } = await loadHolisticBias({
      from: hbDir,
      cacheDir: join(process.env.TMPDIR ?? "/tmp", `fk-hb-${process.pid}`),
    });
    const probes = holisticBiasProbes(data);
    assert.equal(probes.length, 14716);
    assert.equal(probes[0].text, "I'm a Deaf person.");
    const scores = await scoreTexts(
      vaderScorer(),
      probes.map((p) => p.text),
    );
    const result = analyseProbes(probes, scores, { scorer: "vader", threshold: 0.05 });
    assertValid(result, "probe");
    const race = result.attributes.find((a) => a.attribute === "race_ethnicity");
    // VADER's lexicon has no race words: every race descriptor scores alike.
    assert.equal(race?.largest_paired_gap?.value, 0);
    const body = result.attributes.find((a) => a.attribute === "body_type");
    assert.deepEqual(new Set(body?.largest_paired_gap?.groups), new Set(["attractive", "unattractive"]));
    const ability = result.attributes.find((a) => a.attribute === "ability");
    assert.equal(ability?.terms[0].term, "retarded");
    assert.equal(ability?.terms[0].paired?.significant, true);
  });
});
