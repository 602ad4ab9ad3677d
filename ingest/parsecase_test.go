package ingest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parseCase is one input of a source's parser and what it should give.
type parseCase struct {
	name      string
	body      string
	wantIDs   []string
	wantRejs  []int // indexes of the rejected records
	wantError bool  // the page as a whole is malformed
}

// runParseCases runs parse on every case: a malformed page is an error that
// wraps ErrMalformed and names the lake key; otherwise the postings have the
// ids wanted, and every reject names the key, its index and a reason.
func runParseCases(t *testing.T, parse func(body []byte, lakeKey string) ([]Posting, []Reject, error), key string, cases []parseCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			postings, rejects, err := parse([]byte(tt.body), key)
			if tt.wantError {
				if err == nil {
					t.Fatalf("parse succeeded, want an error")
				}
				if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), key) {
					t.Errorf("error %q should wrap ErrMalformed and name the lake key", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			ids := []string{}
			for _, p := range postings {
				ids = append(ids, p.SourceID)
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			var idx []int
			for _, r := range rejects {
				idx = append(idx, r.Index)
				if r.LakeKey != key || r.Reason == "" {
					t.Errorf("reject %+v should name the lake key and a reason", r)
				}
			}
			if diff := cmp.Diff(tt.wantRejs, idx); diff != "" {
				t.Errorf("rejected indexes (-want +got):\n%s", diff)
			}
		})
	}
}
