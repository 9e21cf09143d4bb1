#!/usr/bin/env bash
# make lab: JupyterLab with the Plotly renderer in a project-local virtual
# environment (.venv-lab/, ignored by git), then JupyterLab on 127.0.0.1 with the
# notebooks, the profile passed to the kernels.
#
#   scripts/lab.sh                 set up once (≈ 20 s from a local pip index), then start JupyterLab
#   scripts/lab.sh --setup-only    set up and check that JupyterLab sees the facr kernel, do not start
#   PROFILE=smoke scripts/lab.sh   the notebooks run that profile (FACR_PROFILE); make lab PROFILE=smoke
#   LAB_ARGS="--port 8899 --no-browser" scripts/lab.sh   more arguments for `jupyter lab`
#
# pip reads your pip configuration: a local index where one is configured
# (as on the project's machines), the public index elsewhere. Nothing is
# installed outside .venv-lab/ except, on Debian as root, python3-venv when the
# system Python lacks it. The notebooks' kernel ("TypeScript (facr tslab)") is
# the project's own, found through JUPYTER_PATH=jupyter/: nothing is copied into
# the environment, so the kernel always starts this checkout's tslab.
# Without pip at all, Debian's classic notebook works too:
#   apt-get install jupyter-notebook && JUPYTER_PATH=$(pwd)/jupyter jupyter notebook notebooks/
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${FACR_LAB_VENV:-.venv-lab}"
PY="${PYTHON:-python3}"
SETUP_ONLY=0
case "${1:-}" in
  --setup-only) SETUP_ONLY=1 ;;
  "") ;;
  -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "lab: unknown option '$1' (use --setup-only or nothing)" >&2; exit 2 ;;
esac
say() { echo "lab: $*"; }
die() { echo "lab: ERROR: $*" >&2; exit 1; }

[ -x node_modules/.bin/tslab ] || die "node_modules/ is not installed: run \`make install\` (npm ci) first"

if [ ! -x "$VENV/bin/jupyter-lab" ]; then
  if ! "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "$PY has no venv module: installing Debian's python3-venv"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv >/dev/null || die "could not install python3-venv"
    else
      die "$PY cannot create a virtual environment (Debian: sudo apt-get install python3-venv), or set PYTHON to one that can"
    fi
  fi
  say "creating $VENV with JupyterLab and plotly (its JupyterLab renderer) — once"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  # one retry per index: where the public index is unreachable and a local one configured, pip's default
  # five retries with back-off per package turn a 20 s install into 10 minutes (measured here)
  mkdir -p build
  if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --retries "${LAB_PIP_RETRIES:-1}" jupyterlab plotly > build/lab-pip.log 2>&1; then
    tail -5 build/lab-pip.log >&2
    rm -rf "$VENV"
    die "pip could not install jupyterlab and plotly (full log: build/lab-pip.log; no network and no local index? LAB_PIP_RETRIES=5 for a flaky network). Debian's classic notebook is a fallback: apt-get install jupyter-notebook, then JUPYTER_PATH=\$(pwd)/jupyter jupyter notebook notebooks/"
  fi
fi

export JUPYTER_PATH="$(pwd)/jupyter"
export FACR_PROFILE="${PROFILE:-${FACR_PROFILE:-paper}}"
kernels="$("$VENV/bin/jupyter" kernelspec list 2>/dev/null || true)"
echo "$kernels" | grep -q "jupyter/kernels/tslab" || die "JupyterLab does not see the facr kernel (jupyter/kernels/tslab); jupyter kernelspec list says: $kernels"
say "JupyterLab $("$VENV/bin/jupyter" lab --version) in $VENV; kernel \"TypeScript (facr tslab)\" from jupyter/kernels/tslab; FACR_PROFILE=$FACR_PROFILE"
[ "$SETUP_ONLY" = 1 ] && exit 0

args=(--ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(pwd)/notebooks")
[ "$(id -u)" = 0 ] && args+=(--allow-root)
say "starting JupyterLab on 127.0.0.1 (Ctrl-C to stop); restart the kernel after editing src/"
# shellcheck disable=SC2086
exec "$VENV/bin/jupyter" lab "${args[@]}" ${LAB_ARGS:-}
