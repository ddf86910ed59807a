#!/usr/bin/env bash
# Installs the Debian packages the tool, its end-to-end tests and the demo need (run as root).
set -euo pipefail
packages=(wireguard-tools wireguard-go iproute2 iptables dnsmasq-base iputils-ping)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
