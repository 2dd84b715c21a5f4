#!/usr/bin/env bash
# Set up everything the tests need, then run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check
.venv/bin/ruff format --check
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
