#!/usr/bin/env bash
# Hearth's test command: installs what the tests need on a fresh Debian machine (PostgreSQL, whose
# binaries the tests start a throwaway cluster from; Chromium for the browser tests; an S3-compatible
# server: moto_server when present, else s3rver from npm; the openai npm package the client tests drive),
# runs every test project, and ends with one line "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    if { ! have_moto && [ ! -x .tools/node_modules/.bin/s3rver ]; } || [ ! -f .tools/node_modules/openai/package.json ]; then
        command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installing ${missing[*]} with apt-get (needed by the tests)"
        as_root apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { echo "apt-get could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
    fi
}

install_s3_server() {
    # The S3 tests run against a real S3-compatible server on loopback: moto_server, or s3rver (npm).
    if have_moto || [ -x .tools/node_modules/.bin/s3rver ]; then
        return
    fi
    echo "==> Installing s3rver 3.7.1 from npm under .tools/ (needed by the S3 tests)"
    mkdir -p .tools
    (cd .tools && npm install --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null) \
        || { echo "npm could not install s3rver"; echo "0 passed, 1 failed"; exit 1; }
}

install_openai_sdk() {
    # The client tests drive Hearth with the official openai npm package (6.x runs on Node 18+).
    if [ -f .tools/node_modules/openai/package.json ]; then
        return
    fi
    echo "==> Installing openai 6.30.1 from npm under .tools/ (needed by the client tests)"
    mkdir -p .tools
    (cd .tools && npm install --no-audit --no-fund --silent openai@6.30.1 >/dev/null) \
        || { echo "npm could not install openai"; echo "0 passed, 1 failed"; exit 1; }
}

have_moto() {
    command -v moto_server >/dev/null 2>&1 || [ -x "$HOME/.pyenv/shims/moto_server" ] || [ -x "$HOME/.local/bin/moto_server" ]
}

install_packages
install_s3_server
install_openai_sdk

# One throwaway PostgreSQL cluster for both test projects: the first test process that needs it starts it in this
# folder, the other finds it there (tests/Hearth.Tests/Infrastructure/PostgresServer.cs); it is stopped here at the end.
HEARTH_TEST_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hearth-pg-run-XXXXXX")
export HEARTH_TEST_PG_DIR
stop_postgres() {
    local pid_file="$HEARTH_TEST_PG_DIR/data/postmaster.pid"
    if [ -f "$pid_file" ]; then
        # SIGQUIT is PostgreSQL's immediate shutdown: nothing in a throwaway cluster needs saving.
        kill -QUIT "$(head -n 1 "$pid_file")" 2>/dev/null
        for _ in $(seq 50); do [ -f "$pid_file" ] || break; sleep 0.1; done
    fi
    rm -rf "$HEARTH_TEST_PG_DIR"
}
trap stop_postgres EXIT

results="TestResults/run-$(date +%s)"
echo "==> Building (dotnet build Hearth.slnx)"
# Built first, so that the two test projects run side by side: left to `dotnet test`, the browser tests'
# project was built only once the other project's whole run had ended, and the two ran one after the other.
if dotnet build Hearth.slnx --nologo -v minimal; then
    echo "==> Running the tests (results in $results)"
    dotnet test Hearth.slnx --no-build --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
    status=$?
else
    status=1
fi

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
if [ "$failed" -gt 0 ]; then
    # Repeated here, with the start of each message and stack trace, so the end of a long log says what failed and why.
    echo "==> Failed tests:"
    for trx in "$results"/*.trx; do
        [ -e "$trx" ] && awk -f tests/failures.awk "$trx"
    done
fi
echo "$passed passed, $failed failed"
exit "$status"
