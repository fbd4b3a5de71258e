/**
 * Reading a PDF's text layer in tests, with pdf.js (pdfjs-dist, the library Firefox renders PDFs
 * with): the text of each page as one line — the text items in content-stream order (for a page
 * Chromium printed, the order of the HTML), joined as pdf.js delimits them (an item that ends a line
 * is followed by a space; ligatures pdf.js splits, "fi" in "file", are joined again), whitespace
 * collapsed, and a word broken after a hyphen at a line end joined again ("African-" + "American").
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** The number of pages and each page's text (see the file's header for how it is joined). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: string[] = [];
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.hasEOL) text += " ";
      }
      pages.push(
        text
          .replace(/\s+/g, " ")
          .replace(/([A-Za-z])- (?=[A-Za-z])/g, "$1-")
          .trim(),
      );
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}

/**
 * The numbers a text shows: digits with optional thousands separators, decimals and a percent sign,
 * not part of a word or a rule citation (`§5-301`, `decile_score`, `v0.0.2` are not numbers).
 */
export function numericTokens(text: string): string[] {
  return [...text.matchAll(/(?<![\p{L}\d_.§,-])-?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?(?![\p{L}\d_])/gu)].map((m) => m[0]);
}
