package atlasmig

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
)

// The revisions table is the one the Atlas CLI keeps, so a database migrated
// by one tool can be continued by the other.
const (
	RevisionsSchema = "atlas_schema_revisions"
	RevisionsTable  = "atlas_schema_revisions"

	// cloudIdentifier is a bookkeeping row the Atlas CLI may add; it is not a
	// migration and is never returned as a revision.
	cloudIdentifier = ".atlas_cloud_identifier"
)

// revisionsDDL matches, column for column, the table the Atlas CLI creates.
const revisionsDDL = `CREATE SCHEMA IF NOT EXISTS "atlas_schema_revisions";
CREATE TABLE IF NOT EXISTS "atlas_schema_revisions"."atlas_schema_revisions" (
	"version" character varying NOT NULL,
	"description" character varying NOT NULL,
	"type" bigint NOT NULL DEFAULT 2,
	"applied" bigint NOT NULL DEFAULT 0,
	"total" bigint NOT NULL DEFAULT 0,
	"executed_at" timestamptz NOT NULL,
	"execution_time" bigint NOT NULL,
	"error" text NULL,
	"error_stmt" text NULL,
	"hash" character varying NOT NULL,
	"partial_hashes" jsonb NULL,
	"operator_version" character varying NOT NULL,
	PRIMARY KEY ("version")
)`

// revisions implements Atlas's migrate.RevisionReadWriter on the CLI's table.
// It runs on whatever it is given: the database, or the transaction a file
// is applied in, so a file and its revision row commit together.
type revisions struct {
	db schema.ExecQuerier
}

var _ migrate.RevisionReadWriter = (*revisions)(nil)

func (r *revisions) Ident() *migrate.TableIdent {
	return &migrate.TableIdent{Schema: RevisionsSchema, Name: RevisionsTable}
}

// init creates the table when it does not exist yet.
func (r *revisions) init(ctx context.Context) error {
	if _, err := r.db.ExecContext(ctx, revisionsDDL); err != nil {
		return fmt.Errorf("migrate: create revisions table: %w", err)
	}
	return nil
}

// exists reports whether the table exists; read-only commands (status,
// dry-run) must not create it.
func (r *revisions) exists(ctx context.Context) (bool, error) {
	var ok bool
	err := queryRow(ctx, r.db, `SELECT to_regclass('"atlas_schema_revisions"."atlas_schema_revisions"') IS NOT NULL`).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("migrate: look up revisions table: %w", err)
	}
	return ok, nil
}

const selectRevisions = `SELECT version, description, type, applied, total, executed_at, execution_time,
	coalesce(error, ''), coalesce(error_stmt, ''), hash, partial_hashes, operator_version
FROM "atlas_schema_revisions"."atlas_schema_revisions"`

func (r *revisions) ReadRevisions(ctx context.Context) ([]*migrate.Revision, error) {
	ok, err := r.exists(ctx)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := r.db.QueryContext(ctx, selectRevisions+` WHERE version <> $1 ORDER BY version`, cloudIdentifier)
	if err != nil {
		return nil, fmt.Errorf("migrate: read revisions: %w", err)
	}
	defer rows.Close()
	var revs []*migrate.Revision
	for rows.Next() {
		rev, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		revs = append(revs, rev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read revisions: %w", err)
	}
	return revs, nil
}

func (r *revisions) ReadRevision(ctx context.Context, version string) (*migrate.Revision, error) {
	ok, err := r.exists(ctx)
	if err != nil {
		return nil, err
	}
	if !ok || version == cloudIdentifier {
		return nil, migrate.ErrRevisionNotExist
	}
	rev, err := scanRevision(queryRow(ctx, r.db, selectRevisions+` WHERE version = $1`, version))
	if err == sql.ErrNoRows {
		return nil, migrate.ErrRevisionNotExist
	}
	return rev, err
}

func (r *revisions) WriteRevision(ctx context.Context, rev *migrate.Revision) error {
	var partial []byte
	if len(rev.PartialHashes) > 0 {
		var err error
		if partial, err = json.Marshal(rev.PartialHashes); err != nil {
			return fmt.Errorf("migrate: encode partial hashes: %w", err)
		}
	}
	_, err := r.db.ExecContext(ctx, `INSERT INTO "atlas_schema_revisions"."atlas_schema_revisions"
	(version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version)
VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), nullif($9, ''), $10, $11::jsonb, $12)
ON CONFLICT (version) DO UPDATE SET
	description = excluded.description, type = excluded.type, applied = excluded.applied, total = excluded.total,
	executed_at = excluded.executed_at, execution_time = excluded.execution_time, error = excluded.error,
	error_stmt = excluded.error_stmt, hash = excluded.hash, partial_hashes = excluded.partial_hashes,
	operator_version = excluded.operator_version`,
		rev.Version, rev.Description, int64(rev.Type), rev.Applied, rev.Total, rev.ExecutedAt,
		int64(rev.ExecutionTime), rev.Error, rev.ErrorStmt, rev.Hash, nullableJSON(partial), rev.OperatorVersion)
	if err != nil {
		return fmt.Errorf("migrate: write revision %s: %w", rev.Version, err)
	}
	return nil
}

func (r *revisions) DeleteRevision(ctx context.Context, version string) error {
	_, err := r.db.ExecContext(ctx, `DELETE FROM "atlas_schema_revisions"."atlas_schema_revisions" WHERE version = $1`, version)
	if err != nil {
		return fmt.Errorf("migrate: delete revision %s: %w", version, err)
	}
	return nil
}

func nullableJSON(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

type scanner interface{ Scan(dest ...any) error }

func scanRevision(s scanner) (*migrate.Revision, error) {
	var (
		rev      migrate.Revision
		typ      int64
		execTime int64
		partial  []byte
	)
	err := s.Scan(&rev.Version, &rev.Description, &typ, &rev.Applied, &rev.Total, &rev.ExecutedAt, &execTime,
		&rev.Error, &rev.ErrorStmt, &rev.Hash, &partial, &rev.OperatorVersion)
	if err != nil {
		return nil, err
	}
	rev.Type = migrate.RevisionType(typ)
	rev.ExecutionTime = time.Duration(execTime)
	if len(partial) > 0 {
		if err := json.Unmarshal(partial, &rev.PartialHashes); err != nil {
			return nil, fmt.Errorf("migrate: decode partial hashes of %s: %w", rev.Version, err)
		}
	}
	return &rev, nil
}

// queryRow adapts schema.ExecQuerier, which has no QueryRowContext.
func queryRow(ctx context.Context, db schema.ExecQuerier, query string, args ...any) scanner {
	rows, err := db.QueryContext(ctx, query, args...)
	return &singleRow{rows: rows, err: err}
}

type singleRow struct {
	rows *sql.Rows
	err  error
}

func (r *singleRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}
