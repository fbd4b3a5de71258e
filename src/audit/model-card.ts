/**
 * The model card (Mitchell et al. 2019): what only the people who built and deploy the model know
 * comes from their card file; what can be computed (disaggregated metrics with intervals, the
 * evaluation data's description) is computed. The JSON form uses the field names of the Model
 * Card Toolkit schema v0.0.2 (`model_details`, `model_parameters`, `quantitative_analysis`,
 * `considerations`), so existing tooling can read it; the sections of the paper that schema has
 * no field for (factors, metrics rationale, evaluation and training data, caveats and
 * recommendations, monitoring) are kept beside it under `sections`.
 */
import { FairkitError, messages } from "../core/errors.js";
import { checkSchema } from "../core/schema.js";
import { CARD_FILE_SCHEMA } from "../schemas/card.js";
import { checkLL144Card, type LL144Card } from "./ll144-summary.js";

/** Free text or a list of texts, as a card file may write either. */
export type TextList =
  | string
  | readonly (string | { description?: string; name?: string; mitigation_strategy?: string })[];

/**
 * The card file (YAML or JSON). Every field is optional. Field names follow the Model Card
 * Toolkit schema where it has one; the rest follow the sections of Mitchell et al.
 */
export interface CardFile {
  model_details?: {
    name?: string;
    overview?: string;
    documentation?: string;
    owners?: readonly { name?: string; contact?: string }[];
    version?: { name?: string; date?: string; diff?: string };
    licenses?: readonly ({ identifier?: string; custom_text?: string } | string)[];
    references?: readonly ({ reference: string } | string)[];
    citations?: readonly ({ style?: string; citation: string } | string)[];
  };
  model_parameters?: {
    model_architecture?: string;
    input_format?: string;
    output_format?: string;
    /** Training (and other) data sets: name, link, description. */
    data?: readonly { name?: string; link?: string; description?: string; sensitive?: { sensitive_data?: string[] } }[];
  };
  considerations?: {
    users?: TextList;
    use_cases?: TextList;
    out_of_scope_uses?: TextList;
    limitations?: TextList;
    tradeoffs?: TextList;
    ethical_considerations?: TextList;
  };
  /** Mitchell et al. §4.3: groups, instrumentation, environment the performance may vary with. */
  factors?: TextList;
  /** Why these metrics and thresholds. */
  metrics_rationale?: string;
  evaluation_data?: string;
  training_data?: string;
  caveats_and_recommendations?: TextList;
  /** How the model will be monitored once deployed. */
  monitoring?: string;
  /** People responsible for the test log (EU AI Act Annex IV 2(g) asks for signed, dated reports). */
  responsible_persons?: readonly string[];
  /** Datasheet answers (Gebru et al.): section → answer text, or question → answer. */
  datasheet?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  /** Reference population shares per sensitive column and level, for the representation gaps. */
  reference_shares?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** NYC LL144: the 2% exclusion, the values meaning unknown, and the summary of results' facts (ll144-summary.ts). */
  ll144?: LL144Card;
}

/**
 * A performance metric in Model Card Toolkit form. The toolkit's proto (which its JSON reader
 * fills) holds the value and interval bounds as strings, so they are written as the shortest
 * decimal text that reads back as the same double (`String(x)`); an undefined value or bound is
 * left out rather than written as 0.
 */
export interface MctPerformanceMetric {
  type: string;
  value?: string;
  slice: string;
  confidence_interval?: { lower_bound: string; upper_bound: string };
}

/** The model card in Model Card Toolkit schema v0.0.2 form. */
export interface ModelCardToolkit {
  schema_version: "0.0.2";
  model_details: {
    name: string;
    overview?: string;
    documentation?: string;
    owners: { name?: string; contact?: string }[];
    version?: { name?: string; date?: string; diff?: string };
    licenses: { identifier?: string; custom_text?: string }[];
    references: { reference: string }[];
    citations: { style?: string; citation: string }[];
  };
  model_parameters: {
    model_architecture?: string;
    data: { name: string; link?: string; description?: string; sensitive?: { sensitive_data: string[] } }[];
    input_format?: string;
    output_format?: string;
  };
  quantitative_analysis: { performance_metrics: MctPerformanceMetric[] };
  considerations: {
    users: { description: string }[];
    use_cases: { description: string }[];
    limitations: { description: string }[];
    tradeoffs: { description: string }[];
    ethical_considerations: { name: string; mitigation_strategy?: string }[];
  };
}

/** The Mitchell et al. sections the toolkit schema has no field for. */
export interface ModelCardSections {
  factors: string[];
  metrics_rationale: string | null;
  evaluation_data: string | null;
  training_data: string | null;
  out_of_scope_uses: string[];
  caveats_and_recommendations: string[];
  monitoring: string | null;
}

/** The assembled model card. */
export interface ModelCard {
  model_card: ModelCardToolkit;
  sections: ModelCardSections;
  /** Card fields that were left empty (listed in the report, so the gaps are visible). */
  missing: string[];
}

/** Texts of a {@link TextList}. */
export function cardTexts(list: TextList | undefined): string[] {
  if (list === undefined || list === null) return [];
  if (typeof list === "string") return list.trim() === "" ? [] : [list];
  return list
    .map((item) => (typeof item === "string" ? item : (item.description ?? item.name ?? "")))
    .filter((t) => t.trim() !== "");
}

