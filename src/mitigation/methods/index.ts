/**
 * The mitigation methods the comparison runner knows, by name: a typed registry, one file per
 * method. Adding a method is adding a file here and a line below.
 */
import { baseline } from "./baseline.js";
import { correlationRemover } from "./correlation-remover.js";
import { disparateImpactRemover } from "./disparate-impact-remover.js";
import { lfr } from "./lfr.js";
import type { MitigationMethod } from "./method.js";
import { postProcessors } from "./post-processing.js";
import { reductions } from "./reductions.js";
import { resamplePreferential, resampleUniform } from "./resampling.js";
import { reweighing } from "./reweighing.js";

export type { MethodContext, MethodFit, MethodStage, MitigationMethod } from "./method.js";

/** Every method, in the order the help lists them. */
const ALL: readonly MitigationMethod[] = [
  baseline,
  reweighing,
  resampleUniform,
  resamplePreferential,
  correlationRemover,
  disparateImpactRemover,
  lfr,
  ...reductions,
  ...postProcessors,
];

/** The methods by name. */
export const MITIGATION_METHODS: Readonly<Record<string, MitigationMethod>> = Object.freeze(
  Object.fromEntries(ALL.map((m) => [m.name, m])),
);
