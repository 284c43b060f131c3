package miglint

import (
	"fmt"
	"regexp"
	"slices"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlcheck"
)

var (
	reConcurrently = regexp.MustCompile(`(?i)\bCONCURRENTLY\b`)
	reNotValid     = regexp.MustCompile(`(?i)\bNOT\s+VALID\b`)
	reUsingIndex   = regexp.MustCompile(`(?i)\bUSING\s+INDEX\b`)
	reLineComment  = regexp.MustCompile(`--[^\n]*`)
)

// stmtHas reports whether re matches the statement outside line comments.
func stmtHas(re *regexp.Regexp, text string) bool {
	return re.MatchString(reLineComment.ReplaceAllString(text, ""))
}

// lockChecks reports the statements that block writes to a table that
// existed before the file for longer than a catalog update: index builds,
// validating scans and rewrites. A table the file creates is empty, so
// nothing it does to that table is reported.
func lockChecks(f *file) []sqlcheck.Diagnostic {
	var diags []sqlcheck.Diagnostic
	report := func(sc *sqlcheck.Change, code, format string, args ...any) {
		diags = append(diags, sqlcheck.Diagnostic{Pos: sc.Stmt.Pos, Code: code, Text: fmt.Sprintf(format, args...)})
	}
	noTx := slices.Contains(directiveArgs(fileDirectives(f.File.File, "txmode")), "none")
	for i, sc := range f.Changes {
		text := sc.Stmt.Text
		if stmtHas(reConcurrently, text) && !noTx {
			report(sc, "PG103", "CONCURRENTLY cannot run inside a transaction; add `-- atlas:txmode none` at the top of the file (and keep the file to statements that are safe to re-run)")
		}
		rewritten := f.facts[i].rewritten
		for _, c := range sc.Changes {
			mt, ok := c.(*schema.ModifyTable)
			if !ok || f.TableSpan(mt.T)&sqlcheck.SpanAdded != 0 {
				continue
			}
			t := mt.T.Name
			rewrite := slices.Contains(rewritten, t)
			reported := false
			for _, mc := range mt.Changes {
				switch mc := mc.(type) {
				case *schema.AddIndex:
					if !stmtHas(reConcurrently, text) {
						report(sc, "PG101", "index %q on existing table %q is built without CONCURRENTLY: writes to the table block until it is built; use CREATE INDEX CONCURRENTLY (with `-- atlas:txmode none`)", mc.I.Name, t)
					}
				case *schema.DropIndex:
					// USING INDEX turns the index into the constraint: nothing is dropped.
					if !stmtHas(reConcurrently, text) && !stmtHas(reUsingIndex, text) {
						report(sc, "PG102", "index %q of existing table %q is dropped without CONCURRENTLY: the ACCESS EXCLUSIVE lock waits for, and blocks, every query on the table; use DROP INDEX CONCURRENTLY", mc.I.Name, t)
					}
				case *schema.AddForeignKey:
					if !stmtHas(reNotValid, text) {
						report(sc, "PG307", "foreign key %q on existing table %q is added without NOT VALID: every row is checked while writes are blocked; add it NOT VALID, then VALIDATE CONSTRAINT in a later statement", mc.F.Symbol, t)
					}
				case *schema.AddCheck:
					if !stmtHas(reNotValid, text) {
						report(sc, "PG306", "CHECK constraint %q on existing table %q is added without NOT VALID: every row is checked while writes are blocked; add it NOT VALID, then VALIDATE CONSTRAINT in a later statement", mc.C.Name, t)
					}
				case *schema.AddPrimaryKey:
					if !stmtHas(reUsingIndex, text) {
						report(sc, "PG304", "primary key on existing table %q is built under an ACCESS EXCLUSIVE lock; build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX", t)
					}
				case *schema.ModifyColumn:
					if mc.Change.Is(schema.ChangeNull) && mc.From.Type.Null && !mc.To.Type.Null && !provenNotNull(f.facts[i].notNullChecks[t], mc.To.Name) {
						report(sc, "PG303", "SET NOT NULL on column %q of existing table %q scans the whole table under an ACCESS EXCLUSIVE lock; first add CHECK (%s IS NOT NULL) NOT VALID and VALIDATE it", mc.To.Name, t, mc.To.Name)
					}
					if rewrite && mc.Change.Is(schema.ChangeType) {
						report(sc, "PG301", "changing the type of column %q from %s to %s rewrites existing table %q under an ACCESS EXCLUSIVE lock", mc.To.Name, typeName(mc.From), typeName(mc.To), t)
						reported = true
					}
				case *schema.AddColumn:
					if rewrite && !reported {
						report(sc, "PG302", "adding column %q with a volatile default rewrites existing table %q under an ACCESS EXCLUSIVE lock; add it without a default (or with a constant one) and backfill in batches", mc.C.Name, t)
						reported = true
					}
				}
			}
			if rewrite && !reported {
				report(sc, "PG301", "the statement rewrites existing table %q under an ACCESS EXCLUSIVE lock", t)
			}
		}
	}
	return diags
}

// provenNotNull reports whether one of the validated CHECK definitions is
// "col IS NOT NULL", which lets Postgres (12+) skip the SET NOT NULL scan.
func provenNotNull(checks []string, column string) bool {
	re := regexp.MustCompile(`^CHECK \(\(?"?` + regexp.QuoteMeta(column) + `"? IS NOT NULL\)?\)$`)
	return slices.ContainsFunc(checks, re.MatchString)
}

func typeName(c *schema.Column) string {
	if s, err := postgres.FormatType(c.Type.Type); err == nil {
		return s
	}
	return c.Type.Raw
}
