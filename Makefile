# The two commands of the README: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out
DEMO   := $(OUT)/qualitybook_demo.xlsm

.PHONY: setup demo test test-all test-slow test-spark build samples benchmark benchmark-lake exe clean mutation

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: setup           ## the main job on the bundled sample data (see README)
	rm -rf $(OUT) && mkdir -p $(OUT)
	$(BIN)/qualitybook new $(DEMO)
	$(BIN)/qualitybook import $(DEMO) samples/tickets.csv --into tickets
	$(BIN)/qualitybook import $(DEMO) samples/surveys.csv --into surveys
	$(BIN)/qualitybook import $(DEMO) samples/inspections.xlsx --into inspections
	$(BIN)/qualitybook import $(DEMO) samples/calls.csv --into calls
	$(BIN)/qualitybook import $(DEMO) samples/calendar.csv --into calendar
	$(BIN)/qualitybook import $(DEMO) samples/staff.csv --into staff
	$(BIN)/qualitybook import $(DEMO) samples/responsibility.csv --into responsibility
	$(BIN)/qualitybook import $(DEMO) samples/feedback.csv --into feedback
	$(BIN)/qualitybook import $(DEMO) samples/highlights.csv --into highlights
	$(BIN)/qualitybook check $(DEMO)
	$(BIN)/qualitybook kpi $(DEMO)
	$(BIN)/qualitybook kpi $(DEMO) --quarter 2026Q3 --json > $(OUT)/kpi_2026Q3.json
	$(BIN)/qualitybook alerts $(DEMO)
	$(BIN)/qualitybook alerts $(DEMO) --json > $(OUT)/alerts.json
	$(BIN)/qualitybook due $(DEMO) --as-of 2026-09-25
	$(BIN)/qualitybook sample $(DEMO) --period 2026-09 --seed 1 --json > $(OUT)/sample_2026-09.json
	$(BIN)/qualitybook calibrate $(DEMO)
	$(BIN)/qualitybook pareto $(DEMO) --quarter 2026Q3
	$(BIN)/qualitybook pareto $(DEMO) --quarter 2026Q3 --json > $(OUT)/pareto_2026Q3.json
	$(BIN)/qualitybook problems $(DEMO) --quarter 2026Q3
	$(BIN)/qualitybook import $(DEMO) samples/rootcause.csv --into rootcause
	$(BIN)/qualitybook import $(DEMO) samples/plan.csv --into plan
	$(BIN)/qualitybook problems $(DEMO) --from-alerts
	$(BIN)/qualitybook adopt $(DEMO) --all
	$(BIN)/qualitybook fishbone $(DEMO) --problem P001 -o $(OUT)/fishbone_P001.png
	$(BIN)/qualitybook plan $(DEMO) --as-of 2026-10-01
	$(BIN)/qualitybook plan $(DEMO) --as-of 2026-10-01 --json > $(OUT)/plan.json
	$(BIN)/qualitybook verify $(DEMO)
	$(BIN)/qualitybook verify $(DEMO) --json > $(OUT)/verify.json
	$(BIN)/qualitybook distribute $(DEMO) $(OUT)/下发
	$(BIN)/python scripts/demo_returns.py $(OUT)/下发 $(OUT)/回收
	# exit 1 = a row was sent back, as planted; 2 would be a real error
	$(BIN)/qualitybook collect $(DEMO) $(OUT)/回收 --dry-run --json > $(OUT)/collect.json || test $$? -eq 1
	$(BIN)/qualitybook collect $(DEMO) $(OUT)/回收 || test $$? -eq 1
	$(BIN)/qualitybook appraise $(DEMO) --quarter 2026Q3 -o $(OUT)/考核_2026Q3.xlsx
	$(BIN)/qualitybook appraise $(DEMO) --quarter 2026Q3 --json > $(OUT)/appraisal_2026Q3.json
	$(BIN)/qualitybook report $(DEMO) --period 2026-09 -o $(OUT)/report_2026-09.xlsx
	$(BIN)/qualitybook report $(DEMO) --period 2026-09 -o $(OUT)/report_2026-09.html
	@echo "Demo workbook: $(DEMO)"

JOBS   ?= 2           # test processes (pytest-xdist), each test file kept whole on one of them

test: setup           ## everything but the slow builds (the packaged executable): a few minutes
	$(BIN)/ruff check pyaddin scripts tests
	$(BIN)/python -m pytest -q -m "not slow and not spark" -n $(JOBS) --dist loadfile

test-all: setup       ## every test, the slow builds included: what CI runs (.ci/run)
	$(BIN)/ruff check pyaddin scripts tests
	$(BIN)/pip install --quiet -e ".[dev,spark]"
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile

test-spark: setup     ## the engine on Spark local mode: installs the spark extra (pyspark, sqlglot; Java 17 needed)
	$(BIN)/pip install --quiet -e ".[dev,spark]"
	$(BIN)/python -m pytest -q -m spark

test-slow: setup      ## only the slow builds (the packaged executable): CI runs them after `make test`
	$(BIN)/python -m pytest -q -m "slow and not spark"

build: setup          ## regenerate the committed workbook and templates
	$(BIN)/python scripts/build_workbook.py

samples: setup        ## regenerate the bundled sample exports
	$(BIN)/python scripts/sample_data.py samples

benchmark: setup      ## the machine is shared: the figures are ratios within one run
	nice -n 10 $(BIN)/python scripts/benchmark.py
	nice -n 10 $(BIN)/python scripts/benchmark.py --lake 10000000

benchmark-lake: setup ## only the group measure: 10 M tickets in Parquet through DuckDB
	nice -n 10 $(BIN)/python scripts/benchmark.py --lake 10000000

# Mutation testing of the core and the file writer (long; not part of `make test`; settings in pyproject.toml).
# MUTATE picks mutants by name, e.g. MUTATE="pyaddin.core.kpi*"; results are kept in mutants/ between runs.
MUTATE ?=
mutation: setup
	QUALITYBOOK_HYPOTHESIS=mutation nice -n 15 $(BIN)/mutmut run --max-children 1 $(MUTATE)
	$(BIN)/mutmut results

exe: setup            ## the packaged executable (dist/qualitybook/), for RunFrozenPython
	$(BIN)/python scripts/build_exe.py

clean:
	rm -rf out $(VENV)
