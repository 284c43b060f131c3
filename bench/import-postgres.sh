#!/usr/bin/env bash
# Side-by-side benchmark of `stackdb import-postgres` (full conversion,
# checks and verification, one transaction, from a read-only snapshot)
# against `pg_dump SOURCE | psql TARGET` of the same source: a plain copy of
# the old layout, with no conversion and no check, the floor of moving a
# Postgres database. The source is generated in DeployStack's Postgres
# layout (`stackdb gen-legacy --postgres`) on a throwaway cluster; each way
# copies it RUNS times into a fresh database of the same cluster, the two
# alternating (and taking turns going first). Prints every run's time, then
# each one's median time, rows/s and peak RSS, and the ratio of the medians.
#
#   make bench-import-pg                # ROWS=2000000 RUNS=3
#   ROWS=200000 RUNS=1 make bench-import-pg
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-2000000}
RUNS=${RUNS:-3}

for tool in pg_dump psql /usr/bin/time bc; do
	command -v "$tool" >/dev/null || { echo "bench-import-pg: $tool is missing: run \`make bench-deps\` as root (apt-get install postgresql-client time bc)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/stackdb" ./cmd/stackdb

# stackdb dev --empty runs the inner script with DATABASE_URL set to a
# throwaway cluster, and removes the cluster afterwards.
"$work/stackdb" dev --empty -- bash -euo pipefail -c '
work=$1 runs=$2 rows=$3
base=${DATABASE_URL%/*}
opts=${DATABASE_URL##*\?}
src="$base/source?$opts"
psql -q "$DATABASE_URL" -c "CREATE DATABASE source"
echo "generating a DeployStack Postgres database of ~$rows rows"
"$work/stackdb" gen-legacy --postgres "$src" --rows "$rows" --seed 1 >/dev/null
psql -q "$src" -c "VACUUM ANALYZE"
total=0 # the rows of the application tables, as stackdb counts them

# run WAY N: copy the source into a fresh database; appends "seconds rss_kb" to $work/WAY.runs.
run() {
	local db="$1_$2"
	psql -q "$DATABASE_URL" -c "CREATE DATABASE $db"
	case $1 in
	stackdb)
		"$work/stackdb" migrate apply --config atlas.hcl --url "$base/$db?$opts" >/dev/null
		/usr/bin/time -o "$work/time" -f "%e %M" \
			"$work/stackdb" import-postgres --json --from "$src" --to "$base/$db?$opts" >"$work/out" || { tail -20 "$work/out" >&2; exit 1; }
		n=$(sed -n "s/^  \"imported_rows\": \([0-9]*\),$/\1/p" "$work/out")
		total=$(sed -n "s/^  \"source_rows\": \([0-9]*\),$/\1/p" "$work/out")
		[ "$n" = "$total" ] || { echo "stackdb imported $n of $total rows" >&2; exit 1; } ;;
	pg_dump)
		/usr/bin/time -o "$work/time" -f "%e %M" \
			bash -o pipefail -c "pg_dump --no-owner --no-privileges \"\$1\" | psql -q -X -v ON_ERROR_STOP=1 \"\$2\" >/dev/null" _ "$src" "$base/$db?$opts" ;;
	esac
	read -r secs rss <"$work/time"
	echo "$secs $rss" >>"$work/$1.runs"
	printf "run %d %-8s %8.2f s\n" "$2" "$1" "$secs"
	psql -q "$DATABASE_URL" -c "DROP DATABASE $db"
}
for ((i = 1; i <= runs; i++)); do
	if ((i % 2)); then run stackdb $i; run pg_dump $i; else run pg_dump $i; run stackdb $i; fi
done

# median WAY: "seconds max_rss_kb" over its runs (the median time).
median() { sort -n "$work/$1.runs" | awk "{t[NR]=\$1; r=(\$2>r?\$2:r)} END {print t[int((NR+1)/2)], r}"; }
read -r s_secs s_rss < <(median stackdb)
read -r p_secs p_rss < <(median pg_dump)
printf "%-16s %10s %16s %12s %14s\n" way rows "median seconds" rows/s "peak RSS MB"
printf "%-16s %10d %16.2f %12.0f %14.0f\n" "stackdb" "$total" "$s_secs" "$(echo "$total / $s_secs" | bc -l)" "$(echo "$s_rss / 1024" | bc -l)"
printf "%-16s %10d %16.2f %12.0f %14.0f\n" "pg_dump | psql" "$total" "$p_secs" "$(echo "$total / $p_secs" | bc -l)" "$(echo "$p_rss / 1024" | bc -l)"
printf "time ratio stackdb / (pg_dump | psql): %.2f\n" "$(echo "$s_secs / $p_secs" | bc -l)"
' _ "$work" "$RUNS" "$ROWS"
