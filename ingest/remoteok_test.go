package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

const remoteOKKey = "raw/source=remoteok/date=2026-11-29/run=r1/page-0001.json"

func TestParseRemoteOKRealCapture(t *testing.T) {
	postings, rejects, err := ParseRemoteOK(testenv.RealCapture(t, "remoteok/api.json"), remoteOKKey)
	if err != nil {
		t.Fatalf("ParseRemoteOK: %v", err)
	}
	// Of the capture's 97 jobs, one (id 1130784, element 5) is blank: no
	// position, no company, no tags. It is a reject; the legal notice
	// (element 0) is neither a posting nor a reject.
	wantRejects := []Reject{{LakeKey: remoteOKKey, Index: 5, Reason: "job 1130784 has no position (title)"}}
	if diff := cmp.Diff(wantRejects, rejects); diff != "" {
		t.Errorf("rejects (-want +got):\n%s", diff)
	}
	if len(postings) != 96 {
		t.Fatalf("got %d postings, want 96 (the capture's 97 jobs less the blank one)", len(postings))
	}
	first := postings[0]
	first.Description = first.Description[:32]
	remote := true
	want := Posting{
		Source:      "remoteok",
		SourceID:    "1130788",
		URL:         "https://remoteOK.com/remote-jobs/remote-benefits-advisor-leadership-training-program-fisher-agencies-1130788",
		Title:       "Benefits Advisor Leadership Training Program",
		Company:     "Fisher Agencies",
		Tags:        []string{"training", "support", "growth", "management"},
		Description: "Launch Your Career in Leadership",
		PublishedAt: time.Date(2026, 3, 16, 0, 0, 3, 0, time.UTC),
		LakeKey:     remoteOKKey,
		RemoteHint:  &remote,
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first posting (-want +got):\n%s", diff)
	}

	byID := map[string]Posting{}
	for _, p := range postings {
		if _, dup := byID[p.SourceID]; dup {
			t.Errorf("duplicate id %s", p.SourceID)
		}
		byID[p.SourceID] = p
		if p.Title == "" || p.URL == "" || p.PublishedAt.IsZero() || p.RemoteHint == nil || !*p.RemoteHint {
			t.Errorf("posting %s lacks title, url, date or remote hint: %+v", p.SourceID, p)
		}
		for _, s := range []string{p.Title, p.Company, p.LocationText, p.Description} {
			if repairMojibake(s) != s || strings.Contains(s, "\u00e2\u0080") {
				t.Errorf("posting %s still has double-encoded text: %.80q", p.SourceID, s)
			}
		}
	}
	// Fields the first job leaves empty, taken from later jobs of the capture.
	type picked struct {
		Company, Location string
		Salary            normalize.Salary
	}
	got := map[string]picked{}
	wantPicked := map[string]picked{
		"1130780": {"Blackpoint Cyber", "", normalize.Salary{Min: 180000, Max: 210000, Currency: "USD"}},
		"1130779": {"Graphcore", "Gdańsk", normalize.Salary{Min: 350700, Max: 474400, Currency: "USD"}},
		"1130776": {"Kastle", "", normalize.Salary{Min: 30, Max: 30, Currency: "USD"}},
		"1130733": {"Zócalo Health", "", normalize.Salary{Min: 25, Max: 27, Currency: "USD"}},
	}
	for id := range wantPicked {
		p := byID[id]
		got[id] = picked{p.Company, p.LocationText, p.SalaryHint}
	}
	if diff := cmp.Diff(wantPicked, got); diff != "" {
		t.Errorf("picked jobs (-want +got):\n%s", diff)
	}
	withSalary := 0
	for _, p := range postings {
		if p.SalaryHint.Known() {
			withSalary++
		}
	}
	if withSalary != 18 {
		t.Errorf("%d postings have a salary, want the capture's 18", withSalary)
	}
}

