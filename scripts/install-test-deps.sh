#!/usr/bin/env bash
# Installs what the browser test of the HTML dashboard needs on a fresh Debian machine: Debian's
# own Chromium and its chromedriver (no browser download of its own), and a font for the
# screenshot. Idempotent: exits at once when everything is already there. Needs root (or sudo).
set -euo pipefail

packages=(chromium chromium-driver fonts-dejavu-core)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-deps: already installed: ${packages[*]}"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
chromium --version
chromedriver --version
