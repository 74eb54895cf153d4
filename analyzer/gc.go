package analyzer

import (
	"runtime/debug"
	"sync"
)

// gcTarget is the collector's target while analyses run (see tightenGC).
var gcTarget struct {
	sync.Mutex
	runs  int // analyses running
	saved int // the percentage to restore when none is
}

// tightenGC halves the collector's heap-growth target (GOGC) until the
// returned function is called. Once the program is loaded, it is most of
// the heap and the analysis keeps little beside it: at the default target
// the heap would grow by as much again in garbage before a collection,
// and the process to twice the loaded program. Analyses running at once
// share the change.
func tightenGC() (restore func()) {
	gcTarget.Lock()
	defer gcTarget.Unlock()
	if gcTarget.runs == 0 {
		gcTarget.saved = debug.SetGCPercent(-1)
		if gcTarget.saved > 0 {
			debug.SetGCPercent(max(gcTarget.saved/2, 1))
		} else {
			debug.SetGCPercent(gcTarget.saved) // the collector is off
		}
	}
	gcTarget.runs++
	return func() {
		gcTarget.Lock()
		defer gcTarget.Unlock()
		if gcTarget.runs--; gcTarget.runs == 0 {
			debug.SetGCPercent(gcTarget.saved)
		}
	}
}
