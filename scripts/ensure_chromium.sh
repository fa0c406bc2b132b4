#!/usr/bin/env bash
# Installs what the browser tests need, if it is missing: Debian's chromium and axe-core from npm.
# Never fails: when something cannot be installed, the browser tests skip and say what is missing.
set -u
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "ensure_chromium: installing Debian's chromium package…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || echo "ensure_chromium: apt-get update failed"
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
      || echo "ensure_chromium: could not install chromium; browser tests will be skipped"
  else
    echo "ensure_chromium: /usr/bin/chromium is missing and apt-get (as root) is not available; browser tests will be skipped"
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "ensure_chromium: installing axe-core with npm ci…"
    npm ci --no-audit --no-fund --silent >/dev/null 2>&1 \
      || echo "ensure_chromium: npm ci failed; the accessibility tests will be skipped"
  else
    echo "ensure_chromium: npm is missing; the accessibility tests will be skipped"
  fi
fi
exit 0
