#!/usr/bin/env bash
# Debian packages jixiao needs at run time and in its tests. Idempotent; skips what is there.
#   fonts-noto-cjk        CJK glyphs for PDF reports and charts
#   libpango*             WeasyPrint's text layout
#   poppler-utils         pdftotext / pdftoppm, used by tests to open and render PDFs
#   chromium              the browser the web tests drive with Playwright (never a downloaded one)
#   postgresql            the real database the web and KPI tests run against, on loopback
#   openjdk-17-jre-headless  the JVM for the local Spark session of the KPI parity tests
set -euo pipefail
packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium postgresql
          openjdk-17-jre-headless)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "系统依赖已安装。"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "安装系统依赖：${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
