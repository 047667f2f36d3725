# The two commands, `make run` and `make test`, and `make bench` for the figures. Each installs
# what is missing first, and skips what is already there.
.PHONY: run test bench

run:  ## build and serve the app with demo data on SQLite (http://127.0.0.1:3000/)
	@bash scripts/run.sh

test: ## run every test: unit, integration (SQLite + PostgreSQL) and browser (Chromium + axe)
	@bash scripts/test.sh

bench: ## the figures: release WASM size, time to first byte, rush, mail latency, report speed
	@bash scripts/bench.sh
