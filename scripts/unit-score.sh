#!/usr/bin/env bash
# CI: prints the unit's exposure score from `systemd-analyze security --offline=yes` and fails
# when it is above 2.0 ("OK"), or when a point it flags has no "# flagged: SETTING=" comment in
# the unit saying why it stays.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=contrib/wg-endpoint-manager.service
command -v systemd-analyze >/dev/null ||
  { echo "unit-score: systemd-analyze is missing (Debian package systemd)" >&2; exit 1; }

report=$(systemd-analyze security --offline=yes "$unit" 2>&1)
line=$(grep -E "Overall exposure level" <<<"$report") ||
  { echo "unit-score: no score from systemd-analyze:" >&2; echo "$report" >&2; exit 1; }
score=$(sed -E 's/.*: ([0-9.]+) .*/\1/' <<<"$line")
echo "unit-score: $unit: exposure $score (systemd $(systemd-analyze --version | head -1 | cut -d' ' -f2))"

bad=0
# Each flagged line starts "✗ SETTING=...": the setting must be named in a "# flagged:" comment.
while read -r setting; do
  if grep -E "^# flagged:.*\b${setting}=" "$unit" >/dev/null; then
    echo "unit-score:   flagged $setting=, reason in the unit"
  else
    echo "unit-score:   flagged $setting= with no '# flagged: $setting=' comment in $unit" >&2
    bad=1
  fi
done < <(grep '✗' <<<"$report" | sed -E 's/^✗ ([A-Za-z]+)=.*/\1/' | sort -u)

if awk -v s="$score" 'BEGIN { exit !(s > 2.0) }'; then
  echo "unit-score: exposure $score is above 2.0" >&2
  bad=1
fi
exit $bad
