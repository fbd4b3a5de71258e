/**
 * The HolisticBias v1.1 data (Smith et al. 2022, "I'm sorry to hear that": finding new biases in
 * language models with a holistic descriptor dataset; Meta, CC BY-SA 4.0): its descriptors, nouns
 * and sentence templates, fetched from github.com/facebookresearch/ResponsibleNLP at a pinned
 * commit together with the repository's LICENSE (which holds the data's CC BY-SA 4.0 text), into
 * `holistic_bias/` of the data folder, each file verified by SHA-256. The data stays data: it is
 * read at run time, never copied into fairkit's code, and its licence lies beside it.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FairkitError, type HolisticBiasData } from "fairkit/internal";
import { type DataFileSpec, type DatasetOptions, cacheDir, verifiedFile } from "../io/datasets.js";
import { textMessages } from "./messages.js";

const COMMIT = "0ec714eb084217f44cd9ac466d9e988c795302f9";
const ORIGIN = `https://raw.githubusercontent.com/facebookresearch/ResponsibleNLP/${COMMIT}`;

/** The HolisticBias files fairkit reads, with their digests at the pinned commit. */
export const HOLISTIC_BIAS_FILES: Readonly<Record<"descriptors" | "nouns" | "templates", DataFileSpec>> = Object.freeze(
  {
    descriptors: {
      file: "holistic_bias/descriptors.json",
      url: `${ORIGIN}/holistic_bias/dataset/v1.1/descriptors.json`,
      sha256: "c1328f0edfdeefb76302d360a01878df3db55f18026f4ea1956b4a0f52daf943",
    },
    nouns: {
      file: "holistic_bias/nouns.json",
      url: `${ORIGIN}/holistic_bias/dataset/v1.1/nouns.json`,
      sha256: "9bbe15bf01ea8827fd5d68a81ee2b05e04bd5f79478d9027efec0b4dbd232ee6",
    },
    templates: {
      file: "holistic_bias/sentence_templates.json",
      url: `${ORIGIN}/holistic_bias/dataset/v1.1/sentence_templates.json`,
      sha256: "8b1cf8fc3c9a10b12cf77902e8c2ff3d80e3fcfff2f177a00256925acb4f53a5",
    },
  },
);

/** The licence: the repository's LICENSE, or the CC BY-SA 4.0 part of it alone (as some copies keep it). */
const LICENCES: readonly DataFileSpec[] = [
  {
    file: "holistic_bias/LICENSE",
    url: `${ORIGIN}/LICENSE`,
    sha256: "c63b9edcd75cb86ba7a5511ebd69fe905775ac2fe9d08b16d81b2e7a72afb5b6",
  },
  {
    file: "holistic_bias/LICENSE-CC-BY-SA-4.0.txt",
    url: `${ORIGIN}/LICENSE`,
    sha256: "592c02c8f429d7f64070de55deab7de9ebe1e3397db932d687db67af0bc4facd",
  },
];

/** How to cite HolisticBias, shown wherever its probes are. */
export const HOLISTIC_BIAS_CITATION =
  'E. M. Smith, M. Hall, M. Kambadur, E. Presani, A. Williams, "I\'m sorry to hear that": Finding New Biases in Language Models with a Holistic Descriptor Dataset, EMNLP 2022 (data CC BY-SA 4.0)';

/** Options of {@link loadHolisticBias}: `from` is a folder holding the three JSON files and the licence. */
export type HolisticBiasLoadOptions = DatasetOptions;

/**
 * The HolisticBias files, parsed, and the folder they are in: from `from` (a folder with the
 * JSON files and a licence file), else the data folder, else downloaded with the licence.
 *
 * @example
 * const { data } = await loadHolisticBias();
 * const probes = holisticBiasProbes(data, { axes: ["race_ethnicity"] });
 */
export async function loadHolisticBias(
  options: HolisticBiasLoadOptions = {},
): Promise<{ data: HolisticBiasData; dir: string }> {
  const fromDir = options.from;
  const fileOptions = (spec: DataFileSpec): DatasetOptions => ({
    ...options,
    from: fromDir === undefined ? undefined : join(fromDir, spec.file.replace(/^holistic_bias\//, "")),
  });
  const paths: Record<string, string> = {};
  for (const [key, spec] of Object.entries(HOLISTIC_BIAS_FILES))
    paths[key] = await verifiedFile(spec, fileOptions(spec));
  let licence: string | undefined;
  let lastError: unknown;
  // A licence already in the data folder first: no download when a copy is there.
  const inFolder = (spec: DataFileSpec) => existsSync(join(cacheDir(options), spec.file));
  for (const spec of [...LICENCES].sort((a, b) => Number(inFolder(b)) - Number(inFolder(a)))) {
    try {
      licence = await verifiedFile(spec, fileOptions(spec));
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (licence === undefined) {
    if (fromDir !== undefined)
      throw new FairkitError("BAD_FILE", textMessages.holisticBiasLicence(fromDir), { file: fromDir });
    throw lastError;
  }
  const parse = async (path: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new FairkitError("BAD_FILE", textMessages.holisticBiasJson(path, (error as Error).message), { file: path });
    }
  };
  return {
    data: {
      descriptors: await parse(paths.descriptors),
      nouns: await parse(paths.nouns),
      templates: await parse(paths.templates),
    },
    dir: join(licence, ".."),
  };
}
