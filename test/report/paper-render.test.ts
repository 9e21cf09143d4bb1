import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPaper } from "../../src/report/paper";
import { paperToHtml } from "../../src/report/pdf";

/**
 * The real template rendered as `facr paper` renders it (committed reference
 * results/ and figures/, read only), into a temporary directory. Guards two
 * rendering bugs: a hard-wrapped formula line beginning with "+ " became a
 * Markdown bullet, and a figure caption containing "|" (the heatmap's "|Δ|")
 * was cut at the first "|" of the caption.
 */
const root = path.resolve(__dirname, "..", "..");
const template = path.join(root, "paper", "paper.template.md");

function render(): { md: string; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-paper-render-"));
  const out = path.join(dir, "paper", "paper.md");
  buildPaper({ resultsDir: path.join(root, "results"), figuresDir: path.join(root, "figures"), template, out });
  return { md: fs.readFileSync(out, "utf8"), out };
}

/** Every {{figure:NAME|CAPTION}} of the template: the caption is everything after the first "|". */
function templateFigures(): { name: string; caption: string }[] {
  const text = fs.readFileSync(template, "utf8");
  return [...text.matchAll(/\{\{figure:([^|}]+)\|([^}]*)\}\}/g)].map((m) => ({ name: m[1].trim(), caption: m[2].trim() }));
}

describe("the rendered paper (real template, reference results)", () => {
  it("has no line a Markdown reader takes for an unintended bullet; the loss formula is one paragraph", () => {
    const { md } = render();
    const plus = md.split("\n").map((l, i) => [i + 1, l] as const).filter(([, l]) => /^\s*\+\s/.test(l));
    expect(plus).toEqual([]);
    // the whole total-loss formula sits in one paragraph (no blank line, no list item inside it)
    const para = md.split(/\n\s*\n/).find((p) => p.includes("The total loss is"));
    expect(para).toBeDefined();
    expect(para).toMatch(/cross-entropy[\s\S]*λ_au·BCE\(z, AU labels\)[\s\S]*λ_cf·L_cf/);
    expect(para!.split("\n").filter((l) => /^\s*[-+*]\s/.test(l))).toEqual([]);
  });

  it("prints every figure caption in full, including captions that contain '|'", async () => {
    const figures = templateFigures();
    expect(figures.length).toBeGreaterThanOrEqual(6);
    const heatmap = figures.find((f) => f.name === "pspi-effects");
    expect(heatmap?.caption).toContain("|Δ|");
    expect(heatmap!.caption.length).toBeGreaterThan("Mean".length);

    const { md, out } = render();
    const images = new Map([...md.matchAll(/!\[([^\]]*)\]\(([^)]*?)([^/)]+)\.svg\)/g)].map((m) => [m[3], m[1]]));
    // figures of results the committed results/ predate (second protocol, regime map) render as a note instead
    const built = figures.filter((f) => fs.existsSync(path.join(root, "figures", `${f.name}.svg`)));
    expect(built.map((f) => f.name)).toContain("pspi-effects");
    for (const f of figures.filter((g) => !built.includes(g))) expect(md).toMatch(new RegExp(`\\*\\(figure ${f.name}(:| not built)`));
    for (const f of built) expect({ figure: f.name, caption: images.get(f.name) }).toEqual({ figure: f.name, caption: f.caption });

    // the Markdown → HTML step (the one the PDF is printed from) keeps them too
    const html = await paperToHtml(out);
    // the HTML writer escapes attribute text (an apostrophe becomes &#39;)
    const attr = (t: string) => t.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    for (const f of built) expect(html).toContain(`alt="${attr(f.caption)}"`);
    // and the formula did not become a list
    expect(html).not.toMatch(/<li>\s*λ_cf·L_cf/);
  });

  it("figure directive: the name ends at the first '|', the rest is the caption verbatim (brackets escaped), none → the name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-paper-fig-"));
    fs.writeFileSync(path.join(dir, "f.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    const t = path.join(dir, "t.md");
    fs.writeFileSync(t, "{{figure: f | Mean |Δ| of [x], a|b }}\n\n{{figure:f}}\n");
    const out = path.join(dir, "paper.md");
    buildPaper({ resultsDir: dir, figuresDir: dir, template: t, out });
    expect(fs.readFileSync(out, "utf8")).toBe("![Mean |Δ| of \\[x\\], a|b](f.svg)\n\n![f](f.svg)\n");
    const html = await paperToHtml(out);
    expect(html).toContain('alt="Mean |Δ| of [x], a|b"');
    expect(html).toContain('alt="f"');
  });
});
