#!/usr/bin/env bash
# Runs the whole ThingLedger test suite: exactly what CI runs (.ci/run calls this).
# Needs only the .NET 10 SDK and the NuGet packages pinned in Directory.Packages.props.
# System packages the suites need (etcd, chromium) are installed here with apt-get first.
set -euo pipefail
cd "$(dirname "$0")"

# The consortium tests run a real etcd cluster (Debian's etcd-server); the explorer's browser
# tests drive Debian's chromium; the MQTT tests use mosquitto_pub and mosquitto_sub as a third-party
# device would; the contract tests build AssemblyScript contracts with npm (npm ci of the pinned
# compiler). Fail, never skip, without them.
missing=()
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (needed by the consortium, browser, MQTT and contract tests)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# A test holds 5,000 idle MQTT connections: both ends' descriptors live in one test process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log=$(mktemp)
trap 'rm -f "$log"' EXIT

set +e
dotnet test ThingLedger.slnx --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
echo
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
