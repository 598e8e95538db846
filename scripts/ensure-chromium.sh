#!/usr/bin/env bash
# Browser tests drive Debian's chromium (Playwright cannot download browsers here).
# Installs it with apt when it is missing and we may (root, or sudo without a password);
# otherwise says so, and the browser tests skip (or fail, with AKSI_REQUIRE_BROWSER=true).
set -euo pipefail
CHROMIUM="${AKSI_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "NOTICE: $CHROMIUM is missing and there is no apt-get to install it; browser tests will be skipped."
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "NOTICE: $CHROMIUM is missing; install it with 'sudo apt-get install chromium'. Browser tests will be skipped."
  exit 0
fi
echo "Installing Debian's chromium for the browser tests…"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  chromium fonts-dejavu-core >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "chromium was installed, but $CHROMIUM is still missing (set AKSI_CHROMIUM to its path)." >&2
  exit 1
fi
"$CHROMIUM" --version 2>/dev/null || true
