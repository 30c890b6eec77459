#!/usr/bin/env bash
# A guided tour of claude-compliance against a local emulator: no real key needed.
#
#   make demo            (or: PATH=.venv/bin:$PATH bash scripts/demo.sh)
#
# Starts the emulator on a free port, archives everything, shows that a second run fetches
# nothing new, prints archive stats, verifies every stored byte, exports one user's eDiscovery
# bundle, plans retention, stops the emulator, then searches the archive, exports what a search
# found, and prints the command that opens the archive in a browser. Everything lands in
# $DEMO_DIR (default: .demo/).
set -euo pipefail

DEMO_DIR="${DEMO_DIR:-.demo}"
PYTHON="${PYTHON:-python}"

cc() { "$PYTHON" -m claude_compliance.cli "$@"; }

bold=$'\033[1m'; dim=$'\033[2m'; reset=$'\033[0m'
if [ ! -t 1 ]; then bold=""; dim=""; reset=""; fi
step() { printf '\n%s== %s ==%s\n' "$bold" "$*" "$reset"; }
show() { printf '%s$ claude-compliance %s%s\n' "$dim" "$*" "$reset"; cc "$@"; }

rm -rf "$DEMO_DIR"
mkdir -p "$DEMO_DIR"
log="$DEMO_DIR/emulator.log"

step "Starting the Compliance API emulator (seeded world, free port)"
# --no-access-activities: reading does not add activities, so the second sync is quiet.
# --rpm 3000 keeps the tour short (the real API allows 600 a minute; the SDK paces itself
# from the rate-limit headers either way).
# Started directly (not through the cc function, which would run in a subshell) so that
# $! is the emulator itself and stopping it really stops it.
"$PYTHON" -m claude_compliance.cli emulator serve --port 0 --seed 42 --rpm 3000 \
    --no-access-activities >"$log" 2>&1 &
emulator_pid=$!
stop_emulator() {
    if kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
}
trap stop_emulator EXIT

url=""
for _ in $(seq 1 300); do
    url="$(grep -o 'http://[^ ]*' "$log" | head -n 1 || true)"
    [ -n "$url" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        echo "The emulator did not start:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.1
done
[ -n "$url" ] || { echo "The emulator did not print its URL in time" >&2; exit 1; }
echo "Emulator at $url"

export ANTHROPIC_COMPLIANCE_BASE_URL="$url"
export ANTHROPIC_COMPLIANCE_ACCESS_KEY="sk-ant-api01-emulator-full"

step "1. Which scopes does this key hold?"
show keys check

step "2. First archive sync: every record and every byte the key can read"
show archive sync --to "$DEMO_DIR/archive"

step "3. Second sync: incremental, nothing new to fetch"
show archive sync --to "$DEMO_DIR/archive"

step "4. What the archive holds"
show archive stats --to "$DEMO_DIR/archive"

step "5. Verify: re-hash every stored blob"
show archive verify --to "$DEMO_DIR/archive"
show archive digest --to "$DEMO_DIR/archive"

step "6. eDiscovery bundle for one user"
org="$(cc -q orgs list --format jsonl --limit 1 | "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.readline())["uuid"])')"
email="$(cc -q users list "$org" --format jsonl --limit 1 | "$PYTHON" -c 'import json,sys; print(json.loads(sys.stdin.readline())["email"])')"
show export ediscovery --user "$email" --out "$DEMO_DIR/ediscovery-bundle"
echo "Bundle files (first few):"
find "$DEMO_DIR/ediscovery-bundle" -type f | sort | head -n 8
echo "Manifest: $DEMO_DIR/ediscovery-bundle/manifest.json"

step "7. Retention with a legal hold: a plan and a dry run (nothing is deleted)"
cat >"$DEMO_DIR/retention.toml" <<'POLICY'
[[rule]]
name = "chats-180d"
kind = "chat"
older_than = "180d"

[[rule]]
name = "files-180d"
kind = "file"
older_than = "180d"
POLICY
echo "Policy $DEMO_DIR/retention.toml: delete chats and files untouched for 180 days"
show holds add --to "$DEMO_DIR/archive" --user "$email" --matter "Demo v. Example" \
    --reason "custodian of the demo matter"
show retention plan --policy "$DEMO_DIR/retention.toml" --to "$DEMO_DIR/archive" \
    --out "$DEMO_DIR/retention-plan.json" --no-sync
dry_run=(retention apply "$DEMO_DIR/retention-plan.json" --to "$DEMO_DIR/archive" --dry-run
         --format csv)
printf '%s$ claude-compliance %s > %s%s\n' "$dim" "${dry_run[*]}" "$DEMO_DIR/retention-dry-run.csv" "$reset"
cc "${dry_run[@]}" >"$DEMO_DIR/retention-dry-run.csv"
echo "First rows of $DEMO_DIR/retention-dry-run.csv:"
head -n 4 "$DEMO_DIR/retention-dry-run.csv"
echo "(a dry run: each object was checked against the holds and the API; none was deleted)"

step "8. The same from Python: examples/quickstart.py"
echo '$ python examples/quickstart.py'
"$PYTHON" examples/quickstart.py

step "Stopping the emulator"
stop_emulator
trap - EXIT

step "9. The reviewer's workspace: search, export and browse the archive (no API from here on)"
show export ediscovery --from-archive "$DEMO_DIR/archive" --query '"termination clause"' \
    --out "$DEMO_DIR/termination-clause-bundle"
echo "Open $DEMO_DIR/termination-clause-bundle/index.html in a browser to read that bundle."
echo "Done. Archive: $DEMO_DIR/archive  Bundle: $DEMO_DIR/ediscovery-bundle"
echo
echo "The best search result for \"termination clause\":"
show --format json archive search "termination clause" --to "$DEMO_DIR/archive" --limit 1
echo
echo "Browse the archive (people, chats, files, Activity Feed, search) in a read-only web view:"
echo "  claude-compliance archive serve --to $DEMO_DIR/archive"
