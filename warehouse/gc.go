package warehouse

import (
	"os"
	"runtime/debug"
	"sync"
)

// loadGCPercent is the garbage collector's target while a load runs (see
// runtime/debug.SetGCPercent): the heap may grow by half of what is live
// before a collection, instead of Go's default of all of it. A load keeps
// about 150 bytes per posting and listing of its run live (50 MB for a
// replay of 200,000 postings), so by default its heap peaked at about
// twice that, and the replay at 157-164 MB of RSS, over issue 16's 150 MB.
// At 50 it peaked at 133-136 MB, with no time lost that the benchmark could
// see (BenchmarkReplayFloor's replay, two alternating rounds of three on
// 2026-12-05: 5.54 and 5.91 s at 50, 6.13 and 5.60 s at 100). Unlike a
// fixed memory limit, the target follows a larger run's live heap instead
// of making the collector run without pause.
const loadGCPercent = 50

var gcLoads struct {
	sync.Mutex
	n    int // loads running
	prev int // the target before the first of them
}

// boundLoadMemory sets the collector's target to loadGCPercent for a load,
// unless GOGC in the environment says otherwise, and returns the function
// that sets it back once the last load running ends. The target is the
// process's: the loads running at once share it.
func boundLoadMemory() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	gcLoads.Lock()
	defer gcLoads.Unlock()
	if gcLoads.n == 0 {
		gcLoads.prev = debug.SetGCPercent(loadGCPercent)
	}
	gcLoads.n++
	return func() {
		gcLoads.Lock()
		defer gcLoads.Unlock()
		if gcLoads.n--; gcLoads.n == 0 {
			debug.SetGCPercent(gcLoads.prev)
		}
	}
}
