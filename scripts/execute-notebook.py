"""Execute one notebook in a fresh kernel with nbclient; used by scripts/run-notebooks.ts.

    /usr/bin/python3 scripts/execute-notebook.py IN.ipynb OUT.ipynb --cwd DIR [--timeout S] [--startup-timeout S]

Why Python and not `jupyter nbconvert --execute`: nbconvert writes nothing when a
cell fails, and its message holds little of tslab's error (tslab reports type and
run-time errors on the cell's stderr stream, with an empty error value). Here the
executed notebook is written even on failure, with every output up to and
including the failing cell, and the failing cell's index is reported, so the
caller can print its source and error text.

Stops at the first failing cell. Prints a line per cell that took 20 s or more
(long trainings), and as its last stdout line `@@facr-result {json}` with
ok, failedCell, error, kernel (the kernelspec directory used), seconds and the
three slowest code cells.
Exit status: 0 ok, 1 a cell failed or the kernel died, 2 bad usage or setup.
"""
import argparse
import json
import os
import sys
import time

try:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover - setup problem
    print(f"execute-notebook: {e}. Install the Debian packages: scripts/setup-debian.sh", file=sys.stderr)
    sys.exit(2)

SLOW_CELL_SECONDS = 20.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--cwd", required=True, help="directory the kernel starts in")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    ap.add_argument("--startup-timeout", type=int, default=180, help="seconds for the kernel to start")
    args = ap.parse_args()

    nb = nbformat.read(args.src, as_version=4)
    name = nb.metadata.get("kernelspec", {}).get("name")
    if not name:
        return report(False, None, f"{args.src} has no metadata.kernelspec.name", None, 0, code=2)
    try:
        spec_dir = KernelSpecManager().get_kernel_spec(name).resource_dir
    except NoSuchKernel:
        return report(False, None, f'no kernelspec "{name}" (JUPYTER_PATH={os.environ.get("JUPYTER_PATH", "")})', None, 0, code=2)

    state = {"index": None, "t": 0.0}
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    durations = []  # (seconds, code cell number, first source line)

    def on_cell_start(cell, cell_index):
        state["index"] = cell_index
        state["t"] = time.monotonic()

    def on_cell_executed(cell, cell_index, execute_reply):
        dt = time.monotonic() - state["t"]
        n = code_cells.index(cell_index) + 1 if cell_index in code_cells else cell_index
        first = next((line for line in cell.source.splitlines() if line.strip()), "")
        durations.append((dt, n, first[:60]))
        if dt >= SLOW_CELL_SECONDS:
            print(f"    code cell {n}/{len(code_cells)} took {dt:.0f}s: {first[:60]}", flush=True)

    client = NotebookClient(
        nb,
        timeout=args.timeout,
        startup_timeout=args.startup_timeout,
        kernel_name=name,
        resources={"metadata": {"path": args.cwd}},
        record_timing=True,
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    t0 = time.monotonic()
    ok, error = True, None
    try:
        client.execute()
    except CellTimeoutError as e:
        ok, error = False, f"cell timed out after {args.timeout:.0f}s: {e}"
    except CellExecutionError as e:
        ok, error = False, str(e)
    except DeadKernelError as e:
        ok, error = False, f"the kernel died: {e}"
    except Exception as e:  # kernel start failures, zmq errors: report, still write what ran
        ok, error = False, f"{type(e).__name__}: {e}"
    finally:
        os.makedirs(os.path.dirname(os.path.abspath(args.dst)), exist_ok=True)
        nbformat.write(nb, args.dst)
    slowest = [{"cell": n, "seconds": round(dt, 1), "source": first} for dt, n, first in sorted(durations, reverse=True)[:3]]
    return report(ok, None if ok else state["index"], error, spec_dir, time.monotonic() - t0, code=0 if ok else 1, slowest=slowest)


def report(ok, failed_cell, error, kernel, seconds, code, slowest=()):
    result = {"ok": ok, "failedCell": failed_cell, "error": error, "kernel": kernel, "seconds": seconds, "slowest": list(slowest)}
    print("@@facr-result " + json.dumps(result), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
