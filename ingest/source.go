package ingest

import (
	"context"
	"errors"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// RawPage is one response as a source received it, before it is parsed.
type RawPage struct {
	Name string // file name within the run's partition, e.g. "page-0001.json"
	Body []byte
	Meta Meta
}

// Posting is a job offer as a source published it and [Normalize] completes
// it: the [jobdata.Posting] that ingest hands to the warehouse.
type Posting = jobdata.Posting

// Reject is a record of a raw page that could not be parsed into a posting
// ([jobdata.Reject]). It is counted and reported with its lake key; it never
// stops a run.
type Reject = jobdata.Reject

// StoredPage is a raw page as the lake holds it.
type StoredPage struct {
	Key  string // lake key
	Name string // last element of the key, e.g. "page-0001.json"
	Body []byte
	Meta Meta
}

// Lookup returns another page of the same source and run by its name (for a
// list page whose postings continue on detail pages). It returns an error
// wrapping [ErrNotFound] when the run has no such page.
type Lookup func(ctx context.Context, name string) (StoredPage, error)

// Source is a job source: it fetches raw pages and parses them.
//
// Fetch hands every page to keep as soon as it is received, before it fetches
// the next one, so that what was received is in the lake even when a later
// request fails. Parse must not need the network: ingest and replay both
// parse the pages stored in the lake, so a replay gives what the ingest gave.
// Parse is called concurrently, on different pages of a run.
type Source interface {
	// Name is the source's name in lake keys and the warehouse, e.g. "remotive".
	Name() string
	// Fetch fetches the source's raw pages, calling keep for each.
	Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error
	// Parse parses one stored page of a run; it is called only for pages
	// received whole (Meta.Error empty). A page that only completes others
	// (a detail page) gives nothing. An error means the page as a whole is
	// unreadable (it is then reported as one [Reject]); records that cannot
	// be parsed are returned as rejects. Parse does not normalize: the
	// caller does, with [Normalize].
	Parse(ctx context.Context, page StoredPage, lookup Lookup) ([]Posting, []Reject, error)
}

// SourceKind returns the kind of src, for counting sources by kind (the
// boards of one applicant tracking system, say "greenhouse"): what its
// method Kind() string returns, looked for through wrappers such as
// [WithDeadline] (a wrapper has a method Unwrap() Source); "" when it has
// none.
func SourceKind(src Source) string {
	for src != nil {
		if k, ok := src.(interface{ Kind() string }); ok {
			return k.Kind()
		}
		w, ok := src.(interface{ Unwrap() Source })
		if !ok {
			return ""
		}
		src = w.Unwrap()
	}
	return ""
}

// ErrGone is wrapped by the fetch error of a source that is no longer there:
// a company's job board that answers 404 because the company left that
// system. The run records such a source as gone ([jobdata.SourceGone]), not
// failed: its postings close, and the night does not fail because of it.
var ErrGone = errors.New("board gone")

// BoardRefOf returns the company board src reads, as a run's manifest
// records it ([jobdata.SourceRun].Board): what its method Ref()
// jobdata.BoardRef returns, looked for through wrappers as in
// [SourceKind]; nil for a source that reads no company board.
func BoardRefOf(src Source) *jobdata.BoardRef {
	for src != nil {
		if r, ok := src.(interface{ Ref() jobdata.BoardRef }); ok {
			ref := r.Ref()
			return &ref
		}
		w, ok := src.(interface{ Unwrap() Source })
		if !ok {
			return nil
		}
		src = w.Unwrap()
	}
	return nil
}

// IsOptionalPage reports whether the page named name of src only completes
// the postings of its other pages, and so a final response kept there with
// an error does not fail the source when its run is read back: what its
// method OptionalPage(name string) bool says, looked for through wrappers
// as in [SourceKind]; false when it has none. (A SmartRecruiters board's
// detail pages are optional: its list says what is open, a detail only
// adds the description.)
func IsOptionalPage(src Source, name string) bool {
	for src != nil {
		if o, ok := src.(interface{ OptionalPage(string) bool }); ok {
			return o.OptionalPage(name)
		}
		w, ok := src.(interface{ Unwrap() Source })
		if !ok {
			return false
		}
		src = w.Unwrap()
	}
	return false
}
