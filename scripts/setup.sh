#!/usr/bin/env bash
# Set up Listening Coach on Debian/Ubuntu: system libraries, a virtualenv in .venv, the package.
# Safe to rerun. `--test` also installs the test tools and the real speech model used by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv libportaudio2 libsndfile1                                # audio capture and files
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0  # Qt's runtime
  espeak-ng sox libsox-fmt-all                                          # the customer's voice, audio tools
)
TEST_APT_PACKAGES=(pulseaudio pulseaudio-utils libasound2-plugins  # a virtual microphone for capture tests
  desktop-file-utils strace)                                        # packaging and no-network checks

extras=""
packages=("${APT_PACKAGES[@]}")
if [[ "${1:-}" == "--test" ]]; then
  extras="[test]"
  packages+=("${TEST_APT_PACKAGES[@]}")
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "Installing system packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".${extras}"
