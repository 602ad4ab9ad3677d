package sample

import (
	"bytes"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/ingest"
)

func TestRemotiveResponseParses(t *testing.T) {
	day := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	body := RemotiveResponse(day, 200)
	if !bytes.Equal(body, RemotiveResponse(day.Add(5*time.Hour), 200)) {
		t.Error("the same day gave different bytes")
	}
	postings, rejects, err := ingest.ParseRemotive(body, "k")
	if err != nil || len(rejects) > 0 {
		t.Fatalf("ParseRemotive: %v, rejects %v", err, rejects)
	}
	if len(postings) != 200 {
		t.Fatalf("got %d postings, want 200", len(postings))
	}
	next, _, _ := ingest.ParseRemotive(RemotiveResponse(day.AddDate(0, 0, 1), 200), "k")
	seen := map[string]bool{}
	for _, p := range postings {
		seen[p.SourceID] = true
	}
	shared := 0
	for _, p := range next {
		if seen[p.SourceID] {
			shared++
		}
	}
	if shared == 0 || shared == len(next) {
		t.Errorf("consecutive days share %d of %d jobs; want some but not all", shared, len(next))
	}
}
