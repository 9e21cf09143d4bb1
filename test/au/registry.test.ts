import { describe, expect, it } from "vitest";
import { ACTION_UNITS, actionUnit, auCode, auMax, normalizeAuCode, OPENFACE_AUS, pspiOf, UNBC_AUS } from "../../src/au";

describe("AU registry", () => {
  it("knows every AU of both task sets, with FACS names and scales", () => {
    for (const code of [...UNBC_AUS, ...OPENFACE_AUS]) expect(actionUnit(code).code).toBe(code);
    expect(UNBC_AUS).toHaveLength(11);
    expect(OPENFACE_AUS).toHaveLength(17);
    expect(actionUnit(4)).toMatchObject({ code: "AU04", name: "Brow Lowerer", region: "brows", scale: "intensity" });
    expect(actionUnit("AU43").scale).toBe("binary");
    expect(actionUnit("45").scale).toBe("binary");
    expect(ACTION_UNITS.filter((a) => a.scale === "binary").map((a) => a.code)).toEqual(["AU43", "AU45"]);
    expect(auMax("AU43")).toBe(1);
    expect(auMax("AU26")).toBe(5);
    expect(new Set(ACTION_UNITS.map((a) => a.code)).size).toBe(ACTION_UNITS.length);
  });

  it("normalizes spellings and rejects unknown AUs by name", () => {
    expect(auCode(7)).toBe("AU07");
    expect(normalizeAuCode("au7")).toBe("AU07");
    expect(normalizeAuCode("AU007")).toBe("AU07");
    expect(normalizeAuCode("brow")).toBeNull();
    expect(() => actionUnit("AU99")).toThrow(/unknown action unit "AU99"/);
  });

  it("computes PSPI = AU4 + max(AU6, AU7) + max(AU9, AU10) + AU43", () => {
    const pspi = pspiOf(UNBC_AUS);
    //            4  6  7  9 10 12 20 25 26 27 43
    expect(pspi([3, 1, 2, 0, 4, 5, 5, 5, 5, 5, 1])).toBe(3 + 2 + 4 + 1);
    expect(pspi([0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 0])).toBe(0);
    expect(pspi([5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 1])).toBe(16);
    expect(() => pspiOf(OPENFACE_AUS)).toThrow(/PSPI needs AU43/);
  });
});
