import { describe, expect, it } from "vitest";
import { OPENFACE_AUS, UNBC_AUS } from "../../../src/au/registry";
import { NEUTRAL_FACE_68, canonicalShape, to66 } from "../../../src/data/face";
import { auGallerySvg, counterfactualFaceSvg, faceSvg } from "../../../src/figures/face";

const tooPrecise = /\d\.\d{3,}/;

describe("face figures", () => {
  it("draws the AU04 counterfactual pair (snapshot)", async () => {
    const svg = counterfactualFaceSvg("AU04");
    expect(svg).toContain("AU04 Brow Lowerer: 0 vs 5");
    expect(svg).not.toMatch(tooPrecise);
    await expect(svg).toMatchFileSnapshot("./__snapshots__/counterfactual-AU04.svg");
  });

  it("titles binary AUs 0 vs 1 and rejects unknown AUs by name", () => {
    expect(counterfactualFaceSvg("AU43")).toContain("AU43 Eyes Closed: 0 vs 1");
    expect(counterfactualFaceSvg("AU26", { lo: 1, hi: 3 })).toContain("AU26 Jaw Drop: 1 vs 3");
    expect(() => counterfactualFaceSvg("AU99")).toThrow(/AU99/);
  });

  it("draws one face in either layout, fitted inside the view box", () => {
    for (const points of [NEUTRAL_FACE_68, to66(Float32Array.from(NEUTRAL_FACE_68))]) {
      const svg = faceSvg(Float32Array.from(points), { width: 200, height: 300, title: "a & b" });
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"')).toBe(true);
      expect(svg).toContain("a &amp; b");
      expect(svg).not.toMatch(tooPrecise);
      const nums = [...svg.matchAll(/points="([^"]+)"/g)].flatMap((m) => m[1].split(/[ ,]/).map(Number));
      const xs = nums.filter((_, i) => i % 2 === 0);
      const ys = nums.filter((_, i) => i % 2 === 1);
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThanOrEqual(200);
      expect(Math.min(...ys)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...ys)).toBeLessThanOrEqual(300);
    }
    expect(() => faceSvg(new Float32Array(10))).toThrow(/68 points/);
  });

  it("draws appearance marks only where the features have energy", () => {
    const shape = canonicalShape({ AU04: 5 });
    const none = faceSvg(shape, { appearance: { glabella_furrows: 0 } });
    const strong = faceSvg(shape, { appearance: { glabella_furrows: 1 } });
    expect(none).not.toContain("<path");
    expect(strong).toContain('stroke-opacity="1"');
  });

  it("lays out a gallery with one titled pair per AU", () => {
    const aus = [...new Set([...UNBC_AUS, ...OPENFACE_AUS])].sort();
    const svg = auGallerySvg(aus, { columns: 5 });
    for (const au of aus) expect(svg).toContain(`>${au} `);
    expect(svg.match(/<rect x=/g)).toHaveLength(aus.length);
    expect(svg).toMatch(/width="2000" height="1040"/); // 5 columns × 400, 4 rows × 260
    // clip-path ids stay unique within the document
    const ids = [...svg.matchAll(/clipPath id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
