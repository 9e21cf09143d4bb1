import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formatVerbalizerSummary, runVerbalizerExperiment } from "../../src/experiments/verbalizer";
import { parseText, Vocabulary } from "../../src/verbalizer/grammar";

describe("verbalizer experiment (smoke profile)", () => {
  it("audits free and gated decoding on both backbones and both tasks; gated removes ablated AUs, free does not; result written atomically", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "facr-verbalizer-"));
    const out = path.join(dir, "verbalizer.json");
    const lines: string[] = [];
    const r = await runVerbalizerExperiment({ profile: "smoke", out, log: (l) => lines.push(l) });

    expect(r.audit).toHaveLength(2 * 2 * 2);
    for (const task of ["pain", "emotion"] as const) {
      for (const backbone of ["gru", "transformer"] as const) {
        const row = (mode: string) => r.audit.find((a) => a.task === task && a.backbone === backbone && a.mode === mode)!;
        const free = row("free").measures;
        const gated = row("gated").measures;
        // a real check on trained models (seeded): every ablated AU leaves the gated rationale …
        expect(row("gated").ablations, `${task} ${backbone}`).toBeGreaterThan(0);
        expect(gated.removal.estimate, `${task} ${backbone}`).toBe(1);
        // … and the free rationale, which never reads the activations, keeps it
        expect(free.removal.estimate, `${task} ${backbone}`).toBeLessThan(gated.removal.estimate);
        expect(free.removal.estimate).toBe(0);
        expect(free.stability.estimate).toBe(1);
        for (const m of Object.values(gated)) if (!Number.isNaN(m.estimate)) expect(m.lo).toBeLessThanOrEqual(m.hi);
      }
    }
    // both language models learned something: far below the unigram baseline
    for (const b of ["gru", "transformer"] as const) expect(r.languageModels[b].validationPerplexity).toBeLessThan(r.perplexityBaselines.unigram / 3);
    // β and θ come from the GRU's grid and are applied to both backbones
    expect(r.gate.selectedOn).toBe("gru");
    expect(r.gate.grid.some((g) => g.beta === r.gate.beta && g.theta === r.gate.theta)).toBe(true);
    // examples are texts of the grammar's vocabulary; accepted ones parse back
    const vocab = new Vocabulary({ classes: ["no_pain", "pain", "neutral", "anger", "disgust", "fear", "happiness", "sadness", "surprise"], aus: r.vocabulary.tokens.filter((t) => /^AU\d\d$/.test(t)) });
    expect(vocab.tokens).toEqual(r.vocabulary.tokens);
    for (const a of r.audit) for (const e of a.examples) expect(typeof e.text).toBe("string");
    for (const text of r.corpus.examples) expect(parseText(text.replace(/^\[[a-z_]+\] /, ""), vocab).accepted).toBe(true);

    // bookkeeping
    expect(r.data.synthetic).toBe(true);
    expect(["wasm", "tensorflow", "cpu"]).toContain(r.provenance.backend);
    const saved = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(saved.configHash).toBe(r.configHash);
    expect(fs.readdirSync(dir)).toEqual(["verbalizer.json"]);
    const summary = formatVerbalizerSummary(r);
    expect(summary).toMatch(/SYNTHETIC/);
    expect(summary.split("\n").filter((l) => /^(pain|emotion) /.test(l))).toHaveLength(8);
    expect(lines.some((l) => /gate chosen on the GRU/.test(l))).toBe(true);
  });

  it("rejects unknown config keys, naming them", async () => {
    await expect(runVerbalizerExperiment({ profile: "smoke", overrides: { gate: { thetaGates: 0.2 } } as never, log: () => {} })).rejects.toThrow(/config.gate.thetaGates/);
  });
});
