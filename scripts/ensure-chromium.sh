#!/usr/bin/env bash
# Browser tests drive Debian's chromium (Playwright cannot download browsers here).
set -euo pipefail
CHROMIUM="${AKSI_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (sudo)…"
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "NOTICE: $CHROMIUM is missing and cannot be installed here; browser tests will be skipped."
fi
