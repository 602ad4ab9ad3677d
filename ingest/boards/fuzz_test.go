package boards

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// fuzzParse parses body as a page of kind and checks what any page must
// give: no panic; an error wrapping ErrMalformed or postings each with the
// board's source, an id and a title; rejects naming the page.
func fuzzParse(t *testing.T, kind string, body []byte) {
	b := Board{Kind: kind, Name: "fuzz"}
	ps, rs, err := Parse(b, body, "raw/fuzz")
	if err != nil {
		if !isMalformed(err) {
			t.Fatalf("error %v does not wrap ErrMalformed", err)
		}
		return
	}
	for _, p := range ps {
		if p.Source != b.Source() || p.SourceID == "" || p.Title == "" || p.LakeKey != "raw/fuzz" {
			t.Fatalf("posting %+v: want source, id, title and lake key", p)
		}
		if utf8.ValidString(string(body)) && !utf8.ValidString(p.Title) {
			t.Fatalf("title %q of a valid UTF-8 page is not valid UTF-8", p.Title)
		}
		if s := p.SalaryHint; s.Min < 0 || s.Max < s.Min {
			t.Fatalf("salary %+v: want 0 <= min <= max", s)
		}
	}
	for _, r := range rs {
		if r.LakeKey != "raw/fuzz" || r.Index < 0 || r.Reason == "" {
			t.Fatalf("reject %+v", r)
		}
	}
}

// fuzzSeeds adds the written page of the kind and a few small ones.
func fuzzSeeds(f *testing.F, page string, small ...string) {
	f.Add(written(f, page))
	for _, s := range small {
		f.Add([]byte(s))
	}
}

func FuzzGreenhouse(f *testing.F) {
	fuzzSeeds(f, "greenhouse-content.json", `{"jobs":[{"id":1,"title":"x","pay_input_ranges":[{"min_cents":"9","max_cents":1}]}]}`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "greenhouse", body) })
}

func FuzzLever(f *testing.F) {
	fuzzSeeds(f, "lever.json", `[{"id":"a","text":"b","createdAt":1e30,"salaryRange":{"min":-1,"max":"x"}}]`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "lever", body) })
}

func FuzzAshby(f *testing.F) {
	fuzzSeeds(f, "ashby.json", `{"jobs":[{"id":"a","title":"b","isListed":false}]}`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "ashby", body) })
}

func FuzzSmartRecruiters(f *testing.F) {
	fuzzSeeds(f, "smartrecruiters-1.json", `{"totalFound":-1,"content":[{"id":"1","name":"x","location":{"remote":true}}]}`)
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzParse(t, "smartrecruiters", body)
		for n := 1; n < 3; n++ {
			_, _, _ = smartRecruitersPage("https://api.example/v1/companies/x/postings", n, body)
		}
	})
}

// FuzzSmartRecruitersDetail reads any bytes as a posting's detail page and
// as a list page whose details are fetched: no panic; a description only
// with no error, valid UTF-8, from the posting's own detail; detail pages
// only under the configured list's path, each named for its posting.
func FuzzSmartRecruitersDetail(f *testing.F) {
	fuzzSeeds(f, "smartrecruiters-detail.json",
		`{"id":"1","jobAd":{"sections":{"jobDescription":{"title":"<b>","text":"x"}}}}`,
		`{"id":"1","jobAd":null}`, `{"id":" 1 ","jobAd":{"sections":{"videos":{"urls":[]}}}}`,
		`{"content":[{"id":"../x"},{"id":"a?b"},{"id":"1"},{"id":"1"},{"id":7}]}`)
	const list = "https://api.example/v1/companies/x/postings"
	f.Fuzz(func(t *testing.T, body []byte) {
		p := jobdata.Posting{SourceID: "1"}
		err := readSmartRecruitersDetail(&p, body)
		switch {
		case err != nil && p.Description != "":
			t.Fatalf("error %v, and the description set to %q", err, p.Description)
		case err == nil && (p.Description == "" || !utf8.ValidString(p.Description)):
			t.Fatalf("no error, and the description %q", p.Description)
		}
		pages, err := smartRecruitersDetails(list+"?limit=100&offset=0", body)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, d := range pages {
			id, ok := strings.CutPrefix(d.url, list+"/")
			name, named := smartRecruitersDetailName(id)
			if !ok || !named || name != d.name || seen[name] {
				t.Fatalf("detail page %+v of a list of %s", d, list)
			}
			seen[name] = true
		}
	})
}

func FuzzRecruitee(f *testing.F) {
	fuzzSeeds(f, "recruitee.json", `{"offers":[{"id":1,"title":"x","salary":{"min":"1,000","max":"NaN"}}]}`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "recruitee", body) })
}

func FuzzWorkable(f *testing.F) {
	fuzzSeeds(f, "workable.json", `{"jobs":[{"shortcode":"a","title":"b","locations":[{"hidden":true}]}]}`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "workable", body) })
}

func FuzzPersonio(f *testing.F) {
	fuzzSeeds(f, "personio.xml", `<workzag-jobs><position><id>1</id><name>x</name></position></workzag-jobs>`,
		`<workzag-jobs><a><b><c/></b></a></workzag-jobs>`)
	f.Fuzz(func(t *testing.T, body []byte) { fuzzParse(t, "personio", body) })
}
