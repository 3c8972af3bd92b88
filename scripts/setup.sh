#!/usr/bin/env bash
# Installs everything the app and the tests need on a fresh Debian machine: system packages (Chromium for
# browser tests and PNG export, Noto CJK fonts so Chinese renders) and the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in chromium fonts-noto-cjk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
PY=${PYTHON:-python3}
# pip is quick when everything pinned is already there; no cleverness that could skip a fresh machine's install
$PY -m pip install -q --disable-pip-version-check -r requirements.txt
