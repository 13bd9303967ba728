#!/usr/bin/env bash
# Hearth's test command: installs what the tests need on a fresh Debian machine (PostgreSQL; the
# tests start their own throwaway cluster from its binaries), runs every test project, and ends with
# one line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing ${missing[*]} with apt-get (needed by the tests)"
        as_root apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { echo "apt-get could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
    fi
}

install_packages

results="TestResults/run-$(date +%s)"
echo "==> Building and running the tests (results in $results)"
dotnet test Hearth.slnx --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build or the test host failed before any test could report.
    failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"
