#!/usr/bin/env bash
# Installs what the browser test of the HTML dashboard needs on a fresh Debian machine: Debian's
# own Chromium and its chromedriver (no browser download of its own), and a font for the
# screenshot; and node and npm, which scripts/validate-sarif.sh uses to install and run
# Microsoft's SARIF multitool (a self-contained .NET program that needs libicu). Idempotent: exits at once when everything is already there. Needs root (or sudo).
set -euo pipefail

packages=(chromium chromium-driver fonts-dejavu-core)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# node and npm may come from elsewhere than Debian (NodeSource's nodejs bundles npm, and
# conflicts with Debian's npm package): ask for the packages only when the commands are missing.
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    missing+=(nodejs npm)
    break
  fi
done
# The multitool's .NET runtime loads libicu by its versioned name; libicu-dev pulls in whichever
# version this Debian has.
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then
  missing+=(libicu-dev)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-test-deps: already installed: ${packages[*]} node npm libicu"
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
