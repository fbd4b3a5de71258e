/** Messages of the text probes' Node side (endpoints, model files, HolisticBias files), in one place so the tests can assert on them. */

function excerpt(text: string, length = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

export const textMessages = {
  httpNotJson: (url: string, text: string) =>
    `${url} answered with something that is not JSON: ${JSON.stringify(excerpt(text))}`,
  httpRefused: (url: string, status: number, text: string) =>
    `${url} refused the request with HTTP ${status}${text ? `: ${excerpt(text)}` : ""} (not retried: a 4xx other than 408/429 will not change on its own)`,
  httpGaveUp: (url: string, attempts: number, last: string) =>
    `${url} did not answer after ${attempts} attempt${attempts === 1 ? "" : "s"} (the last: ${last}); raise --retries or --timeout, or lower --concurrency`,
  httpBodyPlaceholder: (body: string) =>
    `the request body ${body} has no "$texts" (the batch as a list) or "$text" (one text per request): write where the texts go`,
  httpScoresShape: (url: string, path: string | undefined, count: number, response: string) =>
    `${url}: expected ${count} finite number${count === 1 ? "" : "s"} at ${path === undefined ? "the response (or its scores)" : `path ${JSON.stringify(path)}`}, got ${excerpt(response)}; say where the scores are with --scorer-path`,
  httpResponseShape: (url: string, response: string) =>
    `${url}: the answer has no choices[0] text (is it an OpenAI-compatible endpoint?): ${excerpt(response)}`,
  holisticBiasLicence: (dir: string) =>
    `${dir}: no LICENSE or LICENSE-CC-BY-SA-4.0.txt beside the HolisticBias files: the data is CC BY-SA 4.0 and travels with its licence`,
  holisticBiasJson: (file: string, problem: string) => `${file}: not valid JSON (${problem})`,
  onnxMissing: () =>
    "the onnx scorer needs the onnxruntime-node package: npm install onnxruntime-node (with ONNXRUNTIME_NODE_INSTALL=skip where its install script cannot download)",
  onnxModel: (file: string, problem: string) => `${file}: ${problem}`,
} as const;
