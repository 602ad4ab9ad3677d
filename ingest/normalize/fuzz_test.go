package normalize

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Seeds: the real captured strings and the hard cases of the table tests;
// more seeds live under testdata/fuzz/.

func FuzzTitle(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Title)
	}
	for _, s := range []string{"Développeur Full Stack (H/F)", "Softwareentwickler (m/w/d)", "Executive Assistant to the CEO", "Data Scientist IV", strings.Repeat("senior ", 200), "\xff\xfe", "back end back end", "Engineer - 100% Remote", "DevOps (m/w/d) REMOTE", "a – b — c - d | Hybrid"} {
		f.Add(s)
	}
	roles := map[string]bool{"": true}
	for _, p := range roleSet.pats {
		roles[p.value] = true
	}
	f.Fuzz(func(t *testing.T, title string) {
		role, seniority := Title(title)
		if !roles[role] {
			t.Errorf("Title(%q): role %q is not in the table", title, role)
		}
		if _, ok := seniorityRanks[seniority]; !ok && seniority != "" {
			t.Errorf("Title(%q): seniority %q is not a level", title, seniority)
		}
		if r2, s2 := Title(title); r2 != role || s2 != seniority {
			t.Errorf("Title(%q) is not deterministic", title)
		}
		for _, remoteOnly := range []bool{false, true} {
			switch wp := TitleWorkplace(title, remoteOnly); wp {
			case "", Remote, Hybrid, Onsite:
				if got, steps := ExplainTitleWorkplace(title, remoteOnly); got != wp || wp != "" && len(steps) == 0 {
					t.Errorf("ExplainTitleWorkplace(%q, %v) = %q with %d steps, TitleWorkplace %q", title, remoteOnly, got, len(steps), wp)
				}
			default:
				t.Errorf("TitleWorkplace(%q, %v) = %q: not a workplace", title, remoteOnly, wp)
			}
		}
	})
}

func FuzzParseLocation(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Location)
	}
	for _, s := range []string{"USA, Canada, USA timezones", "Stewartville, MN", "CET +/- 3h", "UTC+14", "UTC−99", "REMOTE - US", "Remote, CA", "Mülheim a.d. Ruhr", "St. Pölten", "Weiden i.d.OPf.", "St " + strings.Repeat("a.d. ", 40), strings.Repeat("US, ", 300), "\xffBerlin\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc := ParseLocation(s)
		checkLocation(t, s, loc)
		if len(loc.Countries) > maxLocCountries || len(loc.Regions) > maxLocRegions {
			t.Errorf("ParseLocation(%q): %d countries, %d regions", s, len(loc.Countries), len(loc.Regions))
		}
		if diff := cmp.Diff(loc, ParseLocation(s)); diff != "" {
			t.Errorf("ParseLocation(%q) is not deterministic:\n%s", s, diff)
		}
	})
}

func FuzzParseSalary(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Salary)
	}
	for _, s := range []string{"$31,2k- $52k", "€60.000 - €75.000", "CHF 120'000", "₹8,00,000 per annum", "up to 1e308", "9999999999999999999999k", "1,2,3,4,5,6,7,8,9,0,1,2,3", "5 - - 6", "k$k$k", "0.001 - 0.002", strings.Repeat("1'", 100)} {
		f.Add(s)
	}
	code := regexp.MustCompile(`^([A-Z]{3})?$`)
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseSalary(s)
		if !ok {
			if got != (Salary{}) {
				t.Errorf("ParseSalary(%q) = %+v with false", s, got)
			}
			return
		}
		checkSalary(t, s, got)
		if !code.MatchString(got.Currency) {
			t.Errorf("ParseSalary(%q): currency %q", s, got.Currency)
		}
		// Completing a parsed salary changes nothing.
		again, ok := CompleteSalary(got)
		if diff := cmp.Diff(got, again); diff != "" || !ok {
			t.Errorf("CompleteSalary(ParseSalary(%q)) ok=%v (-first +again):\n%s", s, ok, diff)
		}
	})
}

// checkSalary checks the invariants of a salary found in text.
func checkSalary(t *testing.T, s string, got Salary) {
	t.Helper()
	for _, v := range []float64{got.Min, got.Max, got.AnnualMin, got.AnnualMax} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Errorf("ParseSalary(%q) = %+v: bad figure", s, got)
		}
	}
	if got.Min > got.Max || got.Max <= 0 || !got.Known() {
		t.Errorf("ParseSalary(%q) = %+v: want 0 <= Min <= Max, Max > 0", s, got)
	}
	if got.Min > 0 && got.Max > got.Min*maxRangeRatio {
		t.Errorf("ParseSalary(%q) = %+v: range too wide", s, got)
	}
	switch got.Period {
	case "":
		if got.AnnualMin != 0 || got.AnnualMax != 0 {
			t.Errorf("ParseSalary(%q) = %+v: annual figures without a period", s, got)
		}
	case Hour, Day, Week, Month, Year:
		if got.AnnualMin > got.AnnualMax || got.AnnualMax < got.Max {
			t.Errorf("ParseSalary(%q) = %+v: bad annual figures", s, got)
		}
	default:
		t.Errorf("ParseSalary(%q): bad period %q", s, got.Period)
	}
}