func TestParseRemoteOKVariants(t *testing.T) {
	const legal = `{"last_updated":1773720015,"legal":"API Terms of Service: Please link back"}`
	runParseCases(t, ParseRemoteOK, remoteOKKey, []parseCase{
		{
			name:    "byte-order mark",
			body:    "\xef\xbb\xbf[" + legal + `,{"id":"7","position":"Go Developer"}]`,
			wantIDs: []string{"7"},
		},
		{name: "empty array", body: `[]`, wantIDs: []string{}},
		{name: "only the legal notice", body: "[" + legal + "]", wantIDs: []string{}},
		{
			name:    "numeric id is accepted",
			body:    "[" + legal + `,{"id":1130788,"position":"A"},{"id":" 12 ","position":"B"}]`,
			wantIDs: []string{"1130788", "12"},
		},
		{
			name:     "jobs without id or position are rejected, the others kept",
			body:     "[" + legal + `,{"position":"no id"},{"id":"","position":"blank id"},{"id":"3","position":" "},{"id":"4","position":"ok"},17,null,{"id":true,"position":"bool id"}]`,
			wantIDs:  []string{"4"},
			wantRejs: []int{1, 2, 3, 5, 6, 7},
		},
		{
			name:     "legal notice without its text is a reject, not skipped silently",
			body:     `[{"last_updated":1}, {"id":"1","position":"A"}]`,
			wantIDs:  []string{"1"},
			wantRejs: []int{0},
		},
		{
			name:    "odd salaries and dates do not lose the job",
			body:    `[{"id":"1","position":"A","salary_min":"","salary_max":"90000","epoch":"x","date":"yesterday"}]`,
			wantIDs: []string{"1"},
		},
		{name: "truncated JSON", body: "[" + legal + `,{"id":"1","position":"A"`, wantError: true},
		{name: "HTML error page", body: `<!DOCTYPE html><html><head><title>Remote OK is down</title></head><body>502</body></html>`, wantError: true},
		{name: "object instead of array", body: `{"error":"rate limited"}`, wantError: true},
		{name: "null", body: `null`, wantError: true},
		{name: "empty body", body: ``, wantError: true},
	})
}

func TestRemoteOKFields(t *testing.T) {
	tests := []struct {
		name string
		job  string
		want func(p Posting) any
		val  any
	}{
		{"salary 0 is unknown", `"salary_min":0,"salary_max":0`, func(p Posting) any { return p.SalaryHint }, normalize.Salary{}},
		{"one bound known", `"salary_min":0,"salary_max":90000`, func(p Posting) any { return p.SalaryHint }, normalize.Salary{Max: 90000, Currency: "USD"}},
		{"negative salary is unknown", `"salary_min":-5,"salary_max":1e300`, func(p Posting) any { return p.SalaryHint }, normalize.Salary{}},
		{"date wins over epoch", `"date":"2026-03-16T02:00:03+02:00","epoch":1`, func(p Posting) any { return p.PublishedAt }, time.Date(2026, 3, 16, 0, 0, 3, 0, time.UTC)},
		{"epoch when date is unreadable", `"date":"","epoch":1773619203`, func(p Posting) any { return p.PublishedAt }, time.Date(2026, 3, 16, 0, 0, 3, 0, time.UTC)},
		{"apply_url when url is empty", `"url":"","apply_url":"https://remoteok.com/x"`, func(p Posting) any { return p.URL }, "https://remoteok.com/x"},
		{"logo when company_logo is empty", `"company_logo":"","logo":"https://remoteok.com/l.png"`, func(p Posting) any { return p.CompanyLogo }, "https://remoteok.com/l.png"},
		{"blank tags dropped", `"tags":[" go ","",null]`, func(p Posting) any { return p.Tags }, []string{"go"}},
		{"double-encoded title repaired", `"position":"Entwickler f\u00c3\u00bcr M\u00c3\u00bcnchen"`, func(p Posting) any { return p.Title }, "Entwickler für München"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `[{"id":"1","position":"A",` + tt.job + `}]`
			postings, rejects, err := ParseRemoteOK([]byte(body), remoteOKKey)
			if err != nil || len(rejects) != 0 || len(postings) != 1 {
				t.Fatalf("ParseRemoteOK(%s) = %d postings, rejects %v, err %v", body, len(postings), rejects, err)
			}
			if diff := cmp.Diff(tt.val, tt.want(postings[0])); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRepairMojibake(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ascii", "Go Developer", "Go Developer"},
		{"two-byte", "GdaÅ\u0084sk", "Gdańsk"},
		{"accent", "ZÃ³calo Health", "Zócalo Health"},
		{"nbsp and dash", "a\u00c2\u00a0b \u00e2\u0080\u0094 c", "a\u00a0b — c"},
		{"emoji", "\u00f0\u009f\u009a\u0080 launch", "🚀 launch"},
		{"correct Latin-1 text kept", "Zürich, Café", "Zürich, Café"},
		{"correct text beyond Latin-1 kept", "Gdańsk — Łódź", "Gdańsk — Łódź"},
		{"mixed correct and broken kept as is", "Łódź ZÃ³calo", "Łódź ZÃ³calo"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := repairMojibake(tt.in); got != tt.want {
				t.Errorf("repairMojibake(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRemoteOKFetch(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.RequestURI())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"legal":"x"},{"id":"1","position":"A"}]`)
	}))
	defer srv.Close()
	src := NewRemoteOK(RemoteOKConfig{Enabled: true, URL: srv.URL + "/", MinInterval: time.Millisecond}, testFetcher(1<<20), WithLimiter(NewHostLimiter()))
	var names []string
	err := src.Fetch(context.Background(), func(_ context.Context, p RawPage) error {
		names = append(names, p.Name)
		return nil
	})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if diff := cmp.Diff([]string{"/api"}, paths); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"page-0001.json"}, names); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestRemoteOKConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     RemoteOKConfig
		wantErr string // substring; "" for valid
	}{
		{"default", DefaultRemoteOKConfig(), ""},
		{"disabled ignores the rest", RemoteOKConfig{URL: "::"}, ""},
		{"bad url", RemoteOKConfig{Enabled: true, URL: "remoteok.com"}, "sources.remoteok.url"},
		{"query in url", RemoteOKConfig{Enabled: true, URL: "https://remoteok.com/?x=1"}, "sources.remoteok.url"},
		{"negative interval", RemoteOKConfig{Enabled: true, URL: "https://remoteok.com", MinInterval: -time.Second}, "sources.remoteok.min_interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkConfigErr(t, tt.cfg.Validate(), tt.wantErr)
		})
	}
}

