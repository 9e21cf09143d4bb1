# facr — every target installs what it needs first.
#   make test        install, type-check, run every test
#   make reproduce   install and run the main job (PROFILE=smoke|quick|paper, default paper)

SHELL := /bin/bash
.DEFAULT_GOAL := help
PROFILE ?= paper
NODE_BIN := node_modules/.bin
TSX := $(NODE_BIN)/tsx
STAMP := node_modules/.facr-installed

.PHONY: help install test typecheck reproduce graphs backend bench pspi emotion verify clean

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

test: $(STAMP) ## install, type-check and run the whole test suite
	$(NODE_BIN)/tsc --noEmit
	$(NODE_BIN)/vitest run

graphs: $(STAMP) ## write the known graphs to data/graphs/ (JSON + DOT)
	$(TSX) src/cli.ts graphs

backend: $(STAMP) ## print the tfjs backend this machine selects
	$(TSX) src/cli.ts backend

bench: $(STAMP) ## print speed figures (data, loaders, training, interventions, experiment wall time at PROFILE)
	$(TSX) bench/run.ts --profile $(PROFILE) --json build/bench-$(PROFILE).json

pspi: $(STAMP) ## run the PSPI experiment (claims C1–C3) at PROFILE → pspi.json in the results dir (results/ for paper, build/PROFILE/results otherwise)
	$(TSX) src/cli.ts pspi --profile $(PROFILE)

emotion: $(STAMP) ## run the emotion-transfer experiment (claim C4) at PROFILE → emotion-transfer.json in the results dir
	$(TSX) src/cli.ts emotion --profile $(PROFILE)

verify: $(STAMP) ## print the claims table C1–C7 from the results dir of PROFILE; exit 1 if a result is missing or a criterion fails
	FACR_PROFILE=$(PROFILE) $(TSX) src/cli.ts verify

reproduce: $(STAMP) ## install and run the main job (grows with each experiment; see README)
	$(TSX) src/cli.ts graphs
	@echo "make reproduce: experiments, notebooks, figures and the paper are not built yet (see README, 'Status')."

clean: ## remove installed packages and caches (keeps results/ and figures/)
	rm -rf node_modules .cache
