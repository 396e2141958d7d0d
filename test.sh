#!/usr/bin/env bash
# Runs every test of the solution and prints the totals as "N passed, N failed".
# As root it first installs the Debian packages the tests need (.ci/apt-packages); otherwise install them yourself.
set -uo pipefail
cd "$(dirname "$0")"
results=TestResults
rm -rf "$results"; mkdir -p "$results"
# Build once in parallel, then test one project at a time: the simulators, QEMU machines and daemon processes the
# tests start have deadlines, and two cores shared by every project at once would make them flaky.
# As root, the build runs while the packages install: the build needs none of them, and apt mostly waits on the network.
if [ "$(id -u)" = 0 ]; then
  dotnet build Metal3.sln --nologo -v q >"$results/build.log" 2>&1 &
  building=$!
  if ! .ci/install-packages; then
    kill "$building" 2>/dev/null; wait "$building" 2>/dev/null
    echo "could not install the test prerequisites" >&2; exit 1
  fi
  wait "$building"
  status=$?
  cat "$results/build.log"
else
  dotnet build Metal3.sln --nologo -v q
  status=$?
fi
# The deploy agent's ramdisk (for the agent's QEMU tests and the end-to-end lab: METAL3_AGENT_RAMDISK) and the Debian
# packages (for PackageTests: METAL3_PACKAGES) are built once. Without arguments (CI), the test projects that need
# neither (tests/without-artifacts.slnf) run while they build, the rest (tests/with-artifacts.slnf) after; with
# arguments (a filter), everything is built first and the whole solution is tested. A failed build leaves its directory
# empty and the tests that need it fail saying so.
own_packages=""; own_ramdisk=""
[ -n "${METAL3_PACKAGES:-}" ] || { export METAL3_PACKAGES=$PWD/$results/packages; own_packages=1; }
[ -n "${METAL3_AGENT_RAMDISK:-}" ] || { export METAL3_AGENT_RAMDISK=$PWD/$results/ramdisk; own_ramdisk=1; }
build_artifacts() {
  local packaging="" ramdisk=""
  if [ -n "$own_packages" ]; then
    deploy/package.sh "$METAL3_PACKAGES" >"$results/package.log" 2>&1 &
    packaging=$!
  fi
  if [ -n "$own_ramdisk" ]; then
    Metal3.Agent/ramdisk/build.sh "$METAL3_AGENT_RAMDISK" >"$results/ramdisk.log" 2>&1 &
    ramdisk=$!
  fi
  if [ -n "$ramdisk" ] && ! wait "$ramdisk"; then
    echo "the agent ramdisk did not build (see $results/ramdisk.log); the tests that boot it will fail" >&2
  fi
  if [ -n "$packaging" ]; then
    wait "$packaging" && ONLY=ramdisk deploy/package.sh "$METAL3_PACKAGES" "$METAL3_AGENT_RAMDISK" >>"$results/package.log" 2>&1 \
      || echo "the Debian packages did not build (see $results/package.log); PackageTests will fail" >&2
  fi
}
run_tests() { dotnet test "$1" --no-build -m:1 --logger trx --results-directory "$results" "${@:2}"; }
if [ $status -eq 0 ] && [ $# -eq 0 ]; then
  build_artifacts &
  artifacts=$!
  run_tests tests/without-artifacts.slnf; early=$?
  wait "$artifacts"
  run_tests tests/with-artifacts.slnf; late=$?
  status=$(( early != 0 ? early : late ))
elif [ $status -eq 0 ]; then
  build_artifacts
  run_tests Metal3.sln "$@"
  status=$?
fi
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then status=1; fi
exit $status
