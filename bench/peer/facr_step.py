#!/usr/bin/python3
"""The PyTorch twin of one FACR training step and of the intervention effects.

Written the way a PyTorch user would write the same model: an nn.Module with
nn.Linear layers, autograd, torch.optim.Adam. The math is facr's (spec §2–§4):

    E(x)    = relu MLP [128, 64] -> z = sigmoid(.) [K], h = linear [d]
    H(z, h) = relu MLP [32] on concat(z, h) -> logits [C]
    L       = CE(y, H(z, h)) + λ_au · masked BCE(z, au) + λ_cf · L_cf
    L_cf    = w · mean causal hinge + (1 − w) · mean Δ² of irrelevant AUs,
              Δ[i,k,c] = ℓ_c(H(do(z_k := hi))) − ℓ_c(H(do(z_k := lo))),
              the AU's substitute-group partners set to lo in both arms,
              ℓ the class log-odds.

Used by bench/peer.ts (make bench-peer), two ways:

  /usr/bin/python3 bench/peer/facr_step.py --check FILE
      load the weights, batch and graph facr dumped to FILE, compute the loss
      terms, gradients and effects, print the max abs differences to facr's;
      exit 1 when one exceeds the tolerance (default 1e-4).
  /usr/bin/python3 bench/peer/facr_step.py --serve --threads N
      a timing server: one JSON command per line on stdin, one JSON answer per
      line on stdout (diagnostics on stderr). bench/peer.ts interleaves its
      rounds with facr's.

Run it with Debian's /usr/bin/python3 (python3-torch lives in its dist-packages,
which a pyenv python on PATH does not see).
"""
import argparse
import ctypes
import json
import math
import os
import subprocess
import sys
import time


def _threads_from_argv():
    # BLAS and OpenMP read their thread counts when the libraries load: set them
    # before importing torch. OpenBLAS's pthread build ignores torch.set_num_threads.
    if "--threads" in sys.argv:
        n = sys.argv[sys.argv.index("--threads") + 1]
        os.environ["OPENBLAS_NUM_THREADS"] = n
        os.environ["OMP_NUM_THREADS"] = n
        return int(n)
    return None


THREADS = _threads_from_argv()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

if THREADS is not None:
    torch.set_num_threads(THREADS)


# ---------------------------------------------------------------- the model


class Reasoner(nn.Module):
    def __init__(self, D, K, d, C, encoder_hidden=(128, 64), head_hidden=(32,)):
        super().__init__()
        self.K = K
        widths = [D, *encoder_hidden]
        self.encoder = nn.ModuleList(nn.Linear(i, o) for i, o in zip(widths, widths[1:]))
        self.z = nn.Linear(widths[-1], K)
        self.h = nn.Linear(widths[-1], d)
        hw = [K + d, *head_hidden, C]
        self.head_layers = nn.ModuleList(nn.Linear(i, o) for i, o in zip(hw, hw[1:]))

    def encode(self, x):
        a = x
        for layer in self.encoder:
            a = F.relu(layer(a))
        return torch.sigmoid(self.z(a)), self.h(a)

    def head(self, z, h):
        a = torch.cat([z, h], dim=1)
        for j, layer in enumerate(self.head_layers):
            if j > 0:
                a = F.relu(a)
            a = layer(a)
        return a

    # facr's names ("encoder0/w" is [in, out]; nn.Linear.weight is [out, in])
    def facr_layers(self):
        named = [(f"encoder{j}", l) for j, l in enumerate(self.encoder)]
        named += [("z", self.z), ("h", self.h)]
        named += [(f"head{j}", l) for j, l in enumerate(self.head_layers)]
        return named

    def load_facr(self, weights):
        with torch.no_grad():
            for name, layer in self.facr_layers():
                w = weights[f"{name}/w"]
                b = weights[f"{name}/b"]
                layer.weight.copy_(torch.tensor(w["data"], dtype=torch.float32).reshape(w["shape"]).T)
                layer.bias.copy_(torch.tensor(b["data"], dtype=torch.float32).reshape(b["shape"]))

    def facr_grads(self):
        out = {}
        for name, layer in self.facr_layers():
            out[f"{name}/w"] = layer.weight.grad.T
            out[f"{name}/b"] = layer.bias.grad
        return out


# ---------------------------------------------------------------- the graph


