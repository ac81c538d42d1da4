# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench workbook clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job on a copy of the shipped workbook: `iku hitung`.
demo: $(STAMP)
	mkdir -p build/demo
	cp workbook/IKU_Kanigaran.xlsm build/demo/IKU_Kanigaran.xlsm
	$(BIN)/iku hitung build/demo/IKU_Kanigaran.xlsm
	@echo "Hasil: build/demo/IKU_Kanigaran.xlsm (lembar Hasil IKU, Rekap, Validasi, Grafik)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy iku_engine addin

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

# Rebuild the shipped workbook from its text sources (byte-identical when unchanged).
workbook: $(STAMP)
	$(BIN)/python -m addin.workbook_builder

bench: $(STAMP)
	$(BIN)/python bench/bench_ikm.py
	$(BIN)/python bench/bench_hitung.py
	$(BIN)/python bench/bench_survey.py
	$(BIN)/python bench/bench_batch.py
	$(BIN)/python bench/bench_serve.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
