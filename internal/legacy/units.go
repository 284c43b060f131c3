package legacy

import (
	"regexp"
	"strings"
)

// The formats of points in time that are not epoch seconds, as Schema
// marks them in a comment after the column ("-- ms", "-- iso8601").
const (
	Millis  = "ms"      // INTEGER Unix epoch milliseconds
	ISO8601 = "iso8601" // TEXT, as new Date().toISOString() writes it
)

var (
	createTable = regexp.MustCompile("^CREATE TABLE `([^`]+)`")
	markedCol   = regexp.MustCompile("^\\s*`([^`]+)` .*-- (ms|iso8601)\\s*$")
)

// TimeMarks returns the columns of Schema whose point in time is not epoch
// seconds, as "table.column" → Millis or ISO8601. Every other INTEGER point
// in time of Schema holds epoch seconds.
func TimeMarks() map[string]string {
	out := map[string]string{}
	table := ""
	for line := range strings.Lines(Schema) {
		if m := createTable.FindStringSubmatch(line); m != nil {
			table = m[1]
		} else if m := markedCol.FindStringSubmatch(line); m != nil && table != "" {
			out[table+"."+m[1]] = m[2]
		}
	}
	return out
}