class Graph:
    """polarity [K, C] and, per (AU, class), the substitute-group partners set to lo."""

    def __init__(self, g):
        self.aus = list(g["aus"])
        self.classes = list(g["classes"])
        K, C = len(self.aus), len(self.classes)
        self.polarity = torch.tensor(g["polarity"], dtype=torch.float32)  # [K, C]
        patterns, key, pattern_of = [], {}, [[0] * C for _ in range(K)]
        for k, au in enumerate(self.aus):
            for c, cls in enumerate(self.classes):
                partners = []
                for grp in g["groups"].get(cls, []):
                    if au in grp:
                        partners = sorted(self.aus.index(a) for a in grp if a != au)
                        break
                id_ = (k, tuple(partners))
                if id_ not in key:
                    key[id_] = len(patterns)
                    patterns.append(id_)
                pattern_of[k][c] = key[id_]
        P = len(patterns)
        # rows 0..P-1: do(z_k := hi), rows P..2P-1: do(z_k := lo); partners := lo in both
        keep = torch.ones(2 * P, K)
        setv = torch.zeros(2 * P, K)
        for p, (k, partners) in enumerate(patterns):
            for arm, value in ((0, 1.0), (1, 0.0)):
                keep[arm * P + p, k] = 0
                setv[arm * P + p, k] = value
                for j in partners:
                    keep[arm * P + p, j] = 0  # lo = 0
        self.K, self.C, self.P = K, C, P
        self.keep, self.set = keep, setv
        self.pattern_of = torch.tensor(pattern_of)  # [K, C]
        self.identity = P == K and all(pattern_of[k][c] == k for k in range(K) for c in range(C))


def class_log_odds(logits):
    """ℓ_c = l_c − logsumexp_{j≠c} l_j."""
    C = logits.shape[1]
    if C == 2:
        return logits - logits.flip(1)
    mask = torch.full((C, C), 0.0)
    mask.fill_diagonal_(-math.inf)
    return logits - torch.logsumexp(logits[:, None, :] + mask, dim=-1)


def intervention_effects(model, z, h, g):
    """Δ [N, K, C]: one batched head call over all N·P·2 intervened rows."""
    N, K = z.shape
    zi = (z[:, None, :] * g.keep + g.set).reshape(-1, K)
    hi = h[:, None, :].expand(N, 2 * g.P, h.shape[1]).reshape(-1, h.shape[1])
    s = class_log_odds(model.head(zi, hi)).reshape(N, 2, g.P, g.C)
    diff = s[:, 0] - s[:, 1]  # [N, P, C]
    if g.identity:
        return diff
    idx = g.pattern_of[None, :, :].expand(N, K, g.C)  # Δ[:, k, c] = diff[:, patternOf[k][c], c]
    return diff.gather(1, idx)


def faithfulness_loss(effects, y, g, margin=1.0, causal_weight=0.5):
    """L_cf on the label class of each sample (facr's allClasses = false, square penalty)."""
    N, K, C = effects.shape
    d = effects.gather(2, y[:, None, None].expand(N, K, 1)).squeeze(2)  # [N, K]
    pol = g.polarity[:, y].T  # [N, K]
    pos, neg, irr = (pol == 1).float(), (pol == -1).float(), (pol == 0).float()
    n_causal = int((pos + neg).sum().item())
    n_irr = int(irr.sum().item())
    causal = (F.relu(margin - d) * pos + F.relu(margin + d) * neg).sum() / max(n_causal, 1)
    irrelevant = (d.square() * irr).sum() / max(n_irr, 1)
    wc = causal_weight if (n_causal and n_irr) else (1.0 if n_causal else 0.0)
    return causal * wc + irrelevant * ((1 - wc) if n_irr else 0.0)


def objective(model, x, au, au_mask, y, g, lambda_au=1.0, lambda_cf=1.0, margin=1.0, causal_weight=0.5):
    z, h = model.encode(x)
    logits = model.head(z, h)
    ce = F.cross_entropy(logits, y)
    eps = 1e-6
    zc = z.clamp(eps, 1 - eps)
    bce = -(au * zc.log() + (1 - au) * (1 - zc).log()) * au_mask
    au_loss = bce.sum() / au_mask.sum().clamp(min=1)
    cf = faithfulness_loss(intervention_effects(model, z, h, g), y, g, margin, causal_weight) if lambda_cf > 0 else torch.zeros(())
    total = ce + lambda_au * au_loss + lambda_cf * cf
    return total, ce, au_loss, cf, (z, h)


