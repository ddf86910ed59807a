#!/usr/bin/env bash
# Installs the Debian packages the tool, its end-to-end tests, the demo and the benchmarks need
# (run as root; GNU time measures the benchmarks' peak memory). CI's package check uses man-db
# (`man -w`) and systemd (`systemctl is-enabled`, `systemd-analyze security --offline`); neither
# needs systemd to run as PID 1. python3 reads the test's notify socket (Node cannot) and, with
# python3-jsonschema, judges sample settings by the shipped JSON Schema. The completion tests ask
# bash, zsh and fish themselves; check-deb loads the bash one through bash-completion.
set -euo pipefail
packages=(wireguard-tools wireguard-go iproute2 iptables dnsmasq-base iputils-ping time man-db systemd
  python3-minimal python3-jsonschema bash-completion zsh fish)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
