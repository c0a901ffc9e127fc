#!/usr/bin/env bash
# Runs every Starling test: the .NET suites (unit, protocol, schema conformance, server) and the interop
# suites that drive a real server with the official LiveKit SDKs from npm. Installs what it needs itself
# (NuGet restore, npm ci). Exits non-zero if anything failed; the last line sums up the counts.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
cd "$root"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
failed_stages=()

stage() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { echo "test.sh: '$1' is required ($2)" >&2; exit 2; }; }
need dotnet "install the .NET 10 SDK"
need node "install Node.js 20+"
need npm "install npm"

netns="$root/../shared/tools/netns-run"
if [[ ! -x "$netns" ]]; then echo "test.sh: $netns is missing (the shared/ folder beside the repository)" >&2; exit 2; fi
if ! command -v chromium >/dev/null; then
  stage "installing chromium (browser interop tests)"
  if [[ $(id -u) == 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || { echo "test.sh: apt-get install chromium failed" >&2; exit 2; }
  else
    echo "test.sh: chromium is missing; run: sudo apt-get install -y chromium" >&2; exit 2
  fi
fi

stage "npm ci (tests/schema, tests/interop, tests/agents)"
for dir in tests/schema tests/interop tests/agents; do
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dir" >&2; exit 2; }
done

stage "build"
dotnet build Starling.slnx -c Release -nologo -v quiet -clp:"ErrorsOnly;NoSummary" || { echo "build failed" >&2; exit 1; }
./starling --help >/dev/null || { echo "CLI build failed" >&2; exit 1; }

stage ".NET tests"
dotnet test Starling.slnx -c Release --no-build -nologo 2>&1 | tee "$logs/dotnet.log"
[[ ${PIPESTATUS[0]} == 0 ]] || failed_stages+=(".NET tests")

stage "interop tests (livekit-server-sdk against ./starling serve)"
(cd tests/interop && node --test --test-concurrency=1 --test-reporter=spec *.test.mjs lib/*.test.mjs) 2>&1 | tee "$logs/interop.log"
[[ ${PIPESTATUS[0]} == 0 ]] || failed_stages+=("interop tests")

stage "real-client interop tests (rtc-node, Chromium) inside a private network namespace"
shopt -s nullglob
rtc_suites=(tests/interop/rtc/*.test.mjs tests/interop/browser/*.test.mjs)
shopt -u nullglob
if ((${#rtc_suites[@]})); then
  "$netns" -- env STARLING_TEST_HOST=10.77.0.1 bash -c 'cd tests/interop && node --test --test-concurrency=1 --test-reporter=spec "${@#tests/interop/}"' _ "${rtc_suites[@]}" 2>&1 \
    | grep -v '^{"level"' | tee "$logs/rtc.log"
  [[ ${PIPESTATUS[0]} == 0 ]] || failed_stages+=("real-client interop tests")
fi

stage "agent worker tests (@livekit/agents workers, rtc-node user) inside a private network namespace"
shopt -s nullglob
agent_suites=(tests/agents/*.test.mjs)
shopt -u nullglob
if ((${#agent_suites[@]})); then
  "$netns" -- env STARLING_TEST_HOST=10.77.0.1 bash -c 'cd tests/agents && node --test --test-concurrency=1 --test-reporter=spec "${@#tests/agents/}"' _ "${agent_suites[@]}" 2>&1 \
    | grep -v '^{"level"' | tee "$logs/agents.log"
  [[ ${PIPESTATUS[0]} == 0 ]] || failed_stages+=("agent worker tests")
fi

passed=0
failed=0
while read -r f p; do passed=$((passed + p)); failed=$((failed + f)); done < <(
  grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+' "$logs/dotnet.log" | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+)/\1 \2/')
node_pass=$(cat "$logs"/interop.log "$logs"/rtc.log "$logs"/agents.log 2>/dev/null | grep -Eo '^ℹ pass [0-9]+' | awk '{s+=$3} END {print s+0}')
node_fail=$(cat "$logs"/interop.log "$logs"/rtc.log "$logs"/agents.log 2>/dev/null | grep -Eo '^ℹ fail [0-9]+' | awk '{s+=$3} END {print s+0}')
passed=$((passed + node_pass))
failed=$((failed + node_fail))

echo
if ((${#failed_stages[@]})); then
  echo "test.sh: failing stages: ${failed_stages[*]}"
  if ((failed == 0)); then failed=1; fi
fi
echo "total: $passed passed, $failed failed"
((${#failed_stages[@]} == 0))
