package importer

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// advanceIdentities moves the identity of every loaded table past its
// largest id, so rows inserted later without an id do not collide with the
// imported ones. It uses ALTER TABLE … RESTART rather than setval:
// setval is not transactional, and a failed, cancelled or killed import
// would leave the sequences of tables that existed before it advanced in
// a target it reports unchanged; RESTART gives the sequence a new file in
// this transaction, which a rollback discards. A sequence never moves
// backwards: it stays past the last value it handed out.
func advanceIdentities(ctx context.Context, tx pgx.Tx, plans []*tablePlan) error {
	for _, tp := range plans {
		rows, err := tx.Query(ctx, `SELECT attname FROM pg_catalog.pg_attribute
WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attidentity <> ''
ORDER BY attnum`, tp.ident.Sanitize())
		if err != nil {
			return fmt.Errorf("importer: identity columns of %s: %w", tp.displayTarget(), err)
		}
		cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("importer: identity columns of %s: %w", tp.displayTarget(), err)
		}
		for _, c := range cols {
			col := pgx.Identifier{c}.Sanitize()
			var next int64
			err := tx.QueryRow(ctx, `SELECT m.max + s.seqincrement
FROM (SELECT max(`+col+`) AS max FROM `+tp.ident.Sanitize()+`) m,
     pg_catalog.pg_sequence s
WHERE s.seqrelid = pg_get_serial_sequence($1, $2)::regclass
  AND m.max + s.seqincrement > coalesce(pg_sequence_last_value(s.seqrelid::regclass) + s.seqincrement, s.seqstart)`,
				tp.ident.Sanitize(), c).Scan(&next)
			if err == pgx.ErrNoRows {
				continue // no rows, or the sequence is past them already
			}
			if err != nil {
				return fmt.Errorf("importer: identity %s.%s: %w", tp.displayTarget(), c, err)
			}
			if _, err := tx.Exec(ctx, "ALTER TABLE "+tp.ident.Sanitize()+" ALTER COLUMN "+col+" RESTART WITH "+strconv.FormatInt(next, 10)); err != nil {
				return fmt.Errorf("importer: move identity %s.%s past the imported ids: %w", tp.displayTarget(), c, err)
			}
		}
	}
	return nil
}
