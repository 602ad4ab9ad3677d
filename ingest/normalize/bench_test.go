package normalize

import (
	"strings"
	"testing"
)

// The benchmarks cycle through the real captured postings; the replay target
// runs each parser once per posting on 200,000 postings, so ns/op times
// 200,000 is the cost of one step of a replay.

func BenchmarkTitle(b *testing.B) {
	ps := realPostings(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Title(ps[i%len(ps)].Title)
	}
}

func BenchmarkParseLocation(b *testing.B) {
	ps := realPostings(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ParseLocation(ps[i%len(ps)].Location)
	}
}

func BenchmarkParseSalary(b *testing.B) {
	texts := []string{"$18 - $22/hr", "$45,000 - $50,000", "$31,2k- $52k", "OTE $25k - $35k", "€60.000 - €75.000", "90-150 /hour", "CHF 120'000", "Competitive", ""}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ParseSalary(texts[i%len(texts)])
	}
}

func BenchmarkSkills(b *testing.B) {
	ps := realPostings(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &ps[i%len(ps)]
		Skills(p.Tags, p.Title)
	}
}

// BenchmarkPlainText converts descriptions of about 1 KB, the size of the
// replay target's.
func BenchmarkPlainText(b *testing.B) {
	var docs []string
	for _, p := range realPostings(b) {
		if d := p.Description; len(d) > 1024 {
			// Cut at a tag so that the cut is still HTML.
			if j := strings.Index(d[1024:], "<"); j >= 0 {
				docs = append(docs, d[:1024+j])
			}
		}
	}
	total := 0
	for _, d := range docs {
		total += len(d)
	}
	b.SetBytes(int64(total / len(docs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		PlainText(docs[i%len(docs)])
	}
}

func BenchmarkFingerprint(b *testing.B) {
	ps := realPostings(b)
	locs := make([]Location, len(ps))
	for i, p := range ps {
		locs[i] = ParseLocation(p.Location)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := i % len(ps)
		Fingerprint("Acme Inc.", ps[j].Title, locs[j])
	}
}
