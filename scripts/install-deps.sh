#!/usr/bin/env bash
# Installs the Debian packages the tool, its end-to-end tests, the demo and the benchmarks need
# (run as root; GNU time measures the benchmarks' peak memory). CI's package check uses man-db
# (`man -w`) and systemd (`systemctl is-enabled`, `systemd-analyze security --offline`); neither
# needs systemd to run as PID 1. The monitoring tests run Prometheus (with promtool) and
# node_exporter themselves, inside a lab namespace. python3 reads the test's notify socket (Node
# cannot) and, with python3-jsonschema, judges sample settings by the shipped JSON Schema. The
# completion tests ask bash, zsh and fish themselves; check-deb loads the bash one through
# bash-completion. acl gives setfacl, for the test of the monitoring user's access to the state.
set -euo pipefail
packages=(wireguard-tools wireguard-go iproute2 iptables dnsmasq-base iputils-ping time man-db systemd
  prometheus prometheus-node-exporter python3-minimal python3-jsonschema bash-completion zsh fish acl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # NOTE: without systemd as PID 1, the postinst of prometheus and prometheus-node-exporter
  # starts their init.d daemons (on ports 9090 and 9100 of the host), and a failed start fails
  # the install. policy-rc.d's 101 ("action forbidden") keeps every service stopped meanwhile.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    trap 'rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
