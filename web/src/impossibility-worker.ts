/**
 * Runs the engine's impossibility analysis off the page's main thread: it fits the
 * ThresholdOptimizer several times, which takes seconds on a million rows. The worker keeps its
 * own score tables per data set and answers only the latest request.
 */
import { type GroupInfo, type ScoreTable, buildScoreTable, impossibilityFromTable } from "../../src/internal.js";

export type ImpossibilityRequest =
  | {
      type: "data";
      dataId: number;
      score: Float64Array;
      yTrue: Uint8Array;
      codes: Int32Array;
      groups: GroupInfo[];
      columns: string[];
      weights?: Float64Array;
    }
  | {
      type: "analyse";
      dataId: number;
      requestId: number;
      thresholds: Record<string, number>;
      tolerance: number;
      minGroupSize: number;
    };

let table: { dataId: number; scores: ScoreTable } | null = null;
let latest: Extract<ImpossibilityRequest, { type: "analyse" }> | null = null;
let scheduled = false;

function run(): void {
  scheduled = false;
  const request = latest;
  latest = null;
  if (!request || !table || table.dataId !== request.dataId) return;
  try {
    const report = impossibilityFromTable(table.scores, {
      thresholds: request.thresholds,
      tolerance: request.tolerance,
      minGroupSize: request.minGroupSize,
    });
    self.postMessage({ type: "report", requestId: request.requestId, report });
  } catch (e) {
    self.postMessage({ type: "error", requestId: request.requestId, message: (e as Error).message });
  }
}

self.onmessage = (event: MessageEvent<ImpossibilityRequest>) => {
  const msg = event.data;
  if (msg.type === "data") {
    table = {
      dataId: msg.dataId,
      scores: buildScoreTable(
        msg.score,
        msg.yTrue,
        { columns: msg.columns, groups: msg.groups, codes: msg.codes },
        msg.weights,
      ),
    };
    return;
  }
  // Requests that arrived while an analysis ran replace each other: only the newest is computed.
  latest = msg;
  if (!scheduled) {
    scheduled = true;
    setTimeout(run, 0);
  }
};
