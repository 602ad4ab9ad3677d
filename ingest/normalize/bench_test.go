package normalize

import (
	"fmt"
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

// BenchmarkSkills reads the skills of the real postings, with their
// descriptions as plain text (read for the support of ambiguous tags).
func BenchmarkSkills(b *testing.B) {
	ps := realPostings(b)
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = PlainText(p.Description)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		j := i % len(ps)
		Skills(ps[j].Tags, ps[j].Title, texts[j])
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

// BenchmarkPlainTextRemotive converts the whole real Remotive descriptions
// (about 13 KB each): rich HTML with attributes, entities, comments and
// non-ASCII text.
func BenchmarkPlainTextRemotive(b *testing.B) {
	var docs []string
	total := 0
	for _, p := range realPostings(b) {
		if p.Source == "remotive" && p.Description != "" {
			docs = append(docs, p.Description)
			total += len(p.Description)
		}
	}
	b.SetBytes(int64(total / len(docs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		PlainText(docs[i%len(docs)])
	}
}

// BenchmarkPlainTextReplay converts descriptions shaped like the replay
// target's: "<p>We are hiring a <role>. ...</p>", 5 to 40 sentences.
func BenchmarkPlainTextReplay(b *testing.B) {
	roles := []string{"Software Engineer", "Data Scientist", "Customer Success Manager", "QA Engineer"}
	var docs []string
	total := 0
	for i := range 36 {
		d := "<p>" + strings.Repeat("We are hiring a "+roles[i%len(roles)]+". ", 5+i) + "</p>"
		docs = append(docs, d)
		total += len(d)
	}
	b.SetBytes(int64(total / len(docs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		PlainText(docs[i%len(docs)])
	}
}

// replayPostings returns postings shaped like the replay target's
// (warehouse's benchmark lake): "<level> <role>" titles, one place, three
// tags, descriptions of 5 to 40 sentences in a paragraph.
func replayPostings() []realPosting {
	roles := []string{"Software Engineer", "Backend Engineer", "Frontend Developer", "Data Scientist",
		"Data Engineer", "Product Manager", "DevOps Engineer", "UX Designer", "Customer Success Manager",
		"Account Executive", "QA Engineer", "Technical Writer", "Machine Learning Engineer",
		"Sales Development Representative", "Marketing Manager", "Support Specialist"}
	levels := []string{"", "Senior ", "Junior ", "Lead ", "Staff ", "Principal "}
	locs := []string{"Worldwide", "USA", "Europe", "UK", "Germany", "France", "Canada", "Americas", "EMEA",
		"Spain", "Poland", "Brazil", "India"}
	tags := []string{"python", "go", "react", "aws", "sql", "kubernetes", "java", "typescript", "docker",
		"excel", "figma", "salesforce"}
	var ps []realPosting
	for i := range 997 { // a prime, so that the fields mix
		role := roles[i%len(roles)]
		ps = append(ps, realPosting{
			Source:      fmt.Sprintf("Company %d", 1+i*7%5000),
			Title:       levels[i%len(levels)] + role,
			Location:    locs[i%len(locs)],
			Tags:        []string{tags[i%len(tags)], tags[(i+5)%len(tags)], tags[(i+7)%len(tags)]},
			Description: "<p>" + strings.Repeat("We are hiring a "+role+". ", 5+i%36) + "</p>",
		})
	}
	return ps
}

// BenchmarkReplayPosting runs the parsers ingest.Normalize runs (but the
// salary's) on one replay-shaped posting: ns/op times 200,000 is their cost
// in the replay target.
func BenchmarkReplayPosting(b *testing.B) {
	ps := replayPostings()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &ps[i%len(ps)]
		Title(p.Title)
		loc := ParseLocation(p.Location)
		text := PlainText(p.Description)
		Skills(p.Tags, p.Title, text)
		Fingerprint(p.Source, p.Title, loc)
	}
}
