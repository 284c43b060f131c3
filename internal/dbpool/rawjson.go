package dbpool

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// rawJSON is pgx's json or jsonb codec, except that a json.RawMessage
// destination (every jsonb column of gen/dbsqlc) gets the document's bytes
// as the server sent them. pgx's own codec passes them through
// json.Unmarshal, which validates what the server has already validated,
// at the cost of a reflection walk and allocations for each such column of
// each row. Everything else goes to pgx's codec.
type rawJSON struct{ pgtype.Codec }

func (c rawJSON) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*json.RawMessage); ok {
		return scanRawJSON{jsonbBinary: oid == pgtype.JSONBOID && format == pgtype.BinaryFormatCode}
	}
	return c.Codec.PlanScan(m, oid, format, target)
}

// scanRawJSON copies a json or jsonb value into a *json.RawMessage; the
// binary jsonb format is the text after a version byte, 1.
type scanRawJSON struct{ jsonbBinary bool }

var errJSONBVersion = errors.New("jsonb: unknown binary format version")

func (p scanRawJSON) Scan(src []byte, dst any) error {
	d := dst.(*json.RawMessage)
	if src == nil {
		*d = nil // NULL, as json.Unmarshal leaves it
		return nil
	}
	if p.jsonbBinary {
		if len(src) == 0 || src[0] != 1 {
			return errJSONBVersion
		}
		src = src[1:]
	}
	*d = append(make(json.RawMessage, 0, len(src)), src...)
	return nil
}

// registerRawJSON puts rawJSON in front of the connection's json and jsonb
// codecs.
func registerRawJSON(_ context.Context, conn *pgx.Conn) error {
	m := conn.TypeMap()
	for _, name := range []string{"json", "jsonb"} {
		if t, ok := m.TypeForName(name); ok {
			if _, done := t.Codec.(rawJSON); !done {
				m.RegisterType(&pgtype.Type{Name: t.Name, OID: t.OID, Codec: rawJSON{t.Codec}})
			}
		}
	}
	return nil
}
