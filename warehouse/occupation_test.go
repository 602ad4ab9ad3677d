package warehouse_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestLoadOccupationCode: the ROME code of a France Travail posting, read
// from the real capture by the source's parser, is stored in
// postings.occupation_code, and a posting of a source that gives none has
// NULL there. A later run in which an offer is filed under another code,
// or under none, changes the column (through the update of changed
// postings), and loading that run again writes nothing.
func TestLoadOccupationCode(t *testing.T) {
	const key = "raw/source=francetravail/date=2026-11-28/run=r/page-0001.json"
	raw, rejects, err := ingest.ParseFranceTravail(testenv.RealCapture(t, "francetravail/2025-03.json"), key)
	if err != nil || len(rejects) > 0 {
		t.Fatalf("parse the capture: rejects %v, err %v", rejects, err)
	}
	normalized := func(p ingest.Posting) ingest.Posting {
		ingest.Normalize(&p)
		return p
	}
	// Three offers of distinct postings, each filed under a code.
	var offers []ingest.Posting // raw, as parsed
	fingerprints := map[string]bool{}
	for _, p := range raw {
		n := normalized(p)
		if p.OccupationCode != "" && !fingerprints[n.Fingerprint] && len(offers) < 3 {
			fingerprints[n.Fingerprint] = true
			offers = append(offers, p)
		}
	}
	if len(offers) < 3 {
		t.Fatalf("the capture has %d distinct offers with a ROME code, want 3", len(offers))
	}
	remotive := posting("1", "Go Engineer", 1)

	r1, r2 := testRun("20261128T012823Z-aaaa", t1), testRun("20261129T012823Z-bbbb", t2)
	for _, r := range []*warehouse.Run{&r1, &r2} {
		r.Sources = append(r.Sources, warehouse.SourceRun{Source: "francetravail", Status: warehouse.SourceOK,
			Pages: 1, Postings: 3, LakeKeys: []string{key}})
	}

	pool := pgtest.New(t)
	first := []ingest.Posting{normalized(offers[0]), normalized(offers[1]), normalized(offers[2]), remotive}
	if diff := cmp.Diff(warehouse.LoadStats{Inserted: 4, Sightings: 4}, load(t, pool, r1, first...)); diff != "" {
		t.Errorf("first run: stats (-want +got):\n%s", diff)
	}
	stored := func() []string {
		t.Helper()
		return texts(t, pool, `SELECT source || ' ' || source_id || ' ' || coalesce(occupation_code, 'NULL')
			FROM postings ORDER BY source, source_id`)
	}
	want := []string{
		"francetravail " + offers[0].SourceID + " " + offers[0].OccupationCode,
		"francetravail " + offers[1].SourceID + " " + offers[1].OccupationCode,
		"francetravail " + offers[2].SourceID + " " + offers[2].OccupationCode,
		"remotive 1 NULL",
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, stored()); diff != "" {
		t.Errorf("first run: codes stored (-want +got):\n%s", diff)
	}

	// The next night: the first offer as it was, the second filed under
	// another code, the third under none.
	moved, dropped := offers[1], offers[2]
	moved.OccupationCode, dropped.OccupationCode = "rome:M1805", ""
	second := []ingest.Posting{normalized(offers[0]), normalized(moved), normalized(dropped), remotive}
	if diff := cmp.Diff(warehouse.LoadStats{Updated: 2, Unchanged: 2, Sightings: 4}, load(t, pool, r2, second...)); diff != "" {
		t.Errorf("second run: stats (-want +got):\n%s", diff)
	}
	want = []string{
		"francetravail " + offers[0].SourceID + " " + offers[0].OccupationCode,
		"francetravail " + moved.SourceID + " rome:M1805",
		"francetravail " + dropped.SourceID + " NULL",
		"remotive 1 NULL",
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, stored()); diff != "" {
		t.Errorf("second run: codes stored (-want +got):\n%s", diff)
	}
	if n := count(t, pool, "SELECT count(*) FROM postings WHERE occupation_code = ''"); n != 0 {
		t.Errorf("%d postings with an empty code, want NULL for none", n)
	}

	var before, after string
	ctx := context.Background()
	if err := pool.QueryRow(ctx, versions).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(warehouse.LoadStats{Unchanged: 4}, load(t, pool, r2, second...)); diff != "" {
		t.Errorf("second run again: stats (-want +got):\n%s", diff)
	}
	if err := pool.QueryRow(ctx, versions).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("loading the second run again rewrote rows:\nbefore %s\nafter  %s", before, after)
	}
}

// TestContentHashWithoutCode: the content hash of a posting without an
// occupation code is the one the loader gave it before migration 0011
// added the column (the value below, from the loader of commit 1453f5e),
// so the first load after the migration rewrites only the postings that
// have a code; a code changes the hash.
func TestContentHashWithoutCode(t *testing.T) {
	const before = -6908428683015562729
	p := posting("1", "Go Engineer", 1)
	if got := warehouse.ContentHash(p); got != before {
		t.Errorf("content hash without a code = %d, want %d as before migration 0011", got, before)
	}
	p.OccupationCode = "rome:M1805"
	if got := warehouse.ContentHash(p); got == before {
		t.Errorf("content hash with a code = %d, the hash without one", got)
	}
}