# ---------------------------------------------------------------- check


def load_dump(path):
    with open(path) as f:
        d = json.load(f)
    s = d["sizes"]
    model = Reasoner(s["D"], s["K"], s["d"], s["C"], s["encoderHidden"], s["headHidden"])
    model.load_facr(d["weights"])
    b = d["batch"]
    N = b["N"]
    x = torch.tensor(b["x"], dtype=torch.float32).reshape(N, s["D"])
    au = torch.tensor([math.nan if v is None else v for v in b["au"]], dtype=torch.float32).reshape(N, s["K"])
    mask = (~au.isnan()).float()
    au = au.nan_to_num(0.0)
    y = torch.tensor(b["y"], dtype=torch.long)
    return d, model, x, au, mask, y, Graph(d["graph"])


def check(path, tol):
    d, model, x, au, mask, y, g = load_dump(path)
    cfg = d["train"]
    total, ce, au_l, cf, (z, h) = objective(model, x, au, mask, y, g, cfg["lambdaAu"], cfg["lambdaCf"], cfg["margin"], cfg["causalWeight"])
    model.zero_grad()
    total.backward()
    grads = model.facr_grads()
    with torch.no_grad():
        eff = intervention_effects(model, z, h, g)
    facr = d["facr"]
    rows = []
    for name, mine in (("loss total", total), ("loss ce", ce), ("loss au", au_l), ("loss cf", cf)):
        theirs = facr["loss"][name.split()[1]]
        rows.append((name, abs(mine.item() - theirs), abs(theirs), f"facr {theirs:.7f}  torch {mine.item():.7f}"))
    worst_g = (None, -1.0, 0.0)
    for name, gr in grads.items():
        ref = torch.tensor(facr["grads"][name]["data"], dtype=torch.float32).reshape(facr["grads"][name]["shape"])
        diff = (gr - ref).abs().max().item()
        scale = ref.abs().max().item()
        rows.append((f"grad {name} {list(ref.shape)}", diff, scale, ""))
        if diff > worst_g[1]:
            worst_g = (name, diff, scale)
    ref_e = torch.tensor(facr["effects"], dtype=torch.float32).reshape(eff.shape)
    rows.append((f"effects Δ {list(ref_e.shape)}", (eff - ref_e).abs().max().item(), ref_e.abs().max().item(), ""))
    ok = all(r[1] <= tol for r in rows)
    return ok, rows, worst_g


def print_check(ok, rows, tol, out=sys.stdout):
    w = max(len(r[0]) for r in rows)
    print(f"{'quantity'.ljust(w)}  max |facr − torch|  max |facr|", file=out)
    for name, diff, scale, note in rows:
        flag = "" if diff <= tol else "   <-- exceeds tolerance"
        print(f"{name.ljust(w)}  {diff:17.2e}  {scale:11.3e}  {note}{flag}", file=out)
    print(f"{'AGREE' if ok else 'DISAGREE'}: every max abs difference {'≤' if ok else 'must be ≤'} {tol:g}", file=out)


# ---------------------------------------------------------------- BLAS in use


