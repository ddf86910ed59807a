#!/usr/bin/env bash
# CI (root): builds the Debian package from the current build, installs it with apt-get, checks
# what it installed, then removes and purges it: remove must keep /var/lib/wg-endpoint-manager,
# purge must delete it. Leaves the machine as it found it.
#
# Depends: nodejs (>= 20.19) must be satisfied by an installed Debian package: Debian 13's own,
# or NodeSource's on Debian 12 (whose own nodejs is 18). A Node.js from elsewhere (nvm, a
# tarball) does not count for apt, and this check says so instead of forcing the dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
name=wg-endpoint-manager
state=/var/lib/$name

fail() {
  echo "check-deb: $*" >&2
  exit 1
}
# Runs apt-get quietly; its output only when it fails.
apt_quiet() {
  local log
  log=$(DEBIAN_FRONTEND=noninteractive apt-get -y -qq "$@" 2>&1) || { echo "$log" >&2; return 1; }
}

node_pkg=$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)
if [ -z "$node_pkg" ] || ! dpkg --compare-versions "$node_pkg" ge 20.19; then
  fail "the package depends on nodejs (>= 20.19), and dpkg knows nodejs '${node_pkg:-none}'." \
    "Install Node.js 20 as a Debian package (Debian 13, or NodeSource on Debian 12)."
fi
if dpkg-query -W -f='${Status}' $name 2>/dev/null | grep -q installed; then
  fail "$name is already installed here; this check installs and purges it, so it will not run."
fi
[ -e "$state" ] && fail "$state exists: purging the package would delete it, so this check will not run."
# The e2e lab bind-mounts its settings over /etc/wg-endpoint-manager, which must exist: keep
# purge from removing it (dpkg leaves a directory that is not empty) while labs may be running.
hold=""
if [ -d /etc/$name ]; then
  hold=/etc/$name/.check-deb-keep
  touch "$hold"
fi

deb=$(bash scripts/package-deb.sh)
echo "check-deb: built $deb ($(stat -c %s "$deb") bytes)"
named=""
cleanup() {
  dpkg --purge $name >/dev/null 2>&1 || true
  if [ -n "$named" ]; then rm -rf "$named"; fi
  if [ -n "$hold" ]; then rm -f "$hold"; fi
}
trap cleanup EXIT

apt_quiet install --no-install-recommends "./$deb"

want_version=$(node -p 'require("./package.json").version')
[ "$(command -v $name)" = /usr/bin/$name ] || fail "$name is not /usr/bin/$name but '$(command -v $name)'"
got_version=$($name --version)
[ "$got_version" = "$want_version" ] || fail "--version says '$got_version', expected '$want_version'"
$name --help | cmp -s - <(node dist/bin/bin.js --help) || fail "--help differs from the build's"
echo "check-deb: installed $name $got_version; --help is the build's"

