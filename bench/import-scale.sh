#!/usr/bin/env bash
# Scale benchmark of `stackdb import-sqlite --on-error=skip`: generated
# legacy files of ROWS rows each (a list), with DEFECT_RATE of the large
# tables' rows defective (gen-legacy --defect-rate), each imported once into
# a fresh database of one throwaway Postgres, rejected rows written to a
# file. Prints, per size, the wall time, rows/s and the importer's peak RSS
# (GNU time's "Maximum resident set size": the importer alone, Postgres is
# not its child), and the defects and rejected rows it reported. With
# BASE_REV, the same files are imported by a build of that revision too,
# alternating with this tree's (same files, same Postgres, same run).
#
#   make bench-import-scale                              # ROWS="2000000 10000000 20000000"
#   ROWS=2000000 BASE_REV=main make bench-import-scale   # before/after at 2M
#
# The files are large (about 470 MB per million rows) and take minutes to
# generate: they are written to DATA_DIR (default: a temporary directory,
# removed at the end) and reused when DATA_DIR already holds them (named
# legacy-ROWS-RATE.db). Check the free space first: df -h "${DATA_DIR:-$TMPDIR}".
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-2000000 10000000 20000000}
DEFECT_RATE=${DEFECT_RATE:-0.01}
BASE_REV=${BASE_REV:-}

for tool in psql /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "bench-import-scale: $tool is missing: run \`make bench-deps\` as root" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=${DATA_DIR:-$work}
mkdir -p "$data"
go build -o "$work/stackdb" ./cmd/stackdb
tools=stackdb
if [[ -n $BASE_REV ]]; then
	mkdir "$work/base"
	git archive "$BASE_REV" | tar -x -C "$work/base"
	(cd "$work/base" && go build -o "$work/base-stackdb" ./cmd/stackdb)
	tools="base stackdb"
fi
files=()
for n in $ROWS; do
	f="$data/legacy-$n-$DEFECT_RATE.db"
	if [[ ! -f $f ]]; then
		echo "generating $f"
		"$work/stackdb" gen-legacy --rows "$n" --seed 1 --defect-rate "$DEFECT_RATE" --out "$f" | tail -2
	fi
	files+=("$f")
done

# stackdb dev --empty runs the inner script with DATABASE_URL set to a
# throwaway cluster, and removes the cluster afterwards.
"$work/stackdb" dev --empty -- bash -euo pipefail -c '
work=$1 tools=$2
shift 2
base=${DATABASE_URL%/*}
opts=${DATABASE_URL##*\?}
printf "%-8s %10s %10s %10s %10s %12s %10s %10s\n" binary rows seconds rows/s "RSS MB" defects rejected in_file
for f in "$@"; do
	for tool in $tools; do
		bin=$work/stackdb
		[[ $tool == base ]] && bin=$work/base-stackdb
		db=scale_$tool
		psql -q "$DATABASE_URL" -c "CREATE DATABASE $db"
		"$bin" migrate apply --config atlas.hcl --url "$base/$db?$opts" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
		/usr/bin/time -o "$work/time" -f "%e %M" \
			"$bin" import-sqlite --json --on-error skip --force --rejected "$work/rejected.jsonl" \
			--from "$f" --to "$base/$db?$opts" >"$work/out"
		read -r secs rss <"$work/time"
		num() { sed -n "s/^  \"$1\": \([0-9]*\),$/\1/p" "$work/out"; }
		rows=$(num source_rows)
		defects=$(awk "/^  \"defects\": \\[/ {on = 1} /^  \"warnings\": / {on = 0} on && /^      \"class\": / {n++} END {print n + 0}" "$work/out")
		printf "%-8s %10d %10.1f %10.0f %10.0f %12d %10d %10d\n" "$tool" "$rows" "$secs" \
			"$(awk "BEGIN {print $rows / $secs}")" "$(awk "BEGIN {print $rss / 1024}")" \
			"$defects" "$(num rejected_rows)" "$(wc -l <"$work/rejected.jsonl")"
		rm -f "$work/rejected.jsonl"
		psql -q "$DATABASE_URL" -c "DROP DATABASE $db"
	done
done
' _ "$work" "$tools" "${files[@]}"
