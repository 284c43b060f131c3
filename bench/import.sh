#!/usr/bin/env bash
# Side-by-side import benchmark: `stackdb import-sqlite` (full conversion,
# checks and verification, one transaction) against pgloader (Debian package,
# default settings) on the same generated legacy file, on the same throwaway
# Postgres, in the same run. Prints time, rows/s and peak RSS of each, and
# the throughput ratio.
#
#   make bench-import                # ROWS=2000000
#   ROWS=200000 make bench-import
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-2000000}

for tool in pgloader psql /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench-import: $tool is missing (apt-get install pgloader postgresql-client time)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stackdb" ./cmd/stackdb
echo "generating a legacy database of ~$ROWS rows"
"$work/stackdb" gen-legacy --rows "$ROWS" --seed 1 --out "$work/legacy.db" >/dev/null

# stackdb dev --empty runs the inner script with DATABASE_URL set to a
# throwaway cluster, and removes the cluster afterwards.
"$work/stackdb" dev --empty -- bash -euo pipefail -c '
work=$1
base=${DATABASE_URL%/*}
opts=${DATABASE_URL##*\?}
psql -q "$DATABASE_URL" -c "CREATE DATABASE stackdb_target" -c "CREATE DATABASE pgloader_target"
"$work/stackdb" migrate apply --config atlas.hcl --url "$base/stackdb_target?$opts" >/dev/null

# Wall time and peak RSS of each whole process, from GNU time.
/usr/bin/time -o "$work/stackdb.time" -f "%e %M" \
	"$work/stackdb" import-sqlite --json --from "$work/legacy.db" --to "$base/stackdb_target?$opts" >"$work/stackdb.json"
read -r s_secs s_rss <"$work/stackdb.time"
s_rows=$(sed -n "s/^  \"imported_rows\": \([0-9]*\),$/\1/p" "$work/stackdb.json")

/usr/bin/time -o "$work/pgloader.time" -f "%e %M" \
	pgloader "sqlite://$work/legacy.db" "postgresql://${base#postgres://}/pgloader_target" >"$work/pgloader.log" 2>&1
read -r p_secs p_rss <"$work/pgloader.time"
p_rows=$(awk "/Total import time/ {print \$(NF-3)}" "$work/pgloader.log")

printf "%-10s %10s %10s %12s %14s\n" tool rows seconds rows/s "peak RSS MB"
printf "%-10s %10d %10.2f %12.0f %14.0f\n" stackdb "$s_rows" "$s_secs" "$(echo "$s_rows / $s_secs" | bc -l)" "$(echo "$s_rss / 1024" | bc -l)"
printf "%-10s %10d %10.2f %12.0f %14.0f\n" pgloader "$p_rows" "$p_secs" "$(echo "$p_rows / $p_secs" | bc -l)" "$(echo "$p_rss / 1024" | bc -l)"
printf "throughput ratio stackdb/pgloader: %.2f\n" "$(echo "($s_rows / $s_secs) / ($p_rows / $p_secs)" | bc -l)"
' _ "$work"
