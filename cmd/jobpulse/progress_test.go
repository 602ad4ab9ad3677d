package main

import (
	"context"
	"errors"
	"testing"

	"github.com/jobpulse/jobpulse/ingest"
)

// kindSource is a source of a kind, as a company board is.
type kindSource struct {
	ingest.Source
	name, kind string
}

func (s kindSource) Name() string { return s.name }
func (s kindSource) Kind() string { return s.kind }

func (kindSource) Fetch(context.Context, func(context.Context, ingest.RawPage) error) error {
	return nil
}

// TestProgressFetchLine checks the fetch's progress line: sources done of
// sources listed, what they kept, and the failures by kind of source (a
// source without a kind counts under its name), through wrappers.
func TestProgressFetchLine(t *testing.T) {
	p := (&app{}).newProgress(0)
	p.list([]ingest.Source{
		ingest.WithDeadline(kindSource{name: "acme", kind: "greenhouse"}, 0),
		kindSource{name: "globex", kind: "greenhouse"},
		kindSource{name: "initech", kind: "lever"},
		kindSource{name: "remotive"},
	})
	if got, want := p.fetchLine(), "fetch: 0/4 sources done, 0 pages 0.0 MB"; got != want {
		t.Errorf("at the start: %q, want %q", got, want)
	}
	p.fetched("acme", 1, 1_500_000)
	p.fetched("globex", 2, 500_000)
	p.fetched("acme", 2, 2_500_000)
	fail := errors.New("404")
	p.sourceDone(ingest.FetchResult{Source: "acme", Err: fail})
	p.sourceDone(ingest.FetchResult{Source: "globex", Err: fail})
	p.sourceDone(ingest.FetchResult{Source: "remotive", Err: fail})
	p.sourceDone(ingest.FetchResult{Source: "initech"})
	want := "fetch: 4/4 sources done, 4 pages 3.0 MB, failed: greenhouse 2, remotive 1"
	if got := p.fetchLine(); got != want {
		t.Errorf("at the end: %q, want %q", got, want)
	}
}
