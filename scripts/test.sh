#!/usr/bin/env bash
# Set up everything the tests need, then run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check coach_app tests bench scripts
.venv/bin/ruff format --check coach_app tests bench scripts
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
