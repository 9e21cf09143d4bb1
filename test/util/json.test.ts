import { describe, expect, it } from "vitest";
import { firstJsonError, parseJson } from "../../src/util/json";

describe("parseJson", () => {
  it("parses valid JSON", () => {
    expect(parseJson('{"a": [1, 2.5e3, true, null, "x\\n"]}', "f.json")).toEqual({ a: [1, 2500, true, null, "x\n"] });
  });
  it.each([
    ['{\n  "a": 1,\n  "b" :: 2}', 3, 8],
    ['{"a": 1,\n}', 2, 1],
    ["[1, 2", 1, 6],
    ['{"a": tru}', 1, 7],
    ['{"a": 01}', 1, 8],
    ["", 1, 1],
  ])("locates the first error in %j at line %i, column %i", (text, line, col) => {
    expect(() => parseJson(text, "f.json")).toThrow(new RegExp(`^f.json:${line}: not valid JSON, column ${col} `));
  });
  it("agrees with JSON.parse on valid input", () => {
    const text = JSON.stringify({ x: [1, { y: "z\u00e9\\" }], w: -0.5e-3 });
    expect(firstJsonError(text)).toBe(text.length);
  });
});