// FuzzSkills checks what Skills gives: skills of the table only, sorted and
// at most maxSkills; the description only ever adds skills, and only for
// the tags (it names none by itself).
func FuzzSkills(f *testing.F) {
	for _, p := range realPostings(f)[:40] {
		tag := ""
		if len(p.Tags) > 0 {
			tag = p.Tags[0]
		}
		text := PlainText(p.Description)
		f.Add(tag, strings.Join(p.Tags, "|"), p.Title, text[:min(len(text), 2000)])
	}
	f.Add("golang", "node.js|ruby/rails|AI/ML", "Senior Backend Engineer (Go)", "")
	f.Add("\x00", "\xff|  |!!!", "(go", "\xffgo, java")
	f.Add("go", "r|c|rest|health", "Go To Market", "We go-to-market in R&D. C/C++, SQL and R; the rest; healthcare")
	f.Fuzz(func(t *testing.T, tag, more, title, description string) {
		tags := append([]string{tag}, strings.Split(more, "|")...)
		got := Skills(tags, title, description)
		checkSorted(t, title, got)
		if len(got) > maxSkills {
			t.Errorf("Skills: %d skills", len(got))
		}
		for _, s := range got {
			if !skillNames[s] {
				t.Errorf("Skills(%q, %q, %q): %q is no skill of the table", tags, title, description, s)
			}
		}
		if again := Skills(slices.Clone(tags), title, description); !slices.Equal(got, again) {
			t.Errorf("Skills(%q, %q, %q) is not deterministic", tags, title, description)
		}
		if len(got) < maxSkills {
			for _, s := range Skills(tags, title, "") {
				if !slices.Contains(got, s) {
					t.Errorf("Skills(%q, %q, %q) lost %q, named without the description", tags, title, description, s)
				}
			}
		}
		if a, b := Skills(nil, title, description), Skills(nil, title, ""); !slices.Equal(a, b) {
			t.Errorf("Skills(nil, %q, %q) = %q: the description named skills without a tag (%q without it)", title, description, a, b)
		}
	})
}

func FuzzPlainText(f *testing.F) {
	for _, p := range realPostings(f)[:30] {
		f.Add(p.Description)
	}
	for _, s := range []string{"<p>a</p>", "<ul><li>x<li>y</ul>", "<script>", "a<svg><g>b", "&nGt;&NotNestedGreaterGreater;", "<li></li><li>\xff</li>", "line\n\n\nline", "<pre>  x  </pre>", "&#0;&#x110000;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkPlainText(t, s, PlainText(s))
	})
}

func FuzzFingerprint(f *testing.F) {
	f.Add("Acme Inc.", "Backend Engineer (m/w/d)", "US")
	f.Add("", "", "")
	f.Add("Co", "(m/w/d)", "DE,FR")
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	f.Fuzz(func(t *testing.T, company, title, countries string) {
		loc := Location{Countries: strings.Split(countries, ",")}
		fp := Fingerprint(company, title, loc)
		if !hex32.MatchString(fp) {
			t.Errorf("Fingerprint = %q", fp)
		}
		if fp != Fingerprint(company, title, loc) {
			t.Errorf("Fingerprint is not deterministic")
		}
	})
}

// FuzzPlainTextMatchesTokenizer checks that PlainText gives the text of
// plainTextRef, the tokenizer's tokens written rune by rune: it holds
// plainWriter's runs of words, written in one piece, to the simple writer.
func FuzzPlainTextMatchesTokenizer(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<ul><li>x<li>y</ul>", "<script>a</script>b", "a<svg><g>b</svg>c", "&amp;<b>x</b>", "<!-- x -->y", "<a href='>'>z</a>", "<p title=\"a>b\">c</p>", "</", "<sCript!>0", "<!-->a", "<textarea>x</textarea >y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := PlainText(s), plainTextRef(s); got != want {
			t.Errorf("PlainText(%q) = %q, the tokenizer reads %q", s, got, want)
		}
	})
}

