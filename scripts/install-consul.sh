#!/usr/bin/env bash
# Put a consul >= 1.8 binary at tools/bin/consul: reuse one on PATH, else unpack
# Debian bullseye's package without touching the system's apt sources.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/tools/bin"
mkdir -p "$bin"

version_ok() {  # $1: path to a consul binary
  local v
  v=$("$1" version 2>/dev/null | sed -n 's/^Consul v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p') || return 1
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 1 ] || { [ "$1" -eq 1 ] && [ "$2" -ge 8 ]; }
}

if [ -x "$bin/consul" ] && version_ok "$bin/consul"; then
  echo "consul: $("$bin/consul" version | head -1) at $bin/consul"; exit 0
fi
if existing=$(command -v consul) && [ "$existing" != "$bin/consul" ] && version_ok "$existing"; then
  ln -sf "$existing" "$bin/consul"
  echo "consul: using $existing ($("$existing" version | head -1))"; exit 0
fi

work="$root/tools/apt"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/deb"
echo "deb http://deb.debian.org/debian bullseye main" > "$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
          -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
echo "consul: fetching the Debian bullseye package (private apt lists under tools/apt)"
apt-get "${apt_opts[@]}" -qq update
(cd "$work/deb" && apt-get "${apt_opts[@]}" -qq download consul)
deb=$(ls -t "$work/deb"/consul_*.deb | head -1)
rm -rf "$work/unpacked" && dpkg -x "$deb" "$work/unpacked"
install -m 0755 "$work/unpacked/usr/bin/consul" "$bin/consul"
echo "consul: $("$bin/consul" version | head -1) at $bin/consul"
