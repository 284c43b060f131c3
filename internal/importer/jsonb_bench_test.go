package importer

import "testing"

// BenchmarkJSONCanonical renders documents shaped like the legacy data's
// heaviest jsonb columns (heartbeat metrics, tool-call arguments) with one
// parser, as an import does.
func BenchmarkJSONCanonical(b *testing.B) {
	docs := []string{
		`{"load_avg":[0.67,0.71,1.01],"cpu_percent":83.4,"disk_percent":65.6,"memory_percent":49.6,"memory_used_mb":2378,"uptime_seconds":11789}`,
		`{"query":"\"quoted\" search"}`,
		`{"sql":"SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day'"}`,
		`{"path":"/var/log/app.log","lines":200}`,
	}
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var p jsonParser
	var dst []byte
	for b.Loop() {
		for _, d := range docs {
			var err error
			if dst, _, err = p.canonical(dst[:0], d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