def blas_info():
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1] if len(line.split()) >= 6 else ""
                if any(s in p for s in ("blas", "lapack", "libgomp", "mkl")):
                    libs.add(os.path.realpath(p))
    except OSError:
        pass
    openblas_threads = None
    openblas_config = None
    for lib in ("libopenblas.so.0", "libblas.so.3"):
        try:
            h = ctypes.CDLL(lib)
            h.openblas_get_num_threads.restype = ctypes.c_int
            openblas_threads = h.openblas_get_num_threads()
            h.openblas_get_config.restype = ctypes.c_char_p
            openblas_config = h.openblas_get_config().decode()
            break
        except (OSError, AttributeError):
            continue
    alt = None
    try:
        alt = subprocess.run(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"], capture_output=True, text=True).stdout
        alt = next((l.split(":", 1)[1].strip() for l in alt.splitlines() if l.startswith("Value:")), None)
    except OSError:
        pass
    cfg = torch.__config__.show()
    import re
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    blas_info_field = f"torch built with BLAS_INFO={m.group(1)} (the BLAS is whatever libblas.so.3 resolves to)" if m else ""
    return {
        "torch": torch.__version__,
        "python": sys.executable,
        "torchThreads": torch.get_num_threads(),
        "openblasThreads": openblas_threads,
        "openblasConfig": openblas_config,
        "libblasAlternative": alt,
        "loaded": sorted(libs),
        "torchBuild": blas_info_field,
        "mkldnn": torch.backends.mkldnn.is_available(),
    }


# ---------------------------------------------------------------- timing server


class Timer:
    def __init__(self, dump):
        d, self.model, _, _, _, _, self.g = load_dump(dump)
        self.sizes = d["sizes"]
        self.cfg = d["train"]
        self.data = {}
        self.gen = torch.Generator().manual_seed(1)

    def dataset(self, n):
        if n not in self.data:
            s, gen = self.sizes, self.gen
            x = torch.randn(n, s["D"], generator=gen)
            au = torch.where(torch.rand(n, s["K"], generator=gen) < 0.2, torch.rand(n, s["K"], generator=gen), torch.zeros(n, s["K"]))
            au[torch.rand(n, s["K"], generator=gen) < 0.05] = math.nan  # some AUs not coded, as facr's bench
            mask = (~au.isnan()).float()
            y = torch.randint(0, s["C"], (n,), generator=gen)
            self.data[n] = (x, au.nan_to_num(0.0), mask, y)
        return self.data[n]

    def epoch(self, B, S):
        """S steps of batch B, as a user's epoch loop (twin of facr's trainReasoner epoch): ms per step."""
        x, au, mask, y = self.dataset(B * S)
        c = self.cfg
        model = self.model
        t0 = time.perf_counter()
        opt = torch.optim.Adam(model.parameters(), lr=c["learningRate"], eps=1e-7)  # tfjs's Adam epsilon
        perm = torch.randperm(B * S)
        sums = torch.zeros(4)
        for start in range(0, B * S, B):
            idx = perm[start:start + B]
            opt.zero_grad()
            total, ce, au_l, cf, _ = objective(model, x[idx], au[idx], mask[idx], y[idx], self.g, c["lambdaAu"], c["lambdaCf"], c["margin"], c["causalWeight"])
            total.backward()
            opt.step()
            sums += torch.stack([total, ce, au_l, cf]).detach() * len(idx)
            _ = sums.tolist()  # facr reads the loss parts back every step
        best = {k: v.clone() for k, v in model.state_dict().items()}  # facr snapshots the best epoch
        model.load_state_dict(best)
        return (time.perf_counter() - t0) * 1000 / S

    def effects(self, N, reps):
        """ms per intervention_effects call on N samples (no gradient: an audit)."""
        gen = torch.Generator().manual_seed(2)
        z = torch.rand(N, self.g.K, generator=gen)
        h = torch.randn(N, self.sizes["d"], generator=gen)
        with torch.no_grad():
            t0 = time.perf_counter()
            for _ in range(reps):
                e = intervention_effects(self.model, z, h, self.g)
                _ = e.numpy().sum()  # read the values, as facr's dataSync
            return (time.perf_counter() - t0) * 1000 / reps


def serve():
    timer = None
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        try:
            if cmd == "info":
                out = blas_info()
            elif cmd == "check":
                ok, rows, _ = check(msg["file"], msg.get("tol", 1e-4))
                out = {"ok": ok, "rows": [{"what": r[0], "diff": r[1], "scale": r[2], "note": r[3]} for r in rows]}
            elif cmd == "load":
                timer = Timer(msg["file"])
                out = {"ok": True}
            elif cmd == "step":
                out = {"ms": timer.epoch(msg["B"], msg["S"])}
            elif cmd == "effects":
                out = {"ms": timer.effects(msg["N"], msg["reps"])}
            elif cmd == "quit":
                break
            else:
                out = {"error": f"unknown command {cmd}"}
        except Exception as e:  # report to the driver instead of dying silently
            out = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="FILE", help="compare loss, gradients and effects with facr's dump")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--serve", action="store_true", help="timing server on stdin/stdout")
    ap.add_argument("--threads", type=int, help="torch and OpenBLAS threads (set before torch loads)")
    a = ap.parse_args()
    if a.serve:
        serve()
    elif a.check:
        info = blas_info()
        print(f"torch {info['torch']} ({info['python']}), BLAS: {', '.join(info['loaded'])}")
        ok, rows, _ = check(a.check, a.tol)
        print_check(ok, rows, a.tol)
        sys.exit(0 if ok else 1)
    else:
        ap.print_help()
        sys.exit(2)


if __name__ == "__main__":
    main()
