package boards

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// TestFromRun checks the board a replay parses an unlisted board's pages
// with: the one the run recorded when it is that source's, else the one
// its name spells; never a board of another source or kind.
func TestFromRun(t *testing.T) {
	const origin = "run r"
	ref := func(kind, name, company string) *jobdata.BoardRef {
		return &jobdata.BoardRef{Kind: kind, Name: name, Company: company}
	}
	tests := []struct {
		source string
		ref    *jobdata.BoardRef
		want   Board
		ok     bool
	}{
		{"lever-acme", ref("lever", "Acme", "Acme Corp"), Board{Kind: "lever", Name: "Acme", Company: "Acme Corp", Origin: origin}, true},
		{"lever-acme", nil, Board{Kind: "lever", Name: "acme", Origin: origin}, true},
		{"smartrecruiters-boschgroup", nil, Board{Kind: "smartrecruiters", Name: "boschgroup", Origin: origin}, true},
		// Recorded for another source, of another kind, or not a board name: the name's.
		{"lever-acme", ref("lever", "Other", ""), Board{Kind: "lever", Name: "acme", Origin: origin}, true},
		{"lever-acme", ref("greenhouse", "acme", ""), Board{Kind: "lever", Name: "acme", Origin: origin}, true},
		{"lever-acme", ref("workday", "acme", ""), Board{Kind: "lever", Name: "acme", Origin: origin}, true},
		// A company's name that no list line gives is left out.
		{"lever-acme", ref("lever", "ACME", "Acme\nCorp"), Board{Kind: "lever", Name: "ACME", Origin: origin}, true},
		{"lever-acme", ref("lever", "ACME", " Acme"), Board{Kind: "lever", Name: "ACME", Origin: origin}, true},
		{"lever-acme", ref("lever", "ACME", "\xff"), Board{Kind: "lever", Name: "ACME", Origin: origin}, true},
		// No company board.
		{"remotive", nil, Board{}, false},
		{"remotive", ref("lever", "remotive", ""), Board{}, false},
		{"workday-acme", ref("workday", "acme", ""), Board{}, false},
		{"lever-a/b", nil, Board{}, false},
	}
	for _, tt := range tests {
		got, ok := FromRun(tt.source, tt.ref, origin)
		if ok != tt.ok || !cmp.Equal(got, tt.want) {
			t.Errorf("FromRun(%q, %+v) = %+v, %v; want %+v, %v", tt.source, tt.ref, got, ok, tt.want, tt.ok)
		}
		if ok && got.Source() != tt.source {
			t.Errorf("FromRun(%q, %+v) reads %s", tt.source, tt.ref, got.Source())
		}
	}
}
