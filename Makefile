# One task runner for the habits: `make test`, `make lint`, `make bench`, `make plan`.
.PHONY: setup dev plan test lint typecheck unit bench clean

setup:
	@scripts/setup.sh

dev:
	@scripts/setup.sh dev

# The main job on the shipped sample profile.
plan: setup
	.venv/bin/calfcoach plan --profile examples/profile.toml

# Everything CI runs: lint, types, and every test (unit, property, integration, browser), with
# a throwaway PostgreSQL server and Debian's Chromium (each installed when missing, as root).
# Two pytest workers, a test file each at a time (pytest-xdist): most tests wait on real
# servers, browsers and calfcoach processes, so one worker left a core idle. Every test has
# its own database, port and folder, so they do not meet.
test: dev lint typecheck
	scripts/system-packages.sh
	scripts/with-postgres.sh .venv/bin/python -m pytest --numprocesses 2 --dist loadfile

lint: dev
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench
	.venv/bin/lint-imports

typecheck: dev
	.venv/bin/mypy

unit: dev
	.venv/bin/python -m pytest tests/unit

bench: dev
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/python bench/plan_speed.py
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/python bench/log_speed.py
	.venv/bin/python bench/import_speed.py
	.venv/bin/python bench/web_load.py
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/python bench/export_speed.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .hypothesis
