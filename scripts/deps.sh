#!/usr/bin/env bash
# Install the Debian packages the build, the tests and the benchmarks need
# (chromium and a CJK font: the browser tests of tests/e2e, driven by playwright-core;
# cairo, pango, Noto CJK and libzip: the bulletin; poppler-utils and LibreOffice
# Writer without its GUI: the bulletin tests read the pdf back and convert the docx).
# Idempotent and quiet when everything is already present.
set -euo pipefail
pkgs=(build-essential pkg-config python3 libsqlite3-dev sqlite3 libjansson-dev
      check libsubunit-dev libxlsxwriter-dev libmicrohttpd-dev libsodium-dev libutf8proc-dev
      libcurl4-openssl-dev wrk chromium fonts-wqy-microhei
      libzip-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk poppler-utils libreoffice-writer-nogui)
missing=()
# the web application (web/) is built with Node.js and npm; the machine's own
# Node.js (with npm) is used when there is one, Debian's otherwise
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
