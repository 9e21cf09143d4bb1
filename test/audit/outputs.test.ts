import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditReport } from "../../src/audit/types";
import { auditCommand, parseAuditArgs } from "../../src/audit/command";
import { auditToHtml, HTML_MAX_ROWS, writeAuditReport } from "../../src/audit/report";
import { OPENFACE_FULL, OPENFACE_SUBSET, removeTemp, tempDir, UNBC } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");

afterAll(removeTemp);

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(field), (field = ""));
    else if (ch === "\n") (row.push(field), rows.push(row), (row = []), (field = ""));
    else field += ch;
  }
  if (field !== "" || row.length) (row.push(field), rows.push(row));
  return rows;
}

describe("audit reports: JSON, CSV and self-contained HTML, written atomically", () => {
  let report: AuditReport;
  let dir: string;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = tempDir("audit-out");
    // a stale file where the JSON report goes: replaced whole
    fs.writeFileSync(path.join(dir, "report.json"), "{ truncated");
    const args = ["--data", UNBC, "--format", "unbc", "--graph", "pspi", "--resamples", "100", "--limit", "3", "--out", path.join(dir, "report.json")];
    const out = await auditCommand(args, (t) => printed.push(t));
    expect(out.code).toBe(0);
    report = out.report!;
    writeAuditReport(report, path.join(dir, "report.csv"));
    writeAuditReport(report, path.join(dir, "report.html"));
  });

  it("writes only the report files (no temporary leftovers) and prints the per-frame table, fidelity and success = 0 line", () => {
    expect(fs.readdirSync(dir).sort()).toEqual(["report.csv", "report.html", "report.json"]);
    const text = printed.join("\n");
    expect(text).toMatch(/frames with success = 0 \(no face; left out\): n\/a \(no success column\)/);
    expect(text).toMatch(/fidelity to G \(τ = 0\.5 nats\): κ /);
    expect(text).toMatch(/… 13 more frame\(s\) \(all of them in --out\)/);
    expect(text).toContain(`wrote ${path.join(dir, "report.json")} (json)`);
  });

  it("JSON: parses back to the report (NaN as null), every frame included", () => {
    const back = JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8"));
    expect(back.format).toBe("facr-audit/1");
    expect(back.frames).toHaveLength(report.frames.length);
    expect(back.frames[0].rationale).toBe(report.frames[0].rationale);
    expect(back.fidelity.ci.metrics.kappa.estimate).toBeCloseTo(report.fidelity.frames.kappa, 10);
    expect(back.data.path).toBe(UNBC);
    expect(back.data.synthetic).toBe(false);
  });

  it("CSV: one row per frame, Δ and z per AU of G", () => {
    const rows = parseCsv(fs.readFileSync(path.join(dir, "report.csv"), "utf8"));
    const [header, ...body] = rows;
    expect(body).toHaveLength(report.frames.length);
    expect(header.slice(0, 10)).toEqual(["subject", "sequence", "frame", "predicted", "probability", "label", "invoked", "invoked_causal", "rationale", "rationale_aus"]);
    expect(header).toContain("delta_AU04");
    expect(header).toContain("z_AU43");
    expect(body.every((r) => r.length === header.length)).toBe(true);
    const j = header.indexOf("rationale");
    expect(body.map((r) => r[j])).toEqual(report.frames.map((f) => f.rationale));
    expect(Number(body[0][header.indexOf("delta_AU06")])).toBeCloseTo(report.frames[0].delta[report.graph.aus.indexOf("AU06")], 6);
  });

  it("HTML: self-contained (no script, no external resource), figures inline as SVG, caveats shown", () => {
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:\/\//);
    const open = html.match(/<svg\b/g) ?? [];
    expect(open.length).toBe(3);
    expect((html.match(/<\/svg>/g) ?? []).length).toBe(3);
    expect(html).toContain("FIXTURE DATA");
    expect(html).toContain("success = 0");
    for (const f of report.frames) expect(html).toContain(f.rationale);
  });

  it("HTML caps the per-frame table and says so; the rest of the report is unchanged", () => {
    const many: AuditReport = { ...report, frames: Array.from({ length: HTML_MAX_ROWS + 5 }, (_, i) => ({ ...report.frames[i % report.frames.length], frame: i })) };
    const html = auditToHtml(many);
    expect(html).toContain(`First ${HTML_MAX_ROWS} of ${HTML_MAX_ROWS + 5} frames`);
  });

  it("an --out of unknown type is an error, and nothing is replaced", () => {
    const file = path.join(dir, "report.json");
    const before = fs.readFileSync(file, "utf8");
    expect(() => writeAuditReport(report, path.join(dir, "report.xml"))).toThrow(/unknown report type/);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });
});

