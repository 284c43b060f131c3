package miglint

import (
	"context"
	"fmt"
	"regexp"
	"slices"

	"ariga.io/atlas/sql/migrate"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlcheck"
	"ariga.io/atlas/sql/sqlclient"
)

// file is one new migration file as the checks see it: Atlas's
// sqlcheck.File (the changes of each statement, the schema before and after)
// plus what only the dev database can tell about each statement.
type file struct {
	*sqlcheck.File
	facts []stmtFacts // parallel to File.Changes
}

// stmtFacts are observed on the dev database around one statement.
type stmtFacts struct {
	// rewritten names the tables that existed before the statement and got a
	// new relfilenode from it: Postgres rewrote them under an ACCESS
	// EXCLUSIVE lock.
	rewritten []string
	// notNullChecks are the definitions of the validated CHECK constraints
	// present before the statement, keyed by table.
	notNullChecks map[string][]string
}

// loader is Atlas's "dev loader" idea: replay the files before the new ones
// on a clean dev database, then run each new file statement by statement,
// inspecting the schema after each one, so every statement gets the schema
// changes it made.
type loader struct {
	dev *sqlclient.Client
}

// load replays base and returns the analysed form of each file of news. The
// dev database is restored to its clean state afterwards.
func (l *loader) load(ctx context.Context, base, news []migrate.File) (_ []*file, err error) {
	snap, ok := l.dev.Driver.(migrate.Snapshoter)
	if !ok {
		return nil, fmt.Errorf("lint: driver %T cannot snapshot the dev database", l.dev.Driver)
	}
	restore, err := snap.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("lint: the dev database is not clean: %w", err)
	}
	defer func() {
		if rerr := restore(ctx); rerr != nil && err == nil {
			err = fmt.Errorf("lint: restore the dev database: %w", rerr)
		}
	}()
	for _, f := range base {
		stmts, err := migrate.FileStmtDecls(l.dev.Driver, f)
		if err != nil {
			return nil, fmt.Errorf("lint: scan %s: %w", f.Name(), err)
		}
		for _, s := range stmts {
			if _, err := l.dev.ExecContext(ctx, s.Text); err != nil {
				return nil, fmt.Errorf("lint: replay %s line %d: %w", f.Name(), lineOf(f.Bytes(), s.Pos), err)
			}
		}
	}
	var out []*file
	for _, f := range news {
		lf, err := l.loadFile(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, lf)
	}
	return out, nil
}

func (l *loader) loadFile(ctx context.Context, f migrate.File) (*file, error) {
	stmts, err := migrate.FileStmtDecls(l.dev.Driver, f)
	if err != nil {
		return nil, fmt.Errorf("lint: scan %s: %w", f.Name(), err)
	}
	current, err := l.inspect(ctx)
	if err != nil {
		return nil, err
	}
	lf := &file{File: &sqlcheck.File{File: f, From: schema.NewRealm(current)}}
	for _, s := range stmts {
		before, err := l.probe(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := l.dev.ExecContext(ctx, s.Text); err != nil {
			return nil, fmt.Errorf("lint: %s line %d: the statement fails on the dev database: %w\n\tstatement: %s",
				f.Name(), lineOf(f.Bytes(), s.Pos), err, s.Text)
		}
		after, err := l.probe(ctx)
		if err != nil {
			return nil, err
		}
		next, err := l.inspect(ctx)
		if err != nil {
			return nil, err
		}
		changes, err := l.dev.SchemaDiff(current, next)
		if err != nil {
			return nil, fmt.Errorf("lint: %s line %d: diff: %w", f.Name(), lineOf(f.Bytes(), s.Pos), err)
		}
		lf.Changes = append(lf.Changes, &sqlcheck.Change{Stmt: s, Changes: fixRenames(s.Text, changes)})
		lf.facts = append(lf.facts, stmtFacts{rewritten: before.rewritten(after), notNullChecks: before.checks})
		current = next
	}
	lf.To = schema.NewRealm(current)
	// Sum is the file's changes as a whole. Atlas cannot plan some wholes
	// whose steps it can: a table replaced by a partitioned one of the same
	// name ("partition key cannot be added") is a rename, a create and a
	// drop statement by statement. Then Sum is the statements' changes, in
	// order.
	if lf.Sum, err = l.dev.SchemaDiff(lf.From.Schemas[0], current); err != nil {
		lf.Sum = nil
		for _, c := range lf.Changes {
			lf.Sum = append(lf.Sum, c.Changes...)
		}
	}
	return lf, nil
}

// inspect reads the connected (public) schema.
func (l *loader) inspect(ctx context.Context) (*schema.Schema, error) {
	s, err := l.dev.InspectSchema(ctx, "", nil)
	if err != nil {
		return nil, fmt.Errorf("lint: inspect the dev database: %w", err)
	}
	return s, nil
}

// state is what probe reads from the catalog of the connected schema.
type state struct {
	filenodes map[string]int64    // table -> relfilenode
	checks    map[string][]string // table -> validated CHECK definitions
}

const probeQuery = `SELECT c.relname, 'f', c.relfilenode::text
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
UNION ALL
SELECT c.relname, 'c', pg_get_constraintdef(k.oid)
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE c.relnamespace = current_schema()::regnamespace AND k.contype = 'c' AND k.convalidated`

func (l *loader) probe(ctx context.Context) (*state, error) {
	rows, err := l.dev.QueryContext(ctx, probeQuery)
	if err != nil {
		return nil, fmt.Errorf("lint: read the dev database's catalog: %w", err)
	}
	defer rows.Close()
	st := &state{filenodes: map[string]int64{}, checks: map[string][]string{}}
	for rows.Next() {
		var table, kind, value string
		if err := rows.Scan(&table, &kind, &value); err != nil {
			return nil, fmt.Errorf("lint: read the dev database's catalog: %w", err)
		}
		if kind == "c" {
			st.checks[table] = append(st.checks[table], value)
			continue
		}
		var node int64
		if _, err := fmt.Sscan(value, &node); err != nil {
			return nil, fmt.Errorf("lint: relfilenode of %s: %w", table, err)
		}
		st.filenodes[table] = node
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lint: read the dev database's catalog: %w", err)
	}
	return st, nil
}

// rewritten lists the tables of s whose storage was replaced in after.
func (s *state) rewritten(after *state) []string {
	var tables []string
	for t, node := range s.filenodes {
		if n, ok := after.filenodes[t]; ok && n != node {
			tables = append(tables, t)
		}
	}
	slices.Sort(tables)
	return tables
}

var (
	reRenameTable  = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?:"?\w+"?\.)?"?(\w+)"?\s+RENAME\s+TO\s+"?(\w+)"?`)
	reRenameColumn = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?:"?\w+"?\.)?"?(\w+)"?\s+RENAME\s+(?:COLUMN\s+)?"?(\w+)"?\s+TO\s+"?(\w+)"?`)
	reRenameIndex  = regexp.MustCompile(`(?is)^ALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?(?:"?\w+"?\.)?"?(\w+)"?\s+RENAME\s+TO\s+"?(\w+)"?`)
)

