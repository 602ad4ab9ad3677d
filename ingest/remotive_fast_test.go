package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// checkRemotiveMatchesReference checks that ParseRemotive gives exactly what
// the frozen encoding/json reference and the current slow path give on
// body: the same postings (nil and empty slices told apart), rejects and
// error text.
func checkRemotiveMatchesReference(t testing.TB, body []byte) {
	t.Helper()
	gotP, gotR, gotErr := ParseRemotive(body, testKey)
	for _, ref := range []struct {
		name  string
		parse func([]byte, string) ([]Posting, []Reject, error)
	}{
		{"reference", refParseRemotiveSlow},
		{"slow path", parseRemotiveSlow},
	} {
		wantP, wantR, wantErr := ref.parse(body, testKey)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Fatalf("error = %v, %s gives %v", gotErr, ref.name, wantErr)
		}
		if diff := cmp.Diff(wantP, gotP); diff != "" {
			t.Fatalf("postings differ (-%s +ParseRemotive):\n%s", ref.name, diff)
		}
		if !reflect.DeepEqual(wantP, gotP) { // times too, to the location
			t.Fatalf("postings differ from the %s's: %#v\n%#v", ref.name, wantP, gotP)
		}
		if diff := cmp.Diff(wantR, gotR); diff != "" {
			t.Fatalf("rejects differ (-%s +ParseRemotive):\n%s", ref.name, diff)
		}
	}
}

