import * as fs from "node:fs";
import * as path from "node:path";
import { marked } from "marked";
import { chromiumPath, withChromium } from "../util/chromium";
import { writeFileAtomic } from "../util/atomic";

/**
 * paper.md → paper.html (self-contained: SVG figures inlined as data: URLs) and,
 * where Debian's Chromium is available, paper.pdf printed by it. Markdown is
 * always produced; the PDF is skipped with a reason when no converter exists.
 */
export async function paperToHtmlAndPdf(mdFile: string): Promise<{ html: string; pdf: string | null; reason?: string }> {
  const html = await paperToHtml(mdFile);
  const htmlFile = mdFile.replace(/\.md$/, ".html");
  writeFileAtomic(htmlFile, html);
  if (!chromiumPath()) return { html: htmlFile, pdf: null, reason: "no Chromium (apt-get install chromium) to print the PDF" };
  const pdf = await withChromium((r) => r.htmlToPdf(html));
  const pdfFile = mdFile.replace(/\.md$/, ".pdf");
  writeFileAtomic(pdfFile, new Uint8Array(pdf));
  return { html: htmlFile, pdf: pdfFile };
}

/** paper.md → the self-contained HTML page (the PDF is printed from it); writes nothing. */
export async function paperToHtml(mdFile: string): Promise<string> {
  const dir = path.dirname(mdFile);
  const md = fs.readFileSync(mdFile, "utf8").replace(/!\[((?:\\.|[^\]\\])*)\]\(([^)]+\.svg)\)/g, (_m, alt: string, rel: string) => {
    const file = path.resolve(dir, rel);
    if (!fs.existsSync(file)) return `*(missing figure ${rel})*`;
    return `![${alt}](data:image/svg+xml;base64,${fs.readFileSync(file).toString("base64")})`;
  });
  const body = await marked.parse(md);
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>FACR reproduction</title><style>
body{font-family:"DejaVu Serif",Georgia,serif;max-width:46em;margin:2em auto;line-height:1.45;font-size:11pt;color:#111}
h1,h2,h3{font-family:"DejaVu Sans",Helvetica,sans-serif}
table{border-collapse:collapse;font-size:8.5pt;margin:1em 0;width:100%}
th,td{border:1px solid #bbb;padding:3px 5px;vertical-align:top}
th{background:#f0f0f0}
img{max-width:100%;display:block;margin:1em auto}
blockquote{border-left:4px solid #c51b7d;margin:1em 0;padding:.2em 1em;background:#fbf3f7}
code{font-size:90%}
</style></head><body>${body}</body></html>`;
}
