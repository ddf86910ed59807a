#!/usr/bin/env bash
# Builds dist/wg-endpoint-manager_<version>_<arch>.deb with dpkg-deb from an existing build
# (`npm run package:deb` builds first). Layout:
#   /usr/lib/wg-endpoint-manager/bin/         the esbuild bundles (dist/bin)
#   /usr/lib/wg-endpoint-manager/node_modules net-ping and raw-socket with its native raw.node:
#                                             the bundle leaves net-ping external (scripts/bundle.ts)
#   /usr/bin/wg-endpoint-manager              a symlink to bin/bin.js (run by /usr/bin/node)
#   /usr/lib/wg-endpoint-manager/notify-fd    the unit's ExecStart wrapper (systemd notify socket)
#   /lib/systemd/system/…service              the unit, not enabled
#   /etc/cron.d/wg-endpoint-manager           the cron line, commented out (conffile)
#   /etc/wg-endpoint-manager/config.yaml      example settings, all commented out (conffile)
#   /usr/share/man/man8/…8.gz                 the man page
#   /usr/share/wg-endpoint-manager/           Prometheus alert rules, Grafana dashboard, the
#                                             settings' JSON Schema (config.schema.json, for editors)
#   /usr/share/doc/wg-endpoint-manager/       README.md (the alerts' runbooks), copyright
#   /usr/share/bash-completion/completions/wg-endpoint-manager, /usr/share/zsh/vendor-completions/
#   _wg-endpoint-manager, /usr/share/fish/vendor_completions.d/wg-endpoint-manager.fish
set -euo pipefail
cd "$(dirname "$0")/.."

name=wg-endpoint-manager
version=$(node -p 'require("./package.json").version')
arch=$(dpkg --print-architecture)
# raw.node is built for this Node.js major's ABI: it loads on no other major.
node_major=$(node -p 'process.versions.node.split(".")[0]')
addon=node_modules/raw-socket/build/Release/raw.node
for f in dist/bin/bin.js dist/bin/cli.js "$addon" contrib/$name.8 contrib/$name.service contrib/notify-fd \
  contrib/prometheus/$name.rules.yml contrib/grafana/$name.json contrib/config.schema.json \
  contrib/completions/$name.bash contrib/completions/_$name contrib/completions/$name.fish; do
  [ -f "$f" ] || { echo "package-deb: $f is missing; run npm ci && npm run build" >&2; exit 1; }
done

root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
lib=$root/usr/lib/$name

install -d "$lib/bin/vendor" "$root/usr/bin"
# bin.js and cli.js are CommonJS (dist/bin/package.json says so): bin.js compiles cli.js with
# V8's code cache (kept in /var/cache/wg-endpoint-manager); vendor/ holds what cli.js loads on use.
install -m 644 dist/bin/bin.js dist/bin/cli.js dist/bin/package.json "$lib/bin/"
install -m 644 dist/bin/vendor/* "$lib/bin/vendor/"
chmod 755 "$lib/bin/bin.js"
# The Node.js the package depends on, not whichever `env` finds first on root's PATH.
sed -i '1s|^#!/usr/bin/env node$|#!/usr/bin/node|' "$lib/bin/bin.js"
[ "$(head -n 1 "$lib/bin/bin.js")" = "#!/usr/bin/node" ] || {
  echo "package-deb: dist/bin/bin.js does not start with #!/usr/bin/env node" >&2
  exit 1
}
# --version reads "version" from here.
node -e 'const p = require("./package.json");
  process.stdout.write(JSON.stringify({ name: p.name, version: p.version, private: true, type: "module" }, null, 2) + "\n")' \
  >"$lib/package.json"
for module in net-ping raw-socket; do
  install -D -m 644 "node_modules/$module/index.js" "$lib/node_modules/$module/index.js"
  install -D -m 644 "node_modules/$module/package.json" "$lib/node_modules/$module/package.json"
done
install -D -m 644 "$addon" "$lib/$addon"
ln -s ../lib/$name/bin/bin.js "$root/usr/bin/$name"
install -m 755 contrib/notify-fd "$lib/notify-fd"

install -D -m 644 contrib/$name.service "$root/lib/systemd/system/$name.service"
install -D -m 644 contrib/config.yaml "$root/etc/$name/config.yaml"
install -d "$root/etc/cron.d"
{
  echo "# Uncomment the line below for one pass a minute from cron. Use cron or the service"
  echo "# (systemctl enable --now $name), not both."
  sed -E 's/^([^#])/# \1/' contrib/$name.cron
} >"$root/etc/cron.d/$name"
chmod 644 "$root/etc/cron.d/$name"
install -d "$root/usr/share/man/man8" "$root/usr/share/doc/$name"
gzip -9n <contrib/$name.8 >"$root/usr/share/man/man8/$name.8.gz"
install -m 644 scripts/deb/copyright "$root/usr/share/doc/$name/copyright"
install -m 644 README.md "$root/usr/share/doc/$name/README.md"
install -D -m 644 -t "$root/usr/share/$name" \
  contrib/prometheus/$name.rules.yml contrib/grafana/$name.json contrib/config.schema.json
# Where each shell looks for a command's completion (bash-completion loads it on first use).
install -D -m 644 contrib/completions/$name.bash "$root/usr/share/bash-completion/completions/$name"
install -D -m 644 contrib/completions/_$name "$root/usr/share/zsh/vendor-completions/_$name"
install -D -m 644 contrib/completions/$name.fish \
  "$root/usr/share/fish/vendor_completions.d/$name.fish"

install -d "$root/DEBIAN"
install -m 755 scripts/deb/prerm scripts/deb/postinst scripts/deb/postrm "$root/DEBIAN/"
printf '%s\n' "/etc/$name/config.yaml" "/etc/cron.d/$name" >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: wg-endpoint-manager developers <root@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: nodejs (>= 20.19), nodejs (<< $((node_major + 1))), wireguard-tools
Recommends: iputils-ping
Section: net
Priority: optional
Description: keep WireGuard peers on a resolved endpoint that works
 For every peer whose Endpoint is a hostname, resolves every A and AAAA record, probes every
 address at once and moves the live endpoint to the best one, happy-eyeballs style, verified
 through the tunnel. Runs from cron (one pass) or as a systemd service (watch).
CONTROL

mkdir -p dist
out=dist/${name}_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "$out"