// FuzzPlainWriter checks that plainWriter, which writes runs of words and
// single spaces in one piece, writes what refWriter, the rune-by-rune writer
// it replaced, writes: from any state, over two texts in a row.
func FuzzPlainWriter(f *testing.F) {
	for _, p := range realPostings(f)[:10] {
		// Small seeds: the fuzzer minimizes large inputs slowly.
		f.Add(p.Description[:min(len(p.Description), 300)], p.Title, false, uint8(0))
	}
	for _, s := range []string{"a b", "a  b", "a b ", " a", "é è", "a\u00a0b", "a \u00a0b", "x\u0085y z", "a\x01 b", "a \xffb", "\xef\xbf\xbd x", "a\nb\n\n\nc", "a \r\n b", "a\u2028b", "Hello world, we are hiring a Data Scientist.  Twice", "12345678 abcdefg  x\x7f y"} {
		f.Add(s, "c d", true, uint8(0))
		f.Add(s, " e", false, uint8(0x1f))
	}
	f.Fuzz(func(t *testing.T, s1, s2 string, keepLines bool, state uint8) {
		var got plainWriter
		var want refWriter
		if state&1 != 0 {
			got.write("x")
			want.b.WriteString("x")
		}
		got.space, want.space = state&2 != 0, state&2 != 0
		got.lines, want.lines = int(state>>2&3)%3, int(state>>2&3)%3
		got.bullet, want.bullet = state&16 != 0, state&16 != 0
		got.pending = got.space || got.lines > 0 || got.bullet
		want.pending = got.pending
		got.text(s1, keepLines)
		got.text(s2, keepLines)
		want.text(s1, keepLines)
		want.text(s2, keepLines)
		if got.String() != want.b.String() {
			t.Errorf("text(%q, %q, %v) from state %#x = %q, refWriter writes %q", s1, s2, keepLines, state, got.String(), want.b.String())
		}
		gs := [4]any{got.space, got.lines, got.bullet, got.pending}
		ws := [4]any{want.space, want.lines, want.bullet, want.pending}
		if gs != ws {
			t.Errorf("text(%q, %q, %v) from state %#x leaves state %v, refWriter %v", s1, s2, keepLines, state, gs, ws)
		}
	})
}

// FuzzWordChunk checks wordChunk, which tests eight bytes at once, against
// the same test done byte by byte.
func FuzzWordChunk(f *testing.F) {
	for _, s := range []string{"abcdefgh", "We are h", "iring a ", "a b c d ", "a  bcdef", " abcdefg", "abc\x7fdefg", "abcdefg\x80", "\x1fabcdefg", "~!@#$%^&", "é abcdef", "ab\tcdefg", "        "} {
		f.Add(load64(s, 0))
	}
	f.Fuzz(func(t *testing.T, x uint64) {
		var b [8]byte
		want := true
		for i := range b {
			b[i] = byte(x >> (8 * i))
			switch c := b[i]; {
			case c < ' ' || c >= 0x7f:
				want = false
			case c == ' ' && (i == 7 || i > 0 && b[i-1] == ' '):
				want = false
			}
		}
		if got := wordChunk(x); got != want {
			t.Errorf("wordChunk(%q) = %v, want %v", b[:], got, want)
		}
	})
}

func FuzzDescriptionRole(f *testing.F) {
	for _, p := range realPostings(f) {
		f.Add(p.Description, p.Title)
	}
	for _, s := range []string{"- Als Revisor (m/w/d) prüfen Sie", "We are looking for a", "als (m/w", "we are looking for \xff\xfe (m/w/d)", "\n-  als  m w", "rating search results"} {
		f.Add(s, "")
	}
	roles := map[string]bool{"": true}
	for _, p := range roleSet.pats {
		roles[p.value] = true
	}
	f.Fuzz(func(t *testing.T, text, title string) {
		titleRole, _ := Title(title)
		role := DescriptionRole(text, titleRole, false)
		if !roles[role] {
			t.Errorf("DescriptionRole(%q): role %q is not in the table", text, role)
		}
		if titleRole != "" && role != titleRole && !slices.ContainsFunc(workRoles(), func(r string) bool { return r == role }) {
			t.Errorf("DescriptionRole(%q, %q) = %q: only a work phrase may override a title's role", text, titleRole, role)
		}
		if got, _ := ExplainDescriptionRole(text, titleRole, false); got != role {
			t.Errorf("ExplainDescriptionRole(%q) = %q, DescriptionRole %q", text, got, role)
		}
	})
}

// workRoles returns the roles of the work phrases of rules/role_text.tsv.
func workRoles() []string {
	var out []string
	for _, ps := range rtPhrases {
		for _, p := range ps {
			if p.kind == rtWork {
				out = append(out, p.role)
			}
		}
	}
	return out
}
