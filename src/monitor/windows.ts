/**
 * Time windows and what is counted in each: the confusion counts of the labelled rows, the
 * decisions of every row, and each group's binned scores. All of it adds up, so a window's counts
 * merge exactly (two files of the same day, or days into a week) with {@link mergeWindowCounts}.
 *
 * Windows are aligned in UTC to fixed origins, so the same timestamp falls in the same window
 * whatever file or run it comes from: an hour or a day starts at a multiple of its width since the
 * Unix epoch, a week on a Monday (the first, 1970-01-05), an N-day window at a multiple of N days
 * since the epoch.
 *
 * Browser-safe: no dependencies.
 */
import { type ConfusionTable, mergeConfusion } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1970-01-05, the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY;

/** A window width: its name as given, its length and the origin its starts are aligned to. */
export interface WindowSpec {
  name: string;
  /** Milliseconds. */
  width: number;
  /** Epoch milliseconds of one window start. */
  origin: number;
}

/**
 * Reads `hour`, `day`, `week` or `<N>d` (N days, N a positive integer).
 *
 * @example
 * parseWindow("7d"); // { name: "7d", width: 604800000, origin: 0 }
 */
export function parseWindow(text: string): WindowSpec {
  if (text === "hour") return { name: text, width: HOUR, origin: 0 };
  if (text === "day") return { name: text, width: DAY, origin: 0 };
  if (text === "week") return { name: text, width: 7 * DAY, origin: FIRST_MONDAY };
  const match = /^([1-9][0-9]{0,3})d$/.exec(text);
  if (match) return { name: text, width: Number(match[1]) * DAY, origin: 0 };
  throw new FairkitError("BAD_ARGUMENT", messages.badWindow(text), { argument: "window" });
}

/** The start (epoch ms) of the window holding `time` (epoch ms). */
export function windowStart(spec: WindowSpec, time: number): number {
  return spec.origin + Math.floor((time - spec.origin) / spec.width) * spec.width;
}

/** The reference the windows are compared with: the first window, or the windows starting in [start, end). */
export type ReferenceSpec = { kind: "first" } | { kind: "period"; start: number; end: number };

/**
 * Reads `first` (any case) or `<start>..<end>` (ISO dates or date-times, UTC unless they say;
 * the reference is every window starting at or after `start` and before `end`).
 *
 * @example
 * parseReference("2013-01-01..2013-02-01");
 */
export function parseReference(text: string): ReferenceSpec {
  if (text.toLowerCase() === "first") return { kind: "first" };
  const parts = text.split("..");
  if (parts.length === 2) {
    const [start, end] = parts.map((p) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(p) ? `${p}T00:00:00Z` : p));
    if (Number.isFinite(start) && Number.isFinite(end) && start < end) return { kind: "period", start, end };
  }
  throw new FairkitError("BAD_ARGUMENT", messages.badReference(text), { argument: "reference" });
}

/** What one window holds. */
export interface WindowCounts {
  /** Epoch ms; the window is [start, start + width). */
  start: number;
  /**
   * Every row's decision, by group: the label is not read, so every row is in the label-0 cells
   * (TN, FP). Only label-free metrics (selection rate, group size) are taken from it.
   */
  decisions: ConfusionTable;
  /** The confusion counts of the rows that have a label (no groups when none has). */
  labelled: ConfusionTable;
  /** Group label → weighted score counts per bin (`edges.length + 1` bins); absent without a score. */
  scores?: Record<string, number[]>;
}

/** Adds two windows' counts (the same window from two sources, or windows into a wider one). */
export function mergeWindowCounts(a: WindowCounts, b: WindowCounts, start = Math.min(a.start, b.start)): WindowCounts {
  const merged: WindowCounts = {
    start,
    decisions: mergeConfusion(a.decisions, b.decisions),
    labelled: mergeConfusion(a.labelled, b.labelled),
  };
  if (a.scores || b.scores) {
    const scores: Record<string, number[]> = {};
    for (const side of [a.scores ?? {}, b.scores ?? {}]) {
      for (const [group, bins] of Object.entries(side)) {
        const into = scores[group];
        if (into === undefined) scores[group] = [...bins];
        else if (into.length !== bins.length)
          throw new FairkitError("BAD_ARGUMENT", messages.binLengths(into.length, bins.length), { argument: "scores" });
        else
          bins.forEach((c, i) => {
            into[i] += c;
          });
      }
    }
    merged.scores = scores;
  }
  return merged;
}