func TestParseRemotiveFastMatchesReference(t *testing.T) {
	const job = `{"id":1,"title":"A"}`
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name string
		body string
		fast bool // the fast path takes the page (else the slow path decides)
	}{
		// Pages the fast path takes.
		{"empty jobs", `{"jobs":[]}`, true},
		{"byte-order mark", "\xef\xbb\xbf" + `{"jobs":[` + job + `]}`, true},
		{"whitespace everywhere", " \n\t\r{ \"jobs\" : [ { \"id\" : 1 , \"title\" : \"a\" } , null ] } \n", true},
		{"older schema", `{"0-legal-notice":"x","job-count":2,"jobs":[{"id":7,"title":"A"},{"id":8,"title":"B"}]}`, true},
		{"newer schema", `{"00-warning":"moved","0-legal-notice":"x","job-count":1,"total-job-count":9,"jobs":[` + job + `]}`, true},
		{"job-count after jobs", `{"jobs":[` + job + `],"job-count":1}`, true},
		{"job-count null, negative, too large", `{"job-count":null,"jobs":[` + job + `]}`, true},
		{"job-count negative", `{"job-count":-3,"jobs":[` + job + `]}`, true},
		{"job-count larger than the page", `{"job-count":9223372036854775807,"jobs":[` + job + `]}`, true},
		{"ids", `{"jobs":[{"id":"42","title":"a"},{"id":" 43 ","title":"b"},{"id":-5,"title":"c"},{"id":-0,"title":"d"},{"id":"\u0034\u0034","title":"e"}]}`, true},
		{"bad ids are rejected", `{"jobs":[{"id":1.5,"title":"a"},{"id":1e3,"title":"b"},{"id":null,"title":"c"},{"title":"d"},{"id":"x1","title":"e"},{"id":"","title":"f"},{"id":99999999999999999999,"title":"g"}]}`, true},
		{"null job", `{"jobs":[null,` + job + `]}`, true},
		{"no title", `{"jobs":[{"id":1},{"id":2,"title":null},{"id":3,"title":" \t "},{"id":4,"title":"\u00a0\u3000"}]}`, true},
		{"tags", `{"jobs":[{"id":1,"title":"a","tags":null},{"id":2,"title":"b","tags":[]},{"id":3,"title":"c","tags":[null," go ","",null,"\tsql"]}]}`, true},
		{"logo", `{"jobs":[{"id":1,"title":"a","company_logo":"L"},{"id":2,"title":"b","company_logo":"L","company_logo_url":"U"},{"id":3,"title":"c","company_logo":"L","company_logo_url":"  "},{"id":4,"title":"d","company_logo":"L","company_logo_url":null}]}`, true},
		{"every field", `{"jobs":[{"id":2091081,"url":" https://remotive.com/x ","title":" Senior ","company_name":"Lemon.io","company_logo":"l","company_logo_url":"u","category":"Design","tags":["a"],"job_type":"full_time","publication_date":"2026-07-28T14:23:05","candidate_required_location":"Europe","salary":"$1","description":" <p>x</p> "}]}`, true},
		{"null strings", `{"jobs":[{"id":1,"title":"a","url":null,"company_name":null,"company_logo":null,"category":null,"job_type":null,"publication_date":null,"candidate_required_location":null,"salary":null,"description":null}]}`, true},
		{"escapes", `{"jobs":[{"id":1,"title":"\"q\" \\ \/ \b\f\n\r\t \u00e9 \u00E9 \ud83d\ude00 \u0000 \u003cp\u003e \ufffd","description":"\u003c/p\u003e"}]}`, true},
		{"UTF-8", `{"jobs":[{"id":1,"title":"Zürich – 東京 😀 \u2028","candidate_required_location":"España"}]}`, true},
		{"escaped names", `{"\u006aobs":[{"\u0069d":1,"\u0074itle":"A","comp\u0061ny_name":"C"}]}`, true},
		{"unknown fields of every kind", `{"x":{"a":[1,-2.5e+3,0.0,true,false,null,"s",{}],"b":{"c":[]}},"jobs":[{"id":1,"title":"A","extra":[{"d":[[]]}],"n":-0.1E-2,"":"empty name","b":true}]}`, true},
		{"names near the fields'", `{"jobz":1,"job_count":2,"jobs":[{"id":1,"title":"A","titles":"x","companyname":"B","company-name":"C","ids":9}]}`, true},
		{"fields in another order", `{"jobs":[{"title":"A","description":"d","id":1},{"id":2,"title":"B"},{"description":"d","title":"C","id":3}]}`, true},
		{"publication dates", `{"jobs":[` +
			`{"id":1,"title":"a","publication_date":"2026-07-28T14:23:05"},` +
			`{"id":2,"title":"a","publication_date":" 2026-07-28T14:23:05\n"},` +
			`{"id":3,"title":"a","publication_date":"2026-07-28T14:23:05.5"},` +
			`{"id":4,"title":"a","publication_date":"2026-07-28T16:23:05+02:00"},` +
			`{"id":5,"title":"a","publication_date":"2026-07-28"},` +
			`{"id":6,"title":"a","publication_date":"2026-02-30T00:00:00"},` +
			`{"id":7,"title":"a","publication_date":"2024-02-29T23:59:59"},` +
			`{"id":8,"title":"a","publication_date":"2026-07-28T24:00:00"},` +
			`{"id":9,"title":"a","publication_date":"2026-07-28 14:23:05"},` +
			`{"id":10,"title":"a","publication_date":"0000-01-01T00:00:00"},` +
			`{"id":11,"title":"a","publication_date":"yesterday"}]}`, true},
		{"nesting the fast path skips", `{"x":` + deep(98) + `,"jobs":[]}`, true},

		// Pages the slow path decides.
		{"field twice", `{"jobs":[{"id":1,"title":"a","title":"b"}]}`, false},
		{"field twice, once escaped", `{"jobs":[{"id":1,"title":"a","\u0074itle":"b"}]}`, false},
		{"jobs twice", `{"jobs":[` + job + `],"jobs":[]}`, false},
		{"job-count twice", `{"job-count":1,"job-count":1,"jobs":[]}`, false},
		{"name in another case", `{"jobs":[{"id":1,"Title":"a","COMPANY_NAME":"b"}]}`, false},
		{"jobs in another case", `{"JOBS":[` + job + `]}`, false},
		{"job-count in another case", `{"Job-Count":1,"jobs":[` + job + `]}`, false},
		{"name folding to a field's", `{"jobs":[{"id":1,"title":"a","ſalary":"x"}]}`, false},
		{"job-count a string", `{"job-count":"x","jobs":[` + job + `]}`, false},
		{"job-count a fraction", `{"job-count":1.5,"jobs":[` + job + `]}`, false},
		{"job-count an exponent", `{"job-count":1e2,"jobs":[` + job + `]}`, false},
		{"job-count too large", `{"job-count":99999999999999999999,"jobs":[` + job + `]}`, false},
		{"no jobs", `{"error":"rate limited"}`, false},
		{"jobs null", `{"jobs":null}`, false},
		{"jobs not an array", `{"jobs":"none"}`, false},
		{"job not an object", `{"jobs":[17,"x",[],true,` + job + `]}`, false},
		{"field of the wrong type", `{"jobs":[{"id":1,"title":5},{"id":2,"title":"b","tags":"go"},{"id":3,"title":"c","tags":[1]},{"id":true,"title":"d"},{"id":{},"title":"e"},{"id":[],"title":"f"}]}`, false},
		{"invalid UTF-8 in a value", "{\"jobs\":[{\"id\":1,\"title\":\"a\xffb\"}]}", false},
		{"invalid UTF-8 in a name", "{\"jobs\":[{\"id\":1,\"title\":\"a\",\"x\xff\":1}]}", false},
		{"invalid UTF-8 in a skipped value", "{\"x\":\"\xc3\",\"jobs\":[]}", false},
		{"surrogate half as UTF-8", "{\"jobs\":[{\"id\":1,\"title\":\"\xed\xa0\x80\"}]}", false},
		{"lone surrogate escapes", `{"jobs":[{"id":1,"title":"a\ud800"},{"id":2,"title":"\udc00\ud800x"},{"id":3,"title":"\ud800\u0041"}]}`, false},
		{"control character", "{\"jobs\":[{\"id\":1,\"title\":\"a\tb\"}]}", false},
		{"invalid escape", `{"jobs":[{"id":1,"title":"a\x"}]}`, false},
		{"short unicode escape", `{"jobs":[{"id":1,"title":"a\u12"}]}`, false},
		{"data after the document", `{"jobs":[]} <html>`, false},
		{"two documents", `{"jobs":[]}{"jobs":[]}`, false},
		{"two byte-order marks", "\xef\xbb\xbf\xef\xbb\xbf{\"jobs\":[]}", false},
		{"truncated", `{"jobs":[{"id":1,"title":"A"`, false},
		{"truncated string", `{"jobs":[{"id":1,"title":"A`, false},
		{"trailing comma in jobs", `{"jobs":[` + job + `,]}`, false},
		{"trailing comma in a job", `{"jobs":[{"id":1,"title":"A",}]}`, false},
		{"trailing comma in tags", `{"jobs":[{"id":1,"title":"A","tags":["a",]}]}`, false},
		{"missing comma", `{"jobs":[{"id":1 "title":"A"}]}`, false},
		{"missing colon", `{"jobs":[{"id" 1,"title":"A"}]}`, false},
		{"leading zero", `{"x":01,"jobs":[]}`, false},
		{"bare minus", `{"x":-,"jobs":[]}`, false},
		{"dot without digits", `{"x":1.,"jobs":[]}`, false},
		{"exponent without digits", `{"x":1e+,"jobs":[]}`, false},
		{"bad literal", `{"x":nul,"jobs":[]}`, false},
		{"literal in capitals", `{"x":True,"jobs":[]}`, false},
		{"single quotes", `{'jobs':[]}`, false},
		{"nesting deeper than the fast path skips", `{"x":` + deep(150) + `,"jobs":[]}`, false},
		{"nesting deeper than encoding/json allows", `{"x":` + deep(10001) + `,"jobs":[]}`, false},
		{"top-level null", `null`, false},
		{"top-level array", `[]`, false},
		{"empty body", ``, false},
		{"whitespace only", " \n ", false},
		{"HTML error page", `<!doctype html><html><body>Service unavailable</body></html>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRemotiveMatchesReference(t, []byte(tt.body))
			if _, _, fast := parseRemotiveFast([]byte(tt.body), testKey); fast != tt.fast {
				t.Errorf("fast path took the page: %v, want %v", fast, tt.fast)
			}
		})
	}
}

// TestParseRemotiveFastWholePages checks whole pages: the real capture as
// captured, and re-encoded as the benchmark lake is (encoding/json, which
// escapes < > &), and a generated page of awkward strings.
func TestParseRemotiveFastWholePages(t *testing.T) {
	capture := testenv.RealCapture(t, "remotive/remote-jobs.json")
	var doc any
	if err := json.Unmarshal(capture, &doc); err != nil {
		t.Fatal(err)
	}
	compact, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var unescaped bytes.Buffer
	enc := json.NewEncoder(&unescaped)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body []byte
	}{
		{"real capture", capture},
		{"real capture, compact and HTML-escaped", compact},
		{"real capture, indented with tabs", unescaped.Bytes()},
		{"generated", generatedRemotivePage(t, 300)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRemotiveMatchesReference(t, tt.body)
			if _, _, fast := parseRemotiveFast(tt.body, testKey); !fast {
				t.Errorf("the fast path did not take the page")
			}
		})
	}
}

// generatedRemotivePage is a page of n jobs written by encoding/json, with
// strings drawn from awkward pieces: escapes, non-ASCII text, white space,
// HTML, and strings long and short.
func generatedRemotivePage(t *testing.T, n int) []byte {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"", " ", "a", "Go", "<p>", "</p>", "&amp;", "\"", "\\", "/", "\n", "\t", "\u0000", "\x1f",
		"é", "Zürich", "東京", "😀", "\u2028", "\u00a0", "\ufffd", "We are hiring a Backend Engineer. "}
	str := func() string {
		var b strings.Builder
		for range rnd.IntN(12) {
			p := pieces[rnd.IntN(len(pieces))]
			b.WriteString(strings.Repeat(p, 1+rnd.IntN(3)))
		}
		return b.String()
	}
	type job struct {
		ID       any      `json:"id,omitempty"`
		URL      string   `json:"url"`
		Title    *string  `json:"title,omitempty"`
		Company  string   `json:"company_name"`
		Logo     string   `json:"company_logo,omitempty"`
		LogoURL  *string  `json:"company_logo_url,omitempty"`
		Category string   `json:"category"`
		Tags     []string `json:"tags"`
		JobType  string   `json:"job_type"`
		Date     string   `json:"publication_date"`
		Location string   `json:"candidate_required_location"`
		Salary   string   `json:"salary"`
		Desc     string   `json:"description"`
		Extra    any      `json:"extra,omitempty"`
	}
	dates := []string{"2026-07-28T14:23:05", "2026-02-29T00:00:00", "2024-02-29T10:00:00", "2026-07-28", " 2026-01-01T00:00:00 ", "2026-07-28T14:23:05.25", "x"}
	jobs := make([]any, n)
	for i := range jobs {
		title, logoURL := str(), str()
		j := job{URL: str(), Title: &title, Company: str(), Logo: str(), LogoURL: &logoURL, Category: str(),
			JobType: str(), Date: dates[rnd.IntN(len(dates))], Location: str(), Salary: str(), Desc: str()}
		switch rnd.IntN(6) {
		case 0:
			j.ID = fmt.Sprint(1000 + i)
		case 1:
			j.ID = str()
		default:
			j.ID = 1000 + i
		}
		if rnd.IntN(5) == 0 {
			j.Title = nil
		}
		if rnd.IntN(3) == 0 {
			j.LogoURL = nil
		}
		for range rnd.IntN(5) {
			j.Tags = append(j.Tags, str())
		}
		if rnd.IntN(4) == 0 {
			j.Extra = map[string]any{"n": rnd.Float64(), "list": []any{nil, true, str()}}
		}
		jobs[i] = j
		if rnd.IntN(50) == 0 {
			jobs[i] = nil
		}
	}
	body, err := json.Marshal(map[string]any{"00-warning": str(), "job-count": n, "jobs": jobs})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestParseRemotiveTimeUTC(t *testing.T) {
	tests := []string{
		"2026-07-28T14:23:05", "0000-01-01T00:00:00", "9999-12-31T23:59:59", "2024-02-29T00:00:00",
		"2026-02-29T00:00:00", "2026-04-31T00:00:00", "2026-00-10T00:00:00", "2026-13-10T00:00:00",
		"2026-07-00T00:00:00", "2026-07-28T24:00:00", "2026-07-28T23:60:00", "2026-07-28T23:59:60",
		"2026-07-28t14:23:05", "2026-07-28 14:23:05", "2026/07/28T14:23:05", "+026-07-28T14:23:05",
		"2026-07-28T14:23:0x", "2026-07-28T14:23:05Z", "2026-07-28T14:23:05.1", "2026-07-28", "",
		" 2026-07-28T14:23:05", "2026-07-28T14:23:05 ", "2026-7-28T14:23:05",
	}
	for _, s := range tests {
		t.Run(s, func(t *testing.T) {
			got, want := parseRemotiveTime(s), refParseRemotiveTime(s)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseRemotiveTime(%q) = %#v, want %#v", s, got, want)
			}
		})
	}
}

// FuzzParseRemotiveTime checks the fast layout against time.Parse.
func FuzzParseRemotiveTime(f *testing.F) {
	f.Add("2026-07-28T14:23:05")
	f.Add("2024-02-29T23:59:59")
	f.Add("2026-07-28T14:23:05.5")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := parseRemotiveTime(s), refParseRemotiveTime(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("parseRemotiveTime(%q) = %#v, want %#v", s, got, want)
		}
	})
}
