# The two commands. Both install what is missing first, and skip what is already there.
.PHONY: run test

run:  ## build and serve the app with demo data on SQLite (http://127.0.0.1:3000/)
	@bash scripts/run.sh

test: ## run every test: unit, integration (SQLite + PostgreSQL) and browser (Chromium + axe)
	@bash scripts/test.sh
