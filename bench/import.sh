#!/usr/bin/env bash
# Side-by-side import benchmark: `stackdb import-sqlite` (full conversion,
# checks and verification, one transaction) against pgloader (Debian package,
# default settings but a larger heap) on the same generated legacy file, on the same throwaway
# Postgres, in the same run. Each tool imports the file RUNS times into a
# fresh database, the two alternating (and taking turns going first) so that
# the machine's drift weighs on both alike. Prints every run's time, then
# each tool's median time, rows/s and peak RSS, and the throughput ratio of
# the medians.
#
#   make bench-import                # ROWS=2000000 RUNS=3
#   ROWS=200000 RUNS=1 make bench-import
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-2000000}
RUNS=${RUNS:-3}
# pgloader's heap in MB: with its default (SBCL's), pgloader exhausts it on
# the real layout at 2M rows ("Heap exhausted during garbage collection").
PGLOADER_HEAP=${PGLOADER_HEAP:-4096}

# The tools only this benchmark needs; `make bench-deps` installs them.
for tool in pgloader psql /usr/bin/time bc; do
	command -v "$tool" >/dev/null || { echo "bench-import: $tool is missing: run \`make bench-deps\` as root (apt-get install pgloader postgresql-client time bc)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stackdb" ./cmd/stackdb
echo "generating a legacy database of ~$ROWS rows"
"$work/stackdb" gen-legacy --rows "$ROWS" --seed 1 --out "$work/legacy.db" >/dev/null

# stackdb dev --empty runs the inner script with DATABASE_URL set to a
# throwaway cluster, and removes the cluster afterwards.
"$work/stackdb" dev --empty -- bash -euo pipefail -c '
work=$1 runs=$2 heap=$3
base=${DATABASE_URL%/*}
opts=${DATABASE_URL##*\?}

# run TOOL N: import into a fresh database; appends "seconds rss_kb rows" to $work/TOOL.runs.
run() {
	local db="$1_$2"
	psql -q "$DATABASE_URL" -c "CREATE DATABASE $db"
	case $1 in
	stackdb)
		"$work/stackdb" migrate apply --config atlas.hcl --url "$base/$db?$opts" >/dev/null
		/usr/bin/time -o "$work/time" -f "%e %M" \
			"$work/stackdb" import-sqlite --json --from "$work/legacy.db" --to "$base/$db?$opts" >"$work/out"
		rows=$(sed -n "s/^  \"imported_rows\": \([0-9]*\),$/\1/p" "$work/out") ;;
	pgloader)
		/usr/bin/time -o "$work/time" -f "%e %M" \
			pgloader --dynamic-space-size "$heap" "sqlite://$work/legacy.db" "postgresql://${base#postgres://}/$db" >"$work/out" 2>&1 || { tail -20 "$work/out" >&2; exit 1; }
		rows=$(awk "/Total import time/ {print \$(NF-3)}" "$work/out") ;;
	esac
	read -r secs rss <"$work/time"
	echo "$secs $rss $rows" >>"$work/$1.runs"
	printf "run %d %-9s %8.2f s\n" "$2" "$1" "$secs"
	psql -q "$DATABASE_URL" -c "DROP DATABASE $db"
}
for ((i = 1; i <= runs; i++)); do
	if ((i % 2)); then run stackdb $i; run pgloader $i; else run pgloader $i; run stackdb $i; fi
done

# median TOOL: "seconds max_rss_kb rows" over its runs (the median time).
median() { sort -n "$work/$1.runs" | awk "{t[NR]=\$1; r=(\$2>r?\$2:r); n=\$3} END {print t[int((NR+1)/2)], r, n}"; }
read -r s_secs s_rss s_rows < <(median stackdb)
read -r p_secs p_rss p_rows < <(median pgloader)
printf "%-10s %10s %16s %12s %14s\n" tool rows "median seconds" rows/s "peak RSS MB"
printf "%-10s %10d %16.2f %12.0f %14.0f\n" stackdb "$s_rows" "$s_secs" "$(echo "$s_rows / $s_secs" | bc -l)" "$(echo "$s_rss / 1024" | bc -l)"
printf "%-10s %10d %16.2f %12.0f %14.0f\n" pgloader "$p_rows" "$p_secs" "$(echo "$p_rows / $p_secs" | bc -l)" "$(echo "$p_rss / 1024" | bc -l)"
printf "throughput ratio stackdb/pgloader: %.2f\n" "$(echo "($s_rows / $s_secs) / ($p_rows / $p_secs)" | bc -l)"
' _ "$work" "$RUNS" "$PGLOADER_HEAP"
