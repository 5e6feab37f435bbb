#!/usr/bin/env bash
# The soak: `thoras serve` on sped-up time with a light, steady HTTP load (loopback only), its RSS sampled once a
# minute, beside the GC's view of the managed heap (thoras serve --memory-log) and the machine's load. Passes when the
# last RSS sample is within 10 % of the one after warm-up.
#   tests/Soak/soak.sh [minutes=120] [speed-up=60]     (./build.sh soak runs it after a build)
# Ports: SOAK_PORT (default 7090) and SOAK_SANDBOX_PORT (7091). Writes TestResults/soak-rss.tsv (minute, RSS, heap after
# the last GC, GC committed, fragmented, gen2 and LOH after the last GC, gen2 collections, 1-minute load average) and
# keeps the host's log in TestResults/soak-serve.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MINUTES="${1:-120}"
SPEED_UP="${2:-60}"
WARM_UP=5
PORT="${SOAK_PORT:-7090}"
SANDBOX_PORT="${SOAK_SANDBOX_PORT:-7091}"
STATE="$(mktemp -d -t thoras-soak-XXXXXX)"
# As the product runs (the launchers, ./build.sh run, the Bicep app settings): two glibc malloc arenas, unless set.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
OUT="$ROOT/TestResults/soak-rss.tsv"
mkdir -p "$ROOT/TestResults"

dotnet "$ROOT/src/Cli/bin/${CONFIGURATION:-Debug}/net10.0/thoras.dll" serve --port "$PORT" --sandbox-port "$SANDBOX_PORT" \
  --state-dir "$STATE" --fresh --speed-up "$SPEED_UP" --memory-log 60 >"$STATE/serve.log" 2>&1 &
SERVE=$!
# Stopped with SIGINT, as Ctrl-C would; the state folder goes with it.
trap 'kill -INT "$SERVE" 2>/dev/null || true; wait "$SERVE" 2>/dev/null || true; cp "$STATE/serve.log" "$ROOT/TestResults/soak-serve.log" 2>/dev/null || true; rm -rf "$STATE"' EXIT

for _ in $(seq 1 180); do
  curl -sf -o /dev/null -m 5 "http://127.0.0.1:$PORT/api/health" && break
  kill -0 "$SERVE" 2>/dev/null || { cat "$STATE/serve.log" >&2; exit 1; }
  sleep 1
done
KEY="$(cat "$STATE/function-key")"

printf 'minute\trss_kb\theap_kb\tcommitted_kb\tfragmented_kb\tgen2_kb\tloh_kb\tgen2_collections\tload1\n' >"$OUT"
first="" last=""
for minute in $(seq 1 "$MINUTES"); do
  end=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$end" ]; do
    for path in system/pause targets fleet audit; do
      curl -s -o /dev/null -m 10 -H "x-functions-key: $KEY" "http://127.0.0.1:$PORT/api/$path" || true
    done
    sleep 1
  done
  kill -0 "$SERVE" 2>/dev/null || { echo "soak: thoras serve exited" >&2; cat "$STATE/serve.log" >&2; exit 1; }
  rss="$(awk '/VmRSS/{print $2}' "/proc/$SERVE/status")"
  # The host's last memory line: its fields after the RSS it measured itself (the RSS column is /proc's, now).
  gc="$(grep -a $'memory\t[0-9]' "$STATE/serve.log" | tail -1 | awk -F'\t' '{ print $3"\t"$4"\t"$5"\t"$6"\t"$7"\t"$8 }')"
  printf '%s\t%s\t%s\t%s\n' "$minute" "$rss" "${gc:-\t\t\t\t\t}" "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT"
  [ "$minute" -eq "$WARM_UP" ] && first="$rss"
  last="$rss"
done

[ -n "$first" ] || first="$last"
growth="$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')"
echo "soak: $MINUTES min at ${SPEED_UP}x ($((MINUTES * SPEED_UP / 60)) h of app time); RSS after warm-up ${first} kB, at the end ${last} kB (${growth} %)"
awk -v g="$growth" 'BEGIN { exit (g > 10) ? 1 : 0 }'