unit=/lib/systemd/system/$name.service
cmp -s $unit contrib/$name.service || fail "$unit is not contrib/$name.service"
start=$(sed -n 's/^ExecStart=//p' $unit)
for program in $start; do
  case $program in /*) [ -x "$program" ] || fail "the unit's ExecStart names $program, which is not installed" ;; esac
done
[ "$(/usr/lib/$name/notify-fd /bin/echo ok)" = ok ] || fail "/usr/lib/$name/notify-fd does not run its command"
enabled=$(systemctl is-enabled $name.service 2>/dev/null || true)
[ "$enabled" = disabled ] || fail "the unit should be installed, not enabled; systemctl says '$enabled'"
page=$(man -w $name 2>/dev/null || true)
[ "$page" = /usr/share/man/man8/$name.8.gz ] || fail "man -w $name gives '$page'"
man $name 2>/dev/null | grep -q -- "--log-format" || fail "man $name does not render"
active_cron=$(grep -Ev '^[[:space:]]*(#|$)' /etc/cron.d/$name || true)
[ -z "$active_cron" ] || fail "/etc/cron.d/$name has an active line: $active_cron"
echo "check-deb: unit $unit ($enabled), man page $page, cron line commented out"
share=/usr/share/$name
cmp -s $share/$name.rules.yml contrib/prometheus/$name.rules.yml ||
  fail "$share/$name.rules.yml is not contrib/prometheus/$name.rules.yml"
cmp -s $share/$name.json contrib/grafana/$name.json || fail "$share/$name.json is not contrib/grafana/$name.json"
cmp -s /usr/share/doc/$name/README.md README.md || fail "/usr/share/doc/$name/README.md (the runbooks) is not README.md"
if command -v promtool >/dev/null; then
  promtool check rules $share/$name.rules.yml >/dev/null || fail "promtool rejects $share/$name.rules.yml"
fi
echo "check-deb: alert rules and dashboard in $share, README (runbooks) in /usr/share/doc/$name"

# The command runs the Node.js the package depends on: a `node` first on PATH changes nothing.
fake=$(mktemp -d)
printf '#!/bin/sh\necho "the wrong node" >&2\nexit 99\n' >"$fake/node"
chmod 755 "$fake/node"
got_version=$(PATH="$fake:$PATH" $name --version) ||
  fail "with another node first on PATH, $name --version failed"
[ "$got_version" = "$want_version" ] || fail "with another node first on PATH: '$got_version'"
rm -rf "$fake"
echo "check-deb: /usr/bin/$name runs /usr/bin/node, whatever node PATH finds first"

# A failed restart on upgrade fails the upgrade with a message; a good one passes quietly. Run
# as dpkg runs postinst on an upgrade, with systemd faked in a mount namespace of its own.
postinst=/var/lib/dpkg/info/$name.postinst
restart() {
  unshare -m sh -c '
    mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system "/run/fake" &&
    printf "#!/bin/sh\n[ \"\$1\" != try-restart ] || exit %s\n" "$1" >/run/fake/systemctl &&
    chmod 755 /run/fake/systemctl && PATH="/run/fake:$PATH" sh "$2" configure 0.0.1' \
    restart "$1" "$postinst"
}
set +e
out=$(restart 1 2>&1)
code=$?
set -e
[ "$code" != 0 ] || fail "postinst ignored a failed restart on upgrade (exit 0): $out"
echo "$out" | grep -q "did not restart after the upgrade" ||
  fail "postinst did not say the restart failed: $out"
out=$(restart 0 2>&1) || fail "postinst failed although the restart worked: $out"
echo "check-deb: a failed restart on upgrade fails postinst and says so"

# The addon loads from the installed tree and opens a raw ICMP socket (no packet is sent).
node -e 'const r = require("module").createRequire("/usr/lib/wg-endpoint-manager/bin/bin.js");
  const ping = r("net-ping"); ping.createSession({ retries: 0 }).close();' ||
  fail "net-ping/raw-socket does not load from /usr/lib/$name"
# The example settings change nothing: with no configs the tool stops at that (4), not at the
# settings (2).
scratch=$(mktemp -d)
mkdir "$scratch/configs" "$scratch/state"
set +e
out=$(cd / && $name --config-dir "$scratch/configs" --state-dir "$scratch/state" 2>&1)
code=$?
set -e
rm -rf "$scratch"
[ "$code" = 4 ] || fail "with the example settings and no configs: exit $code, expected 4: $out"
echo "check-deb: raw-socket loads; /etc/$name/config.yaml is harmless"
schema=/usr/share/$name/config.schema.json
cmp -s $schema contrib/config.schema.json || fail "$schema is not contrib/config.schema.json"
head -1 /etc/$name/config.yaml | grep -qxF "# yaml-language-server: \$schema=file://$schema" ||
  fail "/etc/$name/config.yaml does not point editors to $schema on its first line"
echo "check-deb: $schema installed, and config.yaml points to it"
for pair in "bash-completion/completions/$name:$name.bash" "zsh/vendor-completions/_$name:_$name" \
  "fish/vendor_completions.d/$name.fish:$name.fish"; do
  cmp -s "/usr/share/${pair%%:*}" "contrib/completions/${pair#*:}" ||
    fail "/usr/share/${pair%%:*} is not contrib/completions/${pair#*:}"
done
# bash-completion finds it by the command's name, as an interactive shell would on TAB.
loaded=$(bash -c '. /usr/share/bash-completion/bash_completion 2>/dev/null
  __load_completion wg-endpoint-manager && complete -p wg-endpoint-manager' 2>&1 || true)
[ "$loaded" = "complete -F _wg_endpoint_manager wg-endpoint-manager" ] ||
  fail "bash-completion does not load the completion: $loaded"
echo "check-deb: bash, zsh and fish completions installed where each shell looks"

mkdir -p $state && echo '{}' >$state/state.json
# The command of the cron line an operator would uncomment (left commented: a cron daemon on
# this machine must not start passes), and a state folder moved by the settings.
cron_command=$(grep -E '^# \* \* \* \* \* root ' /etc/cron.d/$name | sed -E 's/^# (\S+ ){6}//')
[ -n "$cron_command" ] || fail "no commented cron line in /etc/cron.d/$name"
named=$(mktemp -d /var/tmp/wgem-check-deb-state.XXXXXX)
printf 'stateDir: %s\n' "$named" >>/etc/$name/config.yaml
echo '{}' >"$named/state.json"
: >"$named/lock"
# As an operator would: purge must also remove the link this makes.
systemctl enable $name.service >/dev/null 2>&1
[ -L /etc/systemd/system/multi-user.target.wants/$name.service ] || fail "systemctl enable made no link"
apt_quiet remove $name
[ -f $state/state.json ] || fail "remove deleted $state"
[ -e /usr/bin/$name ] && fail "remove left /usr/bin/$name"
[ -f /etc/$name/config.yaml ] || fail "remove deleted the conffile /etc/$name/config.yaml"
echo "check-deb: removed; $state and the conffiles stay"
# Cron runs the line as before, with the package gone: it must say nothing, or cron mails it.
out=$(sh -c "$cron_command" 2>&1) || true
[ -z "$out" ] || fail "the cron line prints after apt remove (cron would mail it): $out"
[ -f "$named/state.json" ] || fail "remove deleted the state in the settings' stateDir $named"
echo "check-deb: the cron line is silent once the package is removed"
apt_quiet purge $name
[ -e $state ] && fail "purge left $state"
[ -e "$named" ] && fail "purge left the settings' stateDir $named"
[ -e /etc/$name/config.yaml ] && fail "purge left /etc/$name/config.yaml"
[ -L /etc/systemd/system/multi-user.target.wants/$name.service ] && fail "purge left the enable link"
echo "check-deb: purged; $state, the settings' stateDir, the conffiles and the enable link are gone"
