#!/usr/bin/env bash
# Installs everything the app and the tests need on a fresh Debian machine: system packages (Chromium for browser
# tests and PNG export, Noto CJK fonts so Chinese renders, python3-venv when the system Python cannot make a
# virtual environment), the project's virtual environment and the pinned Python packages inside it.
#
# Debian's python3 refuses `pip install` outside a virtual environment (PEP 668), so the packages go into $VENV
# (default .venv, made with the system python3). With PYTHON set to another interpreter (`make test PYTHON=…`)
# no environment is made and the packages are installed with that interpreter's pip.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-$VENV/bin/python}
SYSTEM_PYTHON=${SYSTEM_PYTHON:-python3}
own_venv=false
[ "$PYTHON" = "$VENV/bin/python" ] && own_venv=true

need=()
for pkg in chromium fonts-noto-cjk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# `python3 -m venv` needs ensurepip, which Debian ships separately in python3-venv
if $own_venv && [ ! -x "$PYTHON" ] && ! "$SYSTEM_PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  need+=("python3-venv")
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install ${need[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if $own_venv; then
  # a half-made environment (an interrupted first run, a venv made before python3-venv was there) has no pip
  if [ -x "$PYTHON" ] && ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    echo "setup: $VENV has no working pip; making it again"
    rm -rf "$VENV"
  fi
  if [ ! -x "$PYTHON" ]; then
    echo "setup: making the virtual environment $VENV with $("$SYSTEM_PYTHON" --version 2>&1)"
    "$SYSTEM_PYTHON" -m venv "$VENV"
  fi
fi
# pip is quick when everything pinned is already there; no cleverness that could skip a fresh machine's install
"$PYTHON" -m pip install -q --disable-pip-version-check -r requirements.txt
# Bytecode for the project's own modules, once: where PYTHONDONTWRITEBYTECODE is set (as on these machines) every
# `python -m etl` would otherwise compile etl/ again before reading a page (≈0.1 s of a one-file ingest). Python
# reads a .pyc that matches its source and ignores a stale one, so an edit never runs old code.
"$PYTHON" -m compileall -q etl dashboard >/dev/null
