/**
 * A drawn 68-point face (iBUG layout) for the real-format fixtures: a neutral
 * shape from simple geometry plus small AU-driven movements, so fixture landmarks
 * look like a face and move plausibly (brows for AU1/2/4, lids for AU6/7/43/45,
 * lips for AU9/10/12/15/20/25, jaw for AU26/27). Not a model of anything: the
 * synthetic generators have their own displacement fields.
 */

/** 68 points, (x, y) interleaved, image coordinates, centered on (cx, cy) with half-width `w` (~90 px). */
export function neutralFace68(cx: number, cy: number, w = 90): Float64Array {
  const s = w / 90;
  const pts: [number, number][] = [];
  for (let i = 0; i <= 16; i++) {
    const phi = (Math.PI * i) / 16;
    pts.push([-90 * Math.cos(phi), -10 + 115 * Math.sin(phi)]); // jaw 0–16
  }
  for (let j = 0; j < 5; j++) pts.push([-75 + 15 * j, -45 - 8 * Math.sin((Math.PI * j) / 4)]); // left brow 17–21
  for (let j = 0; j < 5; j++) pts.push([15 + 15 * j, -45 - 8 * Math.sin((Math.PI * (4 - j)) / 4)]); // right brow 22–26
  for (let j = 0; j < 4; j++) pts.push([0, -25 + 15 * j]); // nose bridge 27–30
  for (let j = 0; j < 5; j++) pts.push([-18 + 9 * j, 30 + 3 * (1 - Math.abs(j - 2) / 2)]); // nose base 31–35
  pts.push([-62, -10], [-52, -17], [-38, -17], [-28, -10], [-38, -5], [-52, -5]); // left eye 36–41
  pts.push([28, -10], [38, -17], [52, -17], [62, -10], [52, -5], [38, -5]); // right eye 42–47
  pts.push([-35, 65], [-22, 58], [-9, 55], [0, 57], [9, 55], [22, 58], [35, 65], [22, 75], [9, 79], [0, 80], [-9, 79], [-22, 75]); // outer lips 48–59
  pts.push([-30, 65], [-10, 63], [0, 63], [10, 63], [30, 65], [10, 67], [0, 67], [-10, 67]); // inner lips 60–67
  const out = new Float64Array(136);
  pts.forEach(([x, y], i) => {
    out[2 * i] = cx + s * x;
    out[2 * i + 1] = cy + s * y;
  });
  return out;
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Move a 68-point face (in place) by AU intensities {4: 2, 12: 3, 43: 1, …} on 0–5 (binary AUs 0/1). */
export function expressFace68(face: Float64Array, aus: Readonly<Record<number, number>>, w = 90): Float64Array {
  const s = w / 90;
  const a = (n: number) => (aus[n] ?? 0) / 5;
  const move = (idx: number[], dx: number, dy: number) => {
    for (const i of idx) {
      face[2 * i] += s * dx;
      face[2 * i + 1] += s * dy;
    }
  };
  const brows = range(17, 26);
  move(brows, 0, -6 * (a(1) + a(2)));
  move(brows, 0, 5 * a(4));
  move(range(19, 21), 3 * a(4), 0);
  move(range(22, 24), -3 * a(4), 0);
  move([40, 41, 46, 47], 0, -2 * (a(6) + a(7)));
  const closed = Math.max(aus[43] ?? 0, aus[45] ?? 0) > 0 ? 1 : 0;
  move([37, 38, 43, 44], 0, 11 * closed);
  move([50, 51, 52, 61, 62, 63], 0, -4 * Math.max(a(9), a(10)));
  move([48, 60], -6 * a(12) - 5 * a(20), -5 * a(12) + 4 * a(15));
  move([54, 64], 6 * a(12) + 5 * a(20), -5 * a(12) + 4 * a(15));
  move([55, 56, 57, 58, 59, 65, 66, 67], 0, 3 * a(25) + 8 * Math.max(a(26), a(27)));
  move(range(5, 11), 0, 8 * Math.max(a(26), a(27)));
  return face;
}

/** MATLAB `save -ascii` ("%16.7e"), how the UNBC and CK+ label files write numbers: `sci(4)` = "   4.0000000e+00". */
export function sci(v: number): string {
  const [m, e] = v.toExponential(7).split("e");
  const exp = Number(e);
  const text = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return text.padStart(16);
}

/** A number as OpenFace's C++ streams write it: at most `digits` significant digits, no trailing zeros. */
export function short(v: number, digits = 6): string {
  const r = Number(v.toPrecision(digits));
  return String(Object.is(r, -0) ? 0 : r);
}
