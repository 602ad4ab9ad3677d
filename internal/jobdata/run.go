package jobdata

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Run statuses, as the runs table allows them.
const (
	RunRunning = "running" // not finished yet
	RunOK      = "ok"      // every source succeeded (or is gone)
	RunPartial = "partial" // some sources failed
	RunFailed  = "failed"  // no source succeeded, or the run itself failed
)

// Source statuses, as the run_sources table allows them.
const (
	SourceOK     = "ok"
	SourceFailed = "failed"
	// SourceGone is a company board that answered 404: the company no longer
	// publishes on that system. The fetch is done and saw no posting (so
	// the board's postings close); it is no failure, and says so in Error.
	SourceGone = "gone"
)

// Run is one ingest run and its per-source results. Its JSON form is the
// run's manifest in the lake (runs/run=<id>.json, see ingest.ManifestKey),
// from which ingest restores the run on a replay.
type Run struct {
	ID         string      `json:"id"`                   // from [NewRunID]
	StartedAt  time.Time   `json:"started_at"`           // also the time postings are seen at
	FinishedAt time.Time   `json:"finished_at,omitzero"` // zero while running
	Status     string      `json:"status"`               // [RunRunning], [RunOK], [RunPartial] or [RunFailed]
	Sample     bool        `json:"sample,omitempty"`     // true for the demo's generated data
	Sources    []SourceRun `json:"sources"`
}

// SourceRun is what one source did in a run.
type SourceRun struct {
	Source   string   `json:"source"`          // source name, e.g. "remotive"
	Status   string   `json:"status"`          // [SourceOK], [SourceFailed] or [SourceGone]
	Error    string   `json:"error,omitempty"` // why it failed (or is gone); empty when ok
	Pages    int      `json:"pages"`           // raw pages written to the lake
	Postings int      `json:"postings"`        // postings parsed
	Rejected int      `json:"rejected"`        // records that could not be parsed
	LakeKeys []string `json:"lake_keys"`       // raw pages of this source in this run
	// Partition is the lake prefix of this source's raw pages when they are
	// not in the run's own partition: in a night fetched in shards, each
	// source's pages are in its shard's partition
	// (raw/source=<s>/date=<d>/run=<shard run>/). Empty: the run's own.
	Partition string `json:"partition,omitempty"`
	// Board is the company board the source read, as the list named it
	// when the run fetched it; nil for any other source (and in manifests
	// written before it was recorded). A replay parses the source's pages
	// with it when the board has left the list since.
	Board *BoardRef `json:"board,omitempty"`
}

// BoardRef names a company's job board on an applicant tracking system, as
// a list of boards gave it (see ingest/boards).
type BoardRef struct {
	Kind    string `json:"kind"`              // the system, e.g. "greenhouse"
	Name    string `json:"name"`              // the board's name on it, as listed, e.g. "SumUp"
	Company string `json:"company,omitempty"` // the company's name the list gave; "" when none
}

// NewRunID returns a new run id for a run started at t: the UTC time to the
// second and a random suffix, e.g. 20261129T012823Z-3f9a. Ids sort by time.
func NewRunID(t time.Time) string {
	b := make([]byte, 2)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}