/** What {@link buildModelCard} computes. */
export interface ComputedCardFacts {
  /** Default model name when the card file gives none. */
  name: string;
  /** One line about the evaluation data: rows, source, hash. */
  evaluationData: string;
  evaluationDataName: string;
  sensitiveColumns: string[];
  /** Disaggregated metrics: one entry per (metric, slice). */
  performanceMetrics: MctPerformanceMetric[];
  /** Limitations found by the audit (small groups, coverage, …). */
  computedLimitations: string[];
  /** Ethical considerations the numbers raise (four-fifths flags, large gaps). */
  computedRisks: { name: string; mitigation_strategy?: string }[];
}

/**
 * Checks a parsed card file against its published schema (`schemas/card-file.schema.json`), and
 * its LL144 dates (calendar dates, YYYY-MM-DD), and returns it typed; the message names the field.
 * An empty file is an empty card.
 */
export function checkCardFile(value: unknown, file = "card file"): CardFile {
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new FairkitError("BAD_ARGUMENT", messages.cardNotMapping(file), { argument: "card" });
  }
  checkSchema(value, CARD_FILE_SCHEMA, file);
  checkLL144Card((value as CardFile).ll144, file);
  return value as CardFile;
}

/**
 * Assembles the model card from the user's card file and the computed facts.
 *
 * @example
 * const card = buildModelCard({ model_details: { name: "risk score v3" } }, facts);
 * card.model_card.quantitative_analysis.performance_metrics[0]; // { type: "selection_rate", value: 0.45, slice: "overall", … }
 */
export function buildModelCard(file: CardFile, facts: ComputedCardFacts): ModelCard {
  const d = file.model_details ?? {};
  const p = file.model_parameters ?? {};
  const c = file.considerations ?? {};
  const missing: string[] = [];
  const need = (label: string, v: unknown) => {
    if (
      v === undefined ||
      v === null ||
      (typeof v === "string" && v.trim() === "") ||
      (Array.isArray(v) && v.length === 0)
    )
      missing.push(label);
  };
  need("model_details.name", d.name);
  need("model_details.overview", d.overview);
  need("model_details.owners", d.owners);
  need("model_details.version", d.version);
  need("considerations.use_cases (intended use)", cardTexts(c.use_cases));
  need("considerations.users (intended users)", cardTexts(c.users));
  need("considerations.out_of_scope_uses", cardTexts(c.out_of_scope_uses));
  need("factors", cardTexts(file.factors));
  need("training_data", file.training_data);
  need("ethical considerations", cardTexts(c.ethical_considerations));
  need("caveats_and_recommendations", cardTexts(file.caveats_and_recommendations));
  need("monitoring", file.monitoring);

  const risks = (
    c.ethical_considerations === undefined
      ? []
      : typeof c.ethical_considerations === "string"
        ? [c.ethical_considerations]
        : c.ethical_considerations
  ).map((item) =>
    typeof item === "string"
      ? { name: item }
      : {
          name: item.name ?? item.description ?? "",
          ...(item.mitigation_strategy ? { mitigation_strategy: item.mitigation_strategy } : {}),
        },
  );
  const data = [
    ...(p.data ?? []).map((ds) => ({
      name: ds.name ?? "training data",
      ...(ds.link ? { link: ds.link } : {}),
      ...(ds.description ? { description: ds.description } : {}),
      ...(ds.sensitive?.sensitive_data ? { sensitive: { sensitive_data: [...ds.sensitive.sensitive_data] } } : {}),
    })),
    {
      name: facts.evaluationDataName,
      description: facts.evaluationData,
      sensitive: { sensitive_data: [...facts.sensitiveColumns] },
    },
  ];
  const model_card: ModelCardToolkit = {
    schema_version: "0.0.2",
    model_details: {
      name: d.name ?? facts.name,
      ...(d.overview ? { overview: d.overview } : {}),
      ...(d.documentation ? { documentation: d.documentation } : {}),
      owners: [...(d.owners ?? [])].map((o) => ({ ...o })),
      ...(d.version ? { version: { ...d.version } } : {}),
      licenses: (d.licenses ?? []).map((l) => (typeof l === "string" ? { identifier: l } : { ...l })),
      references: (d.references ?? []).map((r) => (typeof r === "string" ? { reference: r } : { ...r })),
      citations: (d.citations ?? []).map((r) => (typeof r === "string" ? { citation: r } : { ...r })),
    },
    model_parameters: {
      ...(p.model_architecture ? { model_architecture: p.model_architecture } : {}),
      data,
      ...(p.input_format ? { input_format: p.input_format } : {}),
      ...(p.output_format ? { output_format: p.output_format } : {}),
    },
    quantitative_analysis: { performance_metrics: facts.performanceMetrics.map((m) => ({ ...m })) },
    considerations: {
      users: cardTexts(c.users).map((description) => ({ description })),
      use_cases: cardTexts(c.use_cases).map((description) => ({ description })),
      limitations: [...cardTexts(c.limitations), ...facts.computedLimitations].map((description) => ({ description })),
      tradeoffs: cardTexts(c.tradeoffs).map((description) => ({ description })),
      ethical_considerations: [...risks, ...facts.computedRisks],
    },
  };
  return {
    model_card,
    sections: {
      factors: cardTexts(file.factors),
      metrics_rationale: file.metrics_rationale ?? null,
      evaluation_data: file.evaluation_data ?? null,
      training_data: file.training_data ?? null,
      out_of_scope_uses: cardTexts(c.out_of_scope_uses),
      caveats_and_recommendations: cardTexts(file.caveats_and_recommendations),
      monitoring: file.monitoring ?? null,
    },
    missing,
  };
}
