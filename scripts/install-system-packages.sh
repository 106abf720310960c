#!/usr/bin/env bash
# Installs the Debian packages the portal needs, if any are missing.
#   run:  WeasyPrint's font subsetting library (Pango itself ships with Debian)
#   test: the above plus Chromium (browser tests) and poppler-utils (reading PDFs back)
set -euo pipefail
purpose="${1:-run}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installerer systempakker: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null; then
  SUDO="sudo"
else
  echo "Mangler ${missing[*]} og kan ikke installere dem uden root. Installér dem med apt-get." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
