# Two commands on a fresh clone: `make brief` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := examples/alibaba-2026-01-04.txt

.PHONY: brief desk test lint unit live record record-eval calibrate accept-baseline eval bench bench-desk schema clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[local,dev,learn]"
	touch $@

## brief: print the brief of the seed article from the embedded local model
brief: $(BIN)/.installed
	$(BIN)/summarizer brief $(SEED)

## desk: serve the editor's desk on http://127.0.0.1:8765/ (drafts with the embedded model)
desk: $(BIN)/.installed
	$(BIN)/summarizer desk

## test: lint, types, the replayed and unit suite with the network blocked, then one live brief
test: lint unit live

lint: $(BIN)/.installed
	$(BIN)/ruff check summarizer tests tools
	$(BIN)/ruff format --check summarizer tests tools
	$(BIN)/mypy

unit: $(BIN)/.installed
	$(BIN)/pytest -m "not live" --block-network --allowed-hosts=127.0.0.1,localhost

live: $(BIN)/.installed
	$(BIN)/pytest -m live

## record: re-record the cassettes (replay briefs, the injection corpus, the batch files) from the real embedded llama.cpp server
## (after a prompt or schema change)
record: $(BIN)/.installed
	$(BIN)/pytest -m "not live" --record-mode=rewrite tests/test_replay.py tests/test_injection_live.py \
		tests/desk/test_browser.py
	$(BIN)/python -m tools.record_batch

## record-eval: re-record one strategy's cassettes of a dataset (DATASET=evals/gold, or evals/test: the split
## no rule or threshold is fitted on) from the embedded model and compare the run with its baseline (unchanged)
STRATEGY ?= grounded
DATASET ?= evals/gold
record-eval: $(BIN)/.installed
	for f in $(DATASET)/articles/*.txt; do rm -f evals/cassettes/$(STRATEGY)/$$(basename $$f .txt).yaml; done
	$(BIN)/summarizer eval --dataset $(DATASET) --strategy $(STRATEGY) --cassettes evals/cassettes --record --no-cache \
		--out evals/runs --html evals/runs/latest-$(STRATEGY).html --summary evals/runs/latest-$(STRATEGY).summary.md

## calibrate: fit the embedded model's confidence table on the gold set's recorded answers (nested cross-validation)
calibrate: $(BIN)/.installed
	$(BIN)/summarizer calibrate --dataset evals/gold --cassettes evals/cassettes \
		--out summarizer/strategies/grounded/calibration.json

## accept-baseline: make the latest run of STRATEGY its baseline on its dataset (evals/baselines/<strategy>[-test].report.json)
accept-baseline: $(BIN)/.installed
	$(BIN)/summarizer eval accept "$$(ls -t evals/runs/*-$(STRATEGY).report.json | head -1)"

## eval: the CI gate of STRATEGY, replayed: verdict, JUnit XML and Markdown summary in tests/artifacts/
eval: $(BIN)/.installed
	$(BIN)/summarizer eval --dataset $(DATASET) --strategy $(STRATEGY) --cassettes evals/cassettes --no-cache --out tests/artifacts/runs \
		--junit tests/artifacts/eval-$(STRATEGY).junit.xml --summary tests/artifacts/eval-$(STRATEGY).summary.md \
		--html tests/artifacts/eval-$(STRATEGY).html

## bench: speed of the embedded model's brief against the hardware limit (seed + two long gold articles),
## then batch throughput at concurrency 1/4/8/16 against a delayed loopback server
bench: $(BIN)/.installed
	$(BIN)/python -m tools.bench --strategy $(STRATEGY) --out evals/bench
	$(BIN)/python -m tools.bench_concurrency --out evals/bench

## bench-desk: the desk's paste-to-draft time (embedded model, live), page load and review keystrokes
bench-desk: $(BIN)/.installed
	$(BIN)/python -m tools.desk_bench --live --out evals/bench

## schema: regenerate the JSON Schema snapshot and the gold set's editor schema
schema: $(BIN)/.installed
	$(BIN)/python -m tools.schema_snapshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
