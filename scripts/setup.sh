#!/usr/bin/env bash
# Set up a working copy on a fresh machine: a virtualenv with the pinned requirements, and the
# Debian packages the browser tests and PDF records need (Chromium, CJK fonts, poppler).
# Idempotent and quick when everything is already there. Called by `make demo`, `make test`
# and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing requirements.txt into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi
# Compile the rule pack once, so that the first `check` on this machine finds its regexes kept
# (compliance/regexcache.py; a warm check takes about 0.4 s, a cold one about 1.4 s).
"$VENV/bin/python" -c "from compliance.rules import load_pack; load_pack()"

# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool); the printed
# inspection record needs CJK fonts. Only the tests need them: the demo runs without.
if [ "${1:-}" = "--with-browser" ]; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
  fc-list 2>/dev/null | grep -q "Noto Sans CJK" || need+=(fonts-noto-cjk)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installing ${need[*]} with apt-get"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    elif [ -n "${CI:-}" ]; then
      echo "setup: CI needs ${need[*]} but cannot apt-get install them (not root?)" >&2
      exit 1
    else
      echo "setup: ${need[*]} missing; browser tests will be skipped (sudo apt-get install ${need[*]})" >&2
    fi
  fi
fi
