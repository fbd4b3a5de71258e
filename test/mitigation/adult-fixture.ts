/** Adult prepared as the issue fixes it: label >50K, sensitive sex, train = first 22,793 rows. */
import { fitTabular } from "../../src/models/tabular.js";
import type { Matrix } from "../../src/models/matrix.js";
import { ADULT_COLUMNS, adultRows } from "../helpers/data.js";

export interface AdultSplit {
  Xtrain: Matrix;
  Xtest: Matrix;
  ytrain: Uint8Array;
  ytest: Uint8Array;
  sexTrain: string[];
  sexTest: string[];
  featureNames: readonly string[];
}

export const ADULT_TRAIN_ROWS = 22793;

export function adultTable(): Record<string, string[]> {
  const rows = adultRows();
  return Object.fromEntries(ADULT_COLUMNS.map((c) => [c, rows.map((r) => r[c])]));
}

export function adultSplit(): AdultSplit {
  const table = adultTable();
  const slice = (from: number, to?: number) =>
    Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v.slice(from, to)]));
  const train = slice(0, ADULT_TRAIN_ROWS);
  const test = slice(ADULT_TRAIN_ROWS);
  const prep = fitTabular(train, { exclude: ["sex", "income"] });
  const label = (v: string[]) => Uint8Array.from(v, (s) => (s.startsWith(">50K") ? 1 : 0));
  return {
    Xtrain: prep.transform(train),
    Xtest: prep.transform(test),
    ytrain: label(train.income),
    ytest: label(test.income),
    sexTrain: train.sex,
    sexTest: test.sex,
    featureNames: prep.featureNames,
  };
}
