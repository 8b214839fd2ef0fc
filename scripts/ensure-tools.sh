#!/usr/bin/env bash
# The Debian tools the full test suite drives (validators, sqlmap, nginx, a browser, tmux, the
# databases). Installs what is missing when run as root with apt; otherwise names what to install.
set -euo pipefail
declare -A command_of=(
  [prometheus]=promtool [nginx]=nginx [testssl.sh]=testssl [sqlmap]=sqlmap [docker-compose]=docker-compose
  [chromium]=chromium [tmux]=tmux [postgresql]=pg_ctlcluster [redis-server]=redis-server [openssl]=openssl [tini]=tini
)
missing=()
for package in "${!command_of[@]}"; do
  command -v "${command_of[$package]}" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing test tools: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The test suite needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
