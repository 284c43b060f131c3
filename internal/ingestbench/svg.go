package ingestbench

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strconv"
)

// The plot: a row per path, throughput and p99 latency against clients,
// stackdb (solid) and the baseline (dashed). Written by hand, to need no
// plotting dependency.
const (
	chartW, chartH = 360, 220
	padL, padR     = 58, 16
	padT, padB     = 30, 36
	headerH        = 44
	stackdbColor   = "#1f6feb"
	baseColor      = "#e36209"
)

// WriteSVG writes the report as an SVG line chart.
func (r *Report) WriteSVG(out io.Writer) error {
	var names []string
	for _, x := range r.Results {
		if !slices.Contains(names, x.Path) {
			names = append(names, x.Path)
		}
	}
	w := bufio.NewWriter(out)
	width, height := 2*chartW, headerH+len(names)*chartH
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	fmt.Fprintf(w, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(w, `<text x="12" y="18" font-size="13" font-weight="bold">%s</text>`+"\n",
		esc(fmt.Sprintf("stackdb vs baseline, PostgreSQL %s, %d s steps", r.Server, r.StepSeconds)))
	legend(w, 12, 34, stackdbColor, "", "stackdb (gen/dbsqlc via pgx)")
	legend(w, 230, 34, baseColor, "6 4", "baseline (pgbench -M prepared / psql \\copy)")
	for row, name := range names {
		var res []Result
		for _, x := range r.Results {
			if x.Path == name {
				res = append(res, x)
			}
		}
		y := headerH + row*chartH
		unit := res[0].Unit
		chart(w, 0, y, name+": throughput ("+unit+")", res, func(s Side) float64 { return s.Rate })
		chart(w, chartW, y, name+": p99 latency (ms)", res, func(s Side) float64 { return s.P99Ms })
	}
	fmt.Fprintln(w, "</svg>")
	return w.Flush()
}

func legend(w io.Writer, x, y int, color, dash, label string) {
	fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>`,
		x, y-4, x+24, y-4, color, dash)
	fmt.Fprintf(w, `<text x="%d" y="%d">%s</text>`+"\n", x+30, y, esc(label))
}

// chart draws one panel at (ox, oy): clients evenly spaced on x, value
// from zero on y.
func chart(w io.Writer, ox, oy int, title string, res []Result, value func(Side) float64) {
	x0, x1 := float64(ox+padL), float64(ox+chartW-padR)
	y0, y1 := float64(oy+chartH-padB), float64(oy+padT)
	top := 0.0
	for _, x := range res {
		top = max(top, value(x.Stackdb), value(x.Base))
	}
	top, step := niceScale(top)
	xAt := func(i int) float64 {
		if len(res) == 1 {
			return (x0 + x1) / 2
		}
		return x0 + (x1-x0)*float64(i)/float64(len(res)-1)
	}
	yAt := func(v float64) float64 { return y0 - (y0-y1)*v/top }
	fmt.Fprintf(w, `<g><text x="%.0f" y="%d" font-weight="bold">%s</text>`+"\n", x0, oy+padT-12, esc(title))
	for i := range int(math.Round(top/step)) + 1 {
		v := float64(i) * step
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`, x0, yAt(v), x1, yAt(v))
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#555">%s</text>`+"\n", x0-6, yAt(v)+4, tick(v))
	}
	for i, x := range res {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">%d</text>`, xAt(i), y0+16, x.Clients)
	}
	fmt.Fprintf(w, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#555">clients</text>`+"\n", (x0+x1)/2, y0+30)
	fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999"/>`+"\n", x0, y0, x1, y0)
	series := func(color, dash string, side func(Result) Side) {
		pts := ""
		for i, x := range res {
			if s := side(x); s.Error == "" {
				pts += fmt.Sprintf("%.1f,%.1f ", xAt(i), yAt(value(s)))
			}
		}
		fmt.Fprintf(w, `<polyline fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s" points="%s"/>`+"\n", color, dash, pts)
		for i, x := range res {
			if s := side(x); s.Error == "" {
				fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, xAt(i), yAt(value(s)), color)
			}
		}
		fmt.Fprintln(w)
	}
	series(stackdbColor, "", func(x Result) Side { return x.Stackdb })
	series(baseColor, "6 4", func(x Result) Side { return x.Base })
	fmt.Fprintln(w, "</g>")
}

// niceScale rounds top up to a 1-2-5 step times 4 or 5.
func niceScale(top float64) (float64, float64) {
	if top <= 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		return 1, 0.25
	}
	raw := top / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	return math.Ceil(top/step) * step, step
}

func tick(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + "k"
	case v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
}

func esc(s string) string { return html.EscapeString(s) }
