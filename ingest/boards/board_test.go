package boards

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseList(t *testing.T) {
	tests := []struct {
		name    string
		list    string
		want    []Board
		wantErr []string // parts of the error
	}{
		{
			name: "kinds, boards, companies and comments",
			list: "# my boards\n\ngreenhouse sumup\n  Lever\tpalantir  Palantir Technologies # a comment\nsmartrecruiters BoschGroup\n",
			want: []Board{
				{Kind: "greenhouse", Name: "sumup", Origin: "list line 3"},
				{Kind: "lever", Name: "palantir", Company: "Palantir Technologies", Origin: "list line 4"},
				{Kind: "smartrecruiters", Name: "BoschGroup", Origin: "list line 5"},
			},
		},
		{
			name:    "every bad line is named",
			list:    "greenhouse sumup\nworkday acme\nlever\nashby ../etc\nrecruitee a/b\npersonio -x\n",
			wantErr: []string{"list line 2: unknown kind \"workday\"", "list line 3:", "list line 4: board \"../etc\"", "list line 5: board \"a/b\"", "list line 6: board \"-x\""},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseList(strings.NewReader(tc.list), "list")
			for _, part := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), part) {
					t.Errorf("error %v: want it to say %q", err, part)
				}
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("boards (-want +got):\n%s", d)
				}
			}
		})
	}
}

func TestConfigBoards(t *testing.T) {
	file := filepath.Join(t.TempDir(), "boards.txt")
	if err := os.WriteFile(file, []byte("# boards\nashby Notion Notion\ngreenhouse SumUp\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.List, c.File = []string{"greenhouse sumup", "lever acme"}, file
	_, err := c.Boards()
	if err == nil || !strings.Contains(err.Error(), "line 3: board greenhouse SumUp is listed already (boards.list entry 1)") {
		t.Errorf("error %v: want the duplicate named", err)
	}
	c.File = ""
	got, err := c.Boards()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range got {
		names = append(names, b.Source())
	}
	if d := cmp.Diff([]string{"greenhouse-sumup", "lever-acme"}, names); d != "" {
		t.Errorf("sources (-want +got):\n%s", d)
	}
	c.File = filepath.Join(t.TempDir(), "missing.txt")
	if _, err := c.Boards(); err == nil || !strings.Contains(err.Error(), "boards.file") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.URL.Lever = "https://api.lever.co/v0/postings/acme"
	c.URL.Personio = "ftp://{board}.jobs.personio.de/xml"
	c.MaxPages = 0
	err := c.Validate()
	for _, part := range []string{"boards.url.lever", "{board}", "boards.url.personio", "boards.max_pages"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("error %v: want it to say %q", err, part)
		}
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		source, kind, board string
		ok                  bool
	}{
		{"greenhouse-sumup", "greenhouse", "sumup", true},
		{"lever-acme-gmbh", "lever", "acme-gmbh", true},
		{"remotive", "", "", false},
		{"workday-acme", "", "", false},
		{"greenhouse-", "", "", false},
	} {
		kind, board, ok := KindOf(tc.source)
		if kind != tc.kind || board != tc.board || ok != tc.ok {
			t.Errorf("KindOf(%q) = %q, %q, %v", tc.source, kind, board, ok)
		}
	}
}
