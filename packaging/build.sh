#!/usr/bin/env bash
# Build the one-folder bundle into dist/listening-coach/ (run from anywhere, after scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q "pyinstaller>=6.3"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath "${DIST_DIR:-dist}" --workpath "${BUILD_DIR:-build}" packaging/listening-coach.spec
echo "Built ${DIST_DIR:-dist}/listening-coach/listening-coach"