// checkConfigErr checks that err is nil when wantErr is "", else that it
// names wantErr (the configuration key).
func checkConfigErr(t *testing.T, err error, wantErr string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Errorf("Validate: %v, want no error", err)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Errorf("Validate: %v, want an error naming %s", err, wantErr)
	}
}

// FuzzParseRemoteOK checks that any input gives postings or a clear error,
// never a panic; that every element is a posting, a reject or the legal
// notice; and that every posting has an id, a title, valid UTF-8 and the
// remote hint.
func FuzzParseRemoteOK(f *testing.F) {
	var capture []json.RawMessage
	if err := json.Unmarshal(testenv.RealCapture(f, "remoteok/api.json"), &capture); err != nil {
		f.Fatal(err)
	}
	for _, j := range capture[1:4] {
		f.Add([]byte("[" + string(capture[0]) + "," + string(j) + "]"))
	}
	f.Add([]byte("\xef\xbb\xbf[{\"id\":1,\"position\":\"x\",\"salary_min\":\"1e400\"}]"))
	f.Add([]byte(`[{"id":"2","position":"Ã©\u00c5","tags":[null,""],"date":"2026-13-45","epoch":-1}]`))
	f.Add([]byte(`[null,17,"x",[],{"legal":"l"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		postings, rejects, err := ParseRemoteOK(body, remoteOKKey)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		var elems []json.RawMessage
		if json.Unmarshal(body, &elems) == nil && len(postings)+len(rejects) > len(elems) {
			t.Fatalf("%d postings + %d rejects > %d elements", len(postings), len(rejects), len(elems))
		}
		for _, p := range postings {
			if p.SourceID == "" || p.Title == "" || p.LakeKey != remoteOKKey || p.Source != "remoteok" ||
				p.RemoteHint == nil || !*p.RemoteHint || !utf8.ValidString(p.Title) || p.SalaryHint.Min < 0 || p.SalaryHint.Max < 0 {
				t.Fatalf("bad posting %+v", p)
			}
		}
	})
}
