#!/usr/bin/env bash
# Install the Debian packages facr needs beyond Node.js, only those missing.
#
#   scripts/setup-debian.sh           install what is missing (needs root), report what it did
#   scripts/setup-debian.sh --check   only report; exit 1 when something is missing
#   scripts/setup-debian.sh --peer    the PyTorch peer benchmark's packages instead (make bench-peer)
#   scripts/setup-debian.sh --peer --check
#
# What for:
#   jupyter-nbconvert, python3-nbclient, python3-jupyter-client, python3-ipython
#       run the tslab notebooks headless (`jupyter nbconvert --execute`, scripts/run-notebooks.ts)
#   chromium
#       render Plotly figures to PNG/SVG headless (driven by playwright-core)
#   --peer: python3-torch libopenblas0-pthread
#       the PyTorch twin of bench/peer.ts (run with /usr/bin/python3), BLAS from
#       OpenBLAS (pthread build) rather than Debian's reference BLAS; optional,
#       never needed by make test
#
# Installed with --no-install-recommends: nbconvert recommends pandoc (only for
# exports facr does not use) and chromium a desktop's worth of extras. Safe to run
# again: when everything is present it returns in well under a second.
set -euo pipefail

PACKAGES=(jupyter-nbconvert python3-nbclient python3-jupyter-client python3-ipython chromium)
PEER_PACKAGES=(python3-torch libopenblas0-pthread)
CHECK_ONLY=0
PEER=0
for arg in "$@"; do
  case "$arg" in
    --check) CHECK_ONLY=1 ;;
    --peer) PEER=1 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup-debian: unknown option '$arg' (use --check, --peer or nothing)" >&2; exit 2 ;;
  esac
done
[ "$PEER" = 1 ] && PACKAGES=("${PEER_PACKAGES[@]}")

say() { echo "setup-debian: $*"; }
die() { echo "setup-debian: ERROR: $*" >&2; exit 1; }

if ! command -v dpkg-query >/dev/null 2>&1; then
  die "this is not a Debian-like system (no dpkg-query). Install by hand: ${PACKAGES[*]} — or their equivalents: jupyter nbconvert with nbclient, and chromium at /usr/bin/chromium."
fi

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]; }

missing=()
present=()
for p in "${PACKAGES[@]}"; do
  if installed "$p"; then present+=("$p"); else missing+=("$p"); fi
done

if [ ${#missing[@]} -eq 0 ]; then
  say "all present: ${present[*]}"
  exit 0
fi

if [ "$CHECK_ONLY" = 1 ]; then
  say "missing: ${missing[*]}"
  [ ${#present[@]} -gt 0 ] && say "present: ${present[*]}"
  say "install with: scripts/setup-debian.sh$([ "$PEER" = 1 ] && echo " --peer")   (as root), or: apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi

if [ "$(id -u)" != 0 ]; then
  die "missing Debian packages: ${missing[*]}. Run as root: apt-get install -y --no-install-recommends ${missing[*]}"
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${missing[*]}"

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (e.g. a parallel setup) instead of failing on its lock.
APT=(apt-get -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)

say "installing: ${missing[*]}"
t0=$SECONDS
# A fresh machine may have no package lists (or stale ones): update first when
# there are none, and once more when the install fails.
if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
  say "no apt package lists yet: apt-get update"
  apt-get -q -o DPkg::Lock::Timeout=600 update || die "apt-get update failed (is a Debian mirror reachable?)"
fi
if ! "${APT[@]}" install "${missing[@]}"; then
  say "install failed; refreshing package lists (apt-get update) and retrying"
  apt-get -q -o DPkg::Lock::Timeout=600 update || die "apt-get update failed (is a Debian mirror reachable?)"
  "${APT[@]}" install "${missing[@]}" || die "could not install: ${missing[*]} (see apt's messages above). $([ "$PEER" = 1 ] && echo "The PyTorch peer benchmark (make bench-peer) needs them; nothing else does." || echo "facr needs them to run notebooks headless (nbconvert) and render Plotly figures (chromium).")"
fi

still=()
for p in "${missing[@]}"; do installed "$p" || still+=("$p"); done
[ ${#still[@]} -eq 0 ] || die "still missing after apt-get install: ${still[*]}"

# Smoke checks of what the project calls.
if [ "$PEER" = 1 ]; then
  v=$(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null) || die "/usr/bin/python3 cannot import torch after installing"
  blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo "?")
  say "installed ${missing[*]} in $((SECONDS - t0))s (torch $v for /usr/bin/python3; libblas.so.3 -> $blas)"
  exit 0
fi
/usr/bin/jupyter nbconvert --version >/dev/null 2>&1 || die "/usr/bin/jupyter nbconvert does not run after installing"
/usr/bin/chromium --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run after installing"
say "installed ${missing[*]} in $((SECONDS - t0))s (nbconvert $(/usr/bin/jupyter nbconvert --version 2>/dev/null), $(/usr/bin/chromium --version 2>/dev/null))"
