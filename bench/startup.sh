#!/usr/bin/env bash
# Start-up time of the server alone, with no client load: process start -> "Now listening" in its log,
# each start on an empty database (migrations, seed ingest, model load, classification), then one
# restart on the same database. Usage: bash bench/startup.sh [starts] [server dll]
# Without a dll it publishes the server as the README's start command does (ReadyToRun, to .artifacts/server)
# and times that build; pass src/CitationService.Server/bin/Release/net10.0/CitationService.Server.dll (after
# `dotnet build -c Release src/CitationService.Server`) to time the plain build, JIT-compiled at start.
set -euo pipefail
cd "$(dirname "$0")/.."
starts=${1:-5}
port=5079
dll=${2:-}
if [ -z "$dll" ]; then
  dotnet publish src/CitationService.Server -c Release -o .artifacts/server >/dev/null
  dll=.artifacts/server/CitationService.Server.dll
fi
work=$(mktemp -d)
trap 'pkill -f "CitationService.Server.dll.*127.0.0.1:$port" || true; rm -rf "$work"' EXIT

start_once() {
  local log="$work/log" began ended
  : > "$log"
  began=$(date +%s%N)
  dotnet "$dll" --contentRoot "$PWD" --Storage:DatabasePath="$work/$1/citations.db" --Urls "http://127.0.0.1:$port" > "$log" 2>&1 &
  local pid=$!
  until grep -q "Now listening" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.01
  done
  ended=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '%-28s %6.3f s   %s\n' "$2" "$(echo "($ended - $began) / 1000000000" | bc -l)" \
    "$(grep -o 'Start-up tasks done in [0-9]* ms' "$log")"
}

echo "server: $dll"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$starts"); do
  start_once "db$i" "start $i (empty database)"
done
start_once "db1" "restart (same database)"
