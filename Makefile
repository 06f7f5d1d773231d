# The two commands of the README: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := out/qualitybook_demo.xlsm

.PHONY: setup demo test build samples benchmark exe clean mutation

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: setup           ## the main job on the bundled sample data (see README)
	rm -rf out && mkdir -p out
	$(BIN)/qualitybook new $(DEMO)
	$(BIN)/qualitybook import $(DEMO) samples/tickets.csv --into tickets
	$(BIN)/qualitybook import $(DEMO) samples/surveys.csv --into surveys
	$(BIN)/qualitybook import $(DEMO) samples/inspections.xlsx --into inspections
	$(BIN)/qualitybook check $(DEMO)
	$(BIN)/qualitybook kpi $(DEMO)
	$(BIN)/qualitybook kpi $(DEMO) --quarter 2026Q3 --json > out/kpi_2026Q3.json
	$(BIN)/qualitybook alerts $(DEMO)
	$(BIN)/qualitybook alerts $(DEMO) --json > out/alerts.json
	$(BIN)/qualitybook due $(DEMO) --as-of 2026-09-25
	$(BIN)/qualitybook sample $(DEMO) --period 2026-09 --seed 1 --json > out/sample_2026-09.json
	$(BIN)/qualitybook calibrate $(DEMO)
	$(BIN)/qualitybook pareto $(DEMO) --quarter 2026Q3
	$(BIN)/qualitybook pareto $(DEMO) --quarter 2026Q3 --json > out/pareto_2026Q3.json
	$(BIN)/qualitybook problems $(DEMO) --quarter 2026Q3
	$(BIN)/qualitybook import $(DEMO) samples/rootcause.csv --into rootcause
	$(BIN)/qualitybook import $(DEMO) samples/plan.csv --into plan
	$(BIN)/qualitybook problems $(DEMO) --from-alerts
	$(BIN)/qualitybook fishbone $(DEMO) --problem P001 -o out/fishbone_P001.png
	$(BIN)/qualitybook plan $(DEMO) --as-of 2026-10-01
	$(BIN)/qualitybook plan $(DEMO) --as-of 2026-10-01 --json > out/plan.json
	$(BIN)/qualitybook verify $(DEMO)
	$(BIN)/qualitybook verify $(DEMO) --json > out/verify.json
	$(BIN)/qualitybook distribute $(DEMO) out/下发
	$(BIN)/python scripts/demo_returns.py out/下发 out/回收
	# exit 1 = a row was sent back, as planted; 2 would be a real error
	$(BIN)/qualitybook collect $(DEMO) out/回收 --dry-run --json > out/collect.json || test $$? -eq 1
	$(BIN)/qualitybook collect $(DEMO) out/回收 || test $$? -eq 1
	$(BIN)/qualitybook appraise $(DEMO) --quarter 2026Q3 -o out/考核_2026Q3.xlsx
	$(BIN)/qualitybook appraise $(DEMO) --quarter 2026Q3 --json > out/appraisal_2026Q3.json
	$(BIN)/qualitybook report $(DEMO) --period 2026-09 -o out/report_2026-09.xlsx
	$(BIN)/qualitybook report $(DEMO) --period 2026-09 -o out/report_2026-09.html
	@echo "Demo workbook: $(DEMO)"

test: setup
	$(BIN)/ruff check pyaddin scripts tests
	$(BIN)/python -m pytest -q

build: setup          ## regenerate the committed workbook and templates
	$(BIN)/python scripts/build_workbook.py

samples: setup        ## regenerate the bundled sample exports
	$(BIN)/python scripts/sample_data.py samples

benchmark: setup
	$(BIN)/python scripts/benchmark.py

# Mutation testing of the core and the file writer (long; not part of `make test`; settings in pyproject.toml).
# MUTATE picks mutants by name, e.g. MUTATE="pyaddin.core.kpi*"; results are kept in mutants/ between runs.
MUTATE ?=
mutation: setup
	QUALITYBOOK_HYPOTHESIS=mutation nice -n 15 $(BIN)/mutmut run --max-children 2 $(MUTATE)
	$(BIN)/mutmut results

exe: setup            ## the packaged executable (dist/qualitybook/), for RunFrozenPython
	$(BIN)/python scripts/build_exe.py

clean:
	rm -rf out $(VENV)