// fixRenames turns the drop-and-add that inspecting before and after a
// RENAME statement yields back into the rename it was, as Atlas's SQL parser
// does for its CLI, so renames are not reported as drops.
func fixRenames(stmt string, changes schema.Changes) schema.Changes {
	if m := reRenameTable.FindStringSubmatch(stmt); m != nil {
		drop, add := -1, -1
		for i, c := range changes {
			switch c := c.(type) {
			case *schema.DropTable:
				if c.T.Name == m[1] {
					drop = i
				}
			case *schema.AddTable:
				if c.T.Name == m[2] {
					add = i
				}
			}
		}
		if drop >= 0 && add >= 0 {
			rename := &schema.RenameTable{From: changes[drop].(*schema.DropTable).T, To: changes[add].(*schema.AddTable).T}
			fixed := schema.Changes{rename}
			for i, c := range changes {
				if i != drop && i != add {
					fixed = append(fixed, c)
				}
			}
			return fixed
		}
		return changes
	}
	m := reRenameColumn.FindStringSubmatch(stmt)
	mi := reRenameIndex.FindStringSubmatch(stmt)
	if m == nil && mi == nil {
		return changes
	}
	for _, c := range changes {
		mt, ok := c.(*schema.ModifyTable)
		if !ok {
			continue
		}
		var from, to int = -1, -1
		for i, mc := range mt.Changes {
			switch mc := mc.(type) {
			case *schema.DropColumn:
				if m != nil && mc.C.Name == m[2] {
					from = i
				}
			case *schema.AddColumn:
				if m != nil && mc.C.Name == m[3] {
					to = i
				}
			case *schema.DropIndex:
				if mi != nil && mc.I.Name == mi[1] {
					from = i
				}
			case *schema.AddIndex:
				if mi != nil && mc.I.Name == mi[2] {
					to = i
				}
			}
		}
		if from < 0 || to < 0 {
			continue
		}
		var rename schema.Change
		if m != nil {
			rename = &schema.RenameColumn{From: mt.Changes[from].(*schema.DropColumn).C, To: mt.Changes[to].(*schema.AddColumn).C}
		} else {
			rename = &schema.RenameIndex{From: mt.Changes[from].(*schema.DropIndex).I, To: mt.Changes[to].(*schema.AddIndex).I}
		}
		fixed := []schema.Change{rename}
		for i, mc := range mt.Changes {
			if i != from && i != to {
				fixed = append(fixed, mc)
			}
		}
		mt.Changes = fixed
	}
	return changes
}

// lineOf is the 1-based line of byte offset pos in b.
func lineOf(b []byte, pos int) int {
	if pos > len(b) {
		pos = len(b)
	}
	line := 1
	for _, c := range b[:pos] {
		if c == '\n' {
			line++
		}
	}
	return line
}
