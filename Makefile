# stackdb — every task goes through this file; CI runs the same targets.
# Commands that write (migrate) need a named database (DATABASE_URL or
# POSTGRES_*); tests, dev and the dev database of diff/validate use a
# throwaway Postgres started from the local server binaries.

STACKDB := go run ./cmd/stackdb
SQLC    := go tool sqlc
# Name of the migration `make generate` writes when the schema changed.
NAME    ?= schema_change

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@if test -t 1; then on='\033[36m' off='\033[0m'; else on= off=; fi; \
	awk -v on="$$on" -v off="$$off" 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %s%-12s%s %s\n", on, $$1, off, $$2}' $(MAKEFILE_LIST)

.PHONY: generate
generate: ## Write a migration for schema changes (NAME=...), regenerate gen/, format
	$(STACKDB) migrate diff $(NAME)
	$(SQLC) generate
	gofmt -w gen

.PHONY: verify
verify: ## Check generated code and migrations are up to date; vet, lint, gofmt
	$(SQLC) diff
	$(STACKDB) dev -- $(SQLC) vet
	$(STACKDB) migrate validate
	$(STACKDB) migrate lint
	$(STACKDB) migrate diff --check
	go vet ./...
	cd bench/river && go vet ./... # its own module: River stays out of go.mod
	go tool staticcheck ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }

# Every package runs under the race detector, not only those that run
# goroutines (importer, plugin, atlasmig, stackdbtest, pgcluster): one -race
# build of the dependencies is quicker on a cold cache than building them
# both with and without it. -race needs cgo, so a C compiler.
.PHONY: test
test: ## Run all tests under the race detector (each test gets its own fresh database)
	go test -count=1 -race ./...

# The fuzz targets, each run for FUZZTIME by `make fuzz` (-fuzz takes one
# target at a time); plain `go test` runs their seeds. One instrumented test
# binary serves all of them, and one throwaway server: every fuzzing process
# runs TestMain, which would otherwise start a cluster of its own. The
# instrumentation covers every package, so go-sqlite3's C amalgamation is
# compiled once more; unoptimised (-O0) that takes a tenth of the time, and
# no fuzz target calls SQLite. The corpus the fuzzer grows is kept in
# bin/fuzz; an input that fails is written to the package's testdata/fuzz,
# to be committed as a regular test case once fixed.
FUZZTIME ?= 10s
FUZZ     := FuzzJSONCanonical FuzzPGHash

.PHONY: fuzz
fuzz: ## Fuzz the jsonb renderer and the hash port against Postgres, FUZZTIME (10s) per target
	@mkdir -p bin/fuzz
	CGO_CFLAGS=-O0 go test -c -fuzz . -o bin/importer-fuzz.test ./internal/importer
	$(STACKDB) dev --empty -- sh -c 'cd internal/importer && for f in $(FUZZ); do \
		TEST_DATABASE_URL="$$DATABASE_URL" ../../bin/importer-fuzz.test -test.run "^$$" -test.fuzz "^$$f\$$" \
			-test.fuzztime $(FUZZTIME) -test.fuzzcachedir ../../bin/fuzz || exit; \
	done'

.PHONY: bench
bench: ## Benchmarks: a test's wait for its database, a clone's cost, migrating from scratch
	go test -run '^$$' -bench . -benchtime 100x ./stackdbtest

.PHONY: bench-import
bench-import: ## Import benchmark: stackdb vs pgloader on a generated file (ROWS=2000000 RUNS=3)
	bash bench/import.sh

.PHONY: bench-import-scale
bench-import-scale: ## Skip-mode import at scale: rows/s and peak RSS per size (ROWS="2000000 10000000 20000000" DEFECT_RATE=0.01 BASE_REV= DATA_DIR=)
	bash bench/import-scale.sh

.PHONY: bench-import-pg
bench-import-pg: ## Postgres import benchmark: stackdb import-postgres vs pg_dump | psql of a generated source (ROWS=2000000 RUNS=3)
	bash bench/import-postgres.sh

.PHONY: bench-ingest
bench-ingest: ## Write-path benchmark: stackdb vs pgbench/psql \copy, same SQL (ARGS=...; bin/bench-ingest.{json,svg})
	@mkdir -p bin
	$(STACKDB) bench --json bin/bench-ingest.json --plot bin/bench-ingest.svg $(ARGS)

.PHONY: bench-river
bench-river: ## Job queue: stackdb vs River, same no-op jobs, same database, fsync on (JOBS=200000 ARGS=...; bin/bench-river.json)
	@mkdir -p bin
	cd bench/river && go run . --jobs $(or $(JOBS),200000) --json ../../bin/bench-river.json $(ARGS)

# The tools only bench-import needs; no test needs them.
BENCH_APT := pgloader postgresql-client time bc

.PHONY: bench-deps
bench-deps: ## Install what bench-import needs (Debian/Ubuntu, as root): pgloader, psql, time, bc
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BENCH_APT)

.PHONY: migrate
migrate: ## Apply pending migrations to DATABASE_URL (or POSTGRES_*)
	$(STACKDB) migrate apply

.PHONY: db
db: ## Run a migrated throwaway Postgres in the foreground and print its URL
	@# Built, not `go run`: go run exits 1 on Ctrl-C whatever stackdb returns.
	go build -o bin/stackdb ./cmd/stackdb
	bin/stackdb dev
