# stackdb — every task goes through this file; CI runs the same targets.
# Without DATABASE_URL / TEST_DATABASE_URL the commands use a throwaway
# Postgres started from the local server binaries.

STACKDB := go run ./cmd/stackdb
SQLC    := go tool sqlc
# Name of the migration `make generate` writes when the schema changed.
NAME    ?= schema_change

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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
	$(STACKDB) migrate diff --check verify
	go vet ./...
	go tool staticcheck ./...
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }

.PHONY: test
test: ## Run all tests (each test gets its own fresh database)
	go test -count=1 ./...

.PHONY: bench
bench: ## Benchmarks: per-test database cost vs migrating from scratch
	go test -run '^$$' -bench . -benchtime 100x ./internal/dbtest

.PHONY: bench-import
bench-import: ## Import benchmark: stackdb vs pgloader on a generated file (ROWS=2000000 RUNS=3)
	bash bench/import.sh

.PHONY: migrate
migrate: ## Apply pending migrations to DATABASE_URL (or POSTGRES_*)
	$(STACKDB) migrate apply

.PHONY: db
db: ## Run a migrated throwaway Postgres in the foreground and print its URL
	@# Built, not `go run`: go run exits 1 on Ctrl-C whatever stackdb returns.
	go build -o bin/stackdb ./cmd/stackdb
	bin/stackdb dev
