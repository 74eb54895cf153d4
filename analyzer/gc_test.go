package analyzer

import (
	"runtime/debug"
	"testing"
)

// TestTightenGC checks that the collector's target is halved while
// analyses run, and restored when the last one ends.
func TestTightenGC(t *testing.T) {
	old := debug.SetGCPercent(120)
	defer debug.SetGCPercent(old)
	first := tightenGC()
	second := tightenGC()
	if got := debug.SetGCPercent(60); got != 60 {
		t.Errorf("GOGC during two analyses = %d, want 60", got)
	}
	first()
	if got := debug.SetGCPercent(60); got != 60 {
		t.Errorf("GOGC after the first analysis ended = %d, want 60 (the second still runs)", got)
	}
	second()
	if got := debug.SetGCPercent(120); got != 120 {
		t.Errorf("GOGC after both ended = %d, want 120", got)
	}
	debug.SetGCPercent(-1)
	tightenGC()()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GOGC=off after an analysis = %d, want -1 (off)", got)
	}
}
