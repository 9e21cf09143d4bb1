# facr — every target installs what it needs first.
#   make test        install, type-check, run every test
#   make reproduce   install and run the main job (PROFILE=smoke|quick|paper, default paper)

SHELL := /bin/bash
.DEFAULT_GOAL := help
PROFILE ?= paper
NODE_BIN := node_modules/.bin
TSX := $(NODE_BIN)/tsx
STAMP := node_modules/.facr-installed

.PHONY: help install test typecheck reproduce graphs backend bench bench-peer pspi emotion dose-response sensitivity verbalizer verify clean
.PHONY: setup notebooks lab clean-notebooks figures paper

help: ## list the targets
	@echo "facr — FACR reference implementation (TypeScript, TensorFlow.js)"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo
	@echo "  PROFILE=smoke|quick|paper selects the experiment profile (default: paper)"

$(STAMP): package.json package-lock.json
	@command -v node >/dev/null || { echo "facr needs Node.js 20 or newer (apt-get install nodejs npm)"; exit 1; }
	@node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error("facr needs Node.js >= 20, found " + process.version); process.exit(1) }'
	npm ci --no-audit --no-fund
	@touch $@

install: $(STAMP) ## install npm dependencies (npm ci) when package-lock.json changed

typecheck: $(STAMP) ## type-check src, test and bench with tsc (strict)
	$(NODE_BIN)/tsc --noEmit

test: $(STAMP) ## install, type-check and run the whole test suite, then every notebook headless (smoke profile, into build/test/)
	@bash scripts/setup-debian.sh
	$(NODE_BIN)/tsc --noEmit
	$(NODE_BIN)/vitest run
	rm -rf build/test
	FACR_RESULTS_DIR=build/test/results FACR_FIGURES_DIR=build/test/figures $(TSX) scripts/run-notebooks.ts --profile smoke --out build/test/notebooks
	FACR_PROFILE=smoke FACR_RESULTS_DIR=build/test/results FACR_FIGURES_DIR=build/test/figures $(TSX) src/cli.ts figures
	FACR_PROFILE=smoke FACR_RESULTS_DIR=build/test/results FACR_FIGURES_DIR=build/test/figures $(TSX) src/cli.ts paper --out build/test/paper/paper.md

graphs: $(STAMP) ## write the known graphs to data/graphs/ (JSON + DOT)
	$(TSX) src/cli.ts graphs

backend: $(STAMP) ## print the tfjs backend this machine selects
	$(TSX) src/cli.ts backend

bench: $(STAMP) ## print speed figures (data, loaders, training, interventions, audit, LM training and decoding, each experiment's wall time at PROFILE)
	$(TSX) bench/run.ts --profile $(PROFILE) --json build/bench-$(PROFILE).json
	$(TSX) bench/verbalizer.ts --profile $(PROFILE) --json build/bench-verbalizer-$(PROFILE).json

bench-peer: $(STAMP) ## compare the FACR step and interventions with a PyTorch twin (checks equal loss/gradients, then interleaved timing); installs python3-torch + OpenBLAS when missing (root), skips without PyTorch; PEER_ARGS=... for bench/peer.ts
	@if [ "$$(id -u)" = 0 ]; then bash scripts/setup-debian.sh --peer || echo "bench-peer: could not install the PyTorch peer (see above)"; \
	else bash scripts/setup-debian.sh --peer --check || echo "bench-peer: installing the PyTorch peer needs root: sudo scripts/setup-debian.sh --peer"; fi
	$(TSX) bench/peer.ts --json build/bench-peer.json $(PEER_ARGS)

pspi: $(STAMP) ## run the PSPI experiment (claims C1–C3) at PROFILE under the pre-registered regime → pspi.json, then the clean regime → pspi-clean.json (results/ for paper, build/PROFILE/results otherwise)
	$(TSX) src/cli.ts pspi --profile $(PROFILE)
	$(TSX) src/cli.ts pspi --profile $(PROFILE) --regime clean

emotion: $(STAMP) ## run the emotion-transfer experiment (claim C4) at PROFILE → emotion-transfer.json in the results dir
	$(TSX) src/cli.ts emotion --profile $(PROFILE)

dose-response: $(STAMP) ## sweep λ_cf and the margin m on the PSPI protocol (FACR arm alone; beyond the paper) at PROFILE → dose-response.json in the results dir
	$(TSX) src/cli.ts dose-response --profile $(PROFILE)

sensitivity: $(STAMP) ## the regime map (PSPI-AU visibility × shortcut strength) and the bypass sweep at PROFILE (~25 min at paper) → sensitivity.json, then notebook 09 on it, then every figure; not part of make reproduce
	@bash scripts/setup-debian.sh
	$(TSX) src/cli.ts sensitivity --profile $(PROFILE)
	$(TSX) scripts/run-notebooks.ts --profile $(PROFILE) --only 09
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts figures

verbalizer: $(STAMP) ## run the verbalizer audit (claims C5–C7) at PROFILE → verbalizer.json in the results dir
	$(TSX) src/cli.ts verbalizer --profile $(PROFILE)

verify: $(STAMP) ## print the claims table C1–C7 from the results dir of PROFILE; exit 1 if a result is missing or a criterion fails
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts verify

reproduce: $(STAMP) ## set up, run every notebook at PROFILE (experiments included), rebuild figures and the paper, print the claims
	@bash scripts/setup-debian.sh
	$(TSX) src/cli.ts graphs
	$(TSX) scripts/run-notebooks.ts --profile $(PROFILE)
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts figures
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts paper
	@FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts verify || echo "make reproduce: some claims are not verified (see the table above; make verify exits non-zero)"

figures: $(STAMP) ## rebuild every figure from the results of PROFILE (no training): SVG, Plotly JSON and PNG
	@bash scripts/setup-debian.sh
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts figures

paper: $(STAMP) ## fill paper/paper.template.md from the results of PROFILE → paper.md, paper.html, paper.pdf (PDF when Chromium is there)
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts paper

setup: ## install the Debian packages facr needs (jupyter nbconvert + nbclient, chromium), only those missing
	@bash scripts/setup-debian.sh

notebooks: $(STAMP) ## run every notebook headless at PROFILE, each in a fresh kernel (executed copies: notebooks/executed/ for paper, build/PROFILE/notebooks/ otherwise)
	@bash scripts/setup-debian.sh
	$(TSX) scripts/run-notebooks.ts --profile $(PROFILE)

lab: $(STAMP) ## JupyterLab (+ the Plotly renderer) in a project-local .venv-lab/ (pip, once, ~20 s), started on 127.0.0.1 with the notebooks and the facr kernel; PROFILE=smoke|quick|paper reaches the kernels; LAB_ARGS="--port N --no-browser"
	PROFILE=$(PROFILE) bash scripts/lab.sh

clean-notebooks: $(STAMP) ## strip outputs, execution counts and cell metadata from notebooks/NN-*.ipynb
	$(TSX) scripts/clean-notebooks.ts

clean: ## remove installed packages and caches (keeps results/ and figures/)
	rm -rf node_modules .cache
