#!/usr/bin/env bash
# Debian packages the mesh and its tests use (bridge networking's port mapping, ...).
# Installs only what is missing; needs root (as `make up`'s Consul install does).
set -euo pipefail
packages=(iptables graphviz chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages: missing ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
echo "system packages: installing ${missing[*]}"
apt-get -qq update
DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
