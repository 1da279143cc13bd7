#!/usr/bin/env bash
# Makes sure Debian's chromium is there for the browser tests (packages/browser-tests), which drive
# it with playwright-core: playwright's own browser download is never used (no network but the
# package registries). MEMGATE_CHROMIUM names another binary and skips the install.
set -euo pipefail

chromium="${MEMGATE_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then
  exit 0
fi
if [ -n "${MEMGATE_CHROMIUM:-}" ]; then
  echo "ensure-chromium: MEMGATE_CHROMIUM=$MEMGATE_CHROMIUM is not an executable file." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root." >&2
  echo "  Install it once with: sudo apt-get install -y chromium" >&2
  echo "  (or point MEMGATE_CHROMIUM at a Chromium or Chrome binary)." >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium (once) for the browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh image may be empty or old: refresh them once, then install.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing." >&2
  exit 1
fi
