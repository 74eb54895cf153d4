package graph

import "strconv"

// The measured figures (calls, times, shares) read the same in findings'
// messages and in every report.

// Counted formats n and the noun that goes with it: 1 call, 41,200 calls.
func Counted(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}

// Count formats n with thousands separators: 41,200.
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Seconds formats a duration given in seconds: 1.23 s, 45 ms, 120 µs.
func Seconds(t float64) string {
	switch {
	case t >= 1:
		return strconv.FormatFloat(t, 'f', 2, 64) + " s"
	case t >= 1e-3:
		return strconv.FormatFloat(t*1e3, 'f', 0, 64) + " ms"
	}
	return strconv.FormatFloat(t*1e6, 'f', 0, 64) + " µs"
}

// Percent formats a share from 0 to 1: 31 %, 2.5 %, <0.1 %.
func Percent(share float64) string {
	p := share * 100
	switch {
	case p >= 10:
		return strconv.FormatFloat(p, 'f', 0, 64) + " %"
	case p >= 0.1:
		return strconv.FormatFloat(p, 'f', 1, 64) + " %"
	}
	return "<0.1 %"
}