describe("npx facr: the bin launcher runs the CLI through tsx", () => {
  it("bin/facr.js audit … --out report.csv exits 0 and writes the report", () => {
    const dir = tempDir("audit-bin");
    const out = path.join(dir, "subset.csv");
    const res = spawnSync(process.execPath, [path.join(ROOT, "bin", "facr.js"), "audit", "--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "pspi", "--resamples", "20", "--out", out], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(res.stderr).not.toMatch(/^\s+at\s/m);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/frames with success = 0 \(no face; left out\): 0/);
    expect(res.stdout).toMatch(/no CI: a subject-bootstrap CI needs at least 2 subjects/);
    expect(parseCsv(fs.readFileSync(out, "utf8"))).toHaveLength(13);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).bin).toEqual({ facr: "bin/facr.js" });
  });

  it("killing the launcher mid-run stops the audit: no process is left and no report is written", async () => {
    const dir = tempDir("audit-kill");
    const out = path.join(dir, `killed-${process.pid}.html`);
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "facr.js"), "audit", "--data", OPENFACE_FULL, "--format", "openface", "--graph", "emotion", "--resamples", "5000", "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (b) => (stdout += b));
    // wait until the audit is at work (its first log line), then SIGTERM the launcher only
    const deadline = Date.now() + 60_000;
    while (!stdout && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).not.toBe("");
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect(signal ?? code).not.toBe(0);
    // an orphaned audit would still be running (its command line names the report) and would write it later
    const running = () => spawnSync("pgrep", ["-f", path.basename(out)], { encoding: "utf8" }).stdout.trim();
    const until = Date.now() + 15_000;
    while (running() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toBe("");
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 120_000);

  it("the launcher forwards exit code 2", () => {
    const res = spawnSync(process.execPath, [path.join(ROOT, "bin", "facr.js"), "audit", "--data", OPENFACE_SUBSET, "--format", "nope", "--graph", "pspi"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("facr audit: field --format: must be one of openface, unbc, ckplus");
  });
});

describe("byte-reproducible reports (--deterministic, SOURCE_DATE_EPOCH)", () => {
  it("two runs with --deterministic write the same bytes in every format; without it the timings differ", async () => {
    const dir = tempDir("audit-det");
    const run = async (name: string, extra: string[], env: NodeJS.ProcessEnv = {}) => {
      const saved = process.env.SOURCE_DATE_EPOCH;
      if (env.SOURCE_DATE_EPOCH !== undefined) process.env.SOURCE_DATE_EPOCH = env.SOURCE_DATE_EPOCH;
      else delete process.env.SOURCE_DATE_EPOCH;
      try {
        const texts: string[] = [];
        for (const ext of ["json", "csv", "html"]) {
          const out = path.join(dir, `${name}.${ext}`);
          await auditCommand(["--data", OPENFACE_SUBSET, "--format", "openface", "--graph", "pspi", "--resamples", "20", "--out", out, ...extra], () => {});
          texts.push(fs.readFileSync(out, "utf8"));
        }
        return texts;
      } finally {
        if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
        else process.env.SOURCE_DATE_EPOCH = saved;
      }
    };
    const a = await run("a", ["--deterministic"]);
    const b = await run("b", ["--deterministic"]);
    expect(b).toEqual(a);
    const json = JSON.parse(a[0]);
    expect(json.deterministic).toBe(true);
    expect(json.provenance.startedAt).toBe("1970-01-01T00:00:00.000Z");
    expect(Object.values(json.durations)).toEqual([0, 0, 0, 0, 0, 0]);
    const epoch = await run("e", [], { SOURCE_DATE_EPOCH: "1700000000" });
    expect(JSON.parse(epoch[0]).provenance.startedAt).toBe("2023-11-14T22:13:20.000Z");
    expect(epoch[2]).toContain("2023-11-14T22:13:20.000Z");
    const plain = JSON.parse((await run("p", []))[0]);
    expect(plain.deterministic).toBe(false);
    expect(plain.durations.totalSeconds).toBeGreaterThan(0);
    await expect(run("x", [], { SOURCE_DATE_EPOCH: "yesterday" })).rejects.toThrow(/field SOURCE_DATE_EPOCH: must be a whole number/);
    expect(() => parseAuditArgs(["--deterministic=yes"])).toThrow(/field --deterministic: takes no value/);
  }, 180_000);
});
