package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// goldLabel is one hand-labelled posting of testdata/gold (see its README).
type goldLabel struct {
	Source    string      `json:"source"`
	Capture   string      `json:"capture"`
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Role      string      `json:"role"`
	Seniority string      `json:"seniority"`
	Countries []string    `json:"countries"`
	Regions   []string    `json:"regions"`
	Worldwide bool        `json:"worldwide"`
	Workplace string      `json:"workplace"`
	Salary    *goldSalary `json:"salary"`
	Note      string      `json:"note"`

	// heldFile is set for a posting of a file whose name ends in
	// "-held.jsonl": a set labelled after the rules were last tuned, held
	// out whole.
	heldFile bool
}

type goldSalary struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency"`
	Period   string  `json:"period"`
}

// goldFields are the readings measured, in the order they are reported.
var goldFields = []string{"role", "seniority", "place", "workplace", "salary"}

// readGold reads every gold set of testdata/gold, checking that each label
// is well formed: a role of the vocabulary the README lists, a known
// seniority, workplace and salary period, sorted places, no id twice.
func readGold(t *testing.T) []goldLabel {
	t.Helper()
	dir := filepath.Join("testdata", "gold")
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]bool{"": true}
	_, table, _ := strings.Cut(string(readme), "## The role vocabulary")
	for line := range strings.SplitSeq(table, "\n") {
		if cells := strings.Split(line, "|"); len(cells) > 2 && !strings.HasPrefix(strings.TrimSpace(cells[1]), "role") && !strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			roles[strings.TrimSpace(cells[1])] = true
		}
	}
	if len(roles) < 60 {
		t.Fatalf("the gold README lists %d roles: its vocabulary table was not read", len(roles))
	}
	seniorities := map[string]bool{"": true}
	for _, s := range []string{"Intern", "Junior", "Mid", "Senior", "Staff", "Principal", "Lead", "Head", "Director", "VP", "C-level"} {
		seniorities[s] = true
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold sets in %s (%v)", dir, err)
	}
	var out []goldLabel
	seen := map[string]bool{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			var g goldLabel
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&g); err != nil {
				t.Fatalf("%s:%d: %v", filepath.Base(file), n, err)
			}
			at := fmt.Sprintf("%s:%d (%s)", filepath.Base(file), n, g.ID)
			key := g.Capture + "/" + g.ID
			switch {
			case g.Source == "" || g.Capture == "" || g.ID == "":
				t.Errorf("%s: source, capture and id are required", at)
			case seen[key]:
				t.Errorf("%s: %s labelled twice", at, key)
			case !roles[g.Role]:
				t.Errorf("%s: role %q is not in the vocabulary", at, g.Role)
			case !seniorities[g.Seniority]:
				t.Errorf("%s: seniority %q is not one of the levels", at, g.Seniority)
			case !slices.Contains([]string{"", normalize.Remote, normalize.Hybrid, normalize.Onsite}, g.Workplace):
				t.Errorf("%s: workplace %q", at, g.Workplace)
			case !slices.IsSorted(g.Countries) || !slices.IsSorted(g.Regions):
				t.Errorf("%s: countries and regions must be sorted", at)
			case g.Salary != nil && (g.Salary.Max < g.Salary.Min || g.Salary.Min <= 0 || len(g.Salary.Currency) != 3 ||
				!slices.Contains([]string{"hour", "day", "week", "month", "year"}, g.Salary.Period)):
				t.Errorf("%s: salary %+v", at, *g.Salary)
			}
			seen[key] = true
			g.heldFile = strings.HasSuffix(file, "-held.jsonl")
			out = append(out, g)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// GoldParsers are the parsers of the gold sets' sources that live outside
// package ingest, by source: a company board's kind, whose parser (package
// ingest/boards) imports ingest, so that only an external test file can
// hand it in (gold_boards_test.go). Each parses one page of the board named.
var GoldParsers = map[string]func(board string, body []byte, lakeKey string) ([]Posting, error){}

// readCapture returns the postings of a real capture as a run reads them:
// through the source's parser (a company board's through [GoldParsers]),
// normalized. They are keyed by the source's id.
func readCapture(t *testing.T, source, capture string) map[string]Posting {
	t.Helper()
	body := testenv.RealCapture(t, capture)
	var postings []Posting
	parse := func(src Source) {
		page := StoredPage{Key: "raw/source=" + source + "/page-0001.json", Name: "page-0001.json", Body: body,
			Meta: Meta{Source: source, Status: 200, ContentType: "application/json"}}
		ps, _, err := src.Parse(context.Background(), page, nil)
		if err != nil {
			t.Fatalf("parse %s: %v", capture, err)
		}
		postings = ps
	}
	switch source {
	case "arbeitnow":
		parse(NewArbeitnow(DefaultArbeitnowConfig(), nil))
	case "remotive":
		parse(NewRemotive(DefaultRemotiveConfig(), nil))
	case "remoteok":
		parse(NewRemoteOK(DefaultRemoteOKConfig(), nil))
	case "greenhouse":
		parse, ok := GoldParsers[source]
		if !ok {
			t.Fatalf("gold set of %s: no parser registered in GoldParsers (gold_boards_test.go)", source)
		}
		board := strings.TrimSuffix(path.Base(capture), path.Ext(capture))
		ps, err := parse(board, body, "raw/source="+source+"-"+board+"/page-0001.json")
		if err != nil {
			t.Fatalf("parse %s: %v", capture, err)
		}
		postings = ps
	case "francetravail":
		parse(NewFranceTravail(DefaultFranceTravailConfig(), DefaultFetchConfig()))
	default:
		t.Fatalf("gold set of unknown source %q", source)
	}
	byID := make(map[string]Posting, len(postings))
	for _, p := range postings {
		Normalize(&p) // as a load does after parsing
		byID[p.SourceID] = p
	}
	return byID
}

// goldRead is what jobpulse read of a field, and its gold label, as text.
func goldRead(field string, g goldLabel, p Posting) (gold, read string) {
	place := func(countries, regions []string, worldwide bool) string {
		return fmt.Sprintf("%s|%s|%v", strings.Join(countries, ","), strings.Join(regions, ","), worldwide)
	}
	salary := func(min, max float64, currency, period string) string {
		if min <= 0 && max <= 0 {
			return "none"
		}
		return fmt.Sprintf("%g-%g %s/%s", math.Round(min), math.Round(max), currency, period)
	}
	switch field {
	case "role":
		return g.Role, p.Role
	case "seniority":
		return g.Seniority, p.Seniority
	case "place":
		loc := p.Location
		return place(g.Countries, g.Regions, g.Worldwide), place(loc.Countries, loc.Regions, loc.Scope == normalize.ScopeWorldwide)
	case "workplace":
		return g.Workplace, p.Location.Workplace
	case "salary":
		gs := "none"
		if g.Salary != nil {
			gs = salary(g.Salary.Min, g.Salary.Max, g.Salary.Currency, g.Salary.Period)
		}
		return gs, salary(p.Salary.Min, p.Salary.Max, p.Salary.Currency, p.Salary.Period)
	}
	panic("unknown field " + field)
}

// goldTargets are the shares of gold postings each field must be read
// right for, per source: the project's targets.
var goldTargets = map[string]float64{"role": 95, "seniority": 97, "place": 97, "workplace": 95}

// goldFloors are, per source and field, the shares measured when the rules
// were last changed, rounded down, where they are below goldTargets: a
// reading that falls below its floor got worse, and the test fails. Raise a
// floor when the reading improves. Lower one only for a rule narrowed
// because it misread titles outside the gold sets, or for a new gold set
// labelled after the rules were tuned (greenhouse-sumup-held.jsonl brought
// Greenhouse's role from 97.6% to 92.7%, 94.0% once the vocabulary grew),
// and say so in the commit.
var goldFloors = map[string]map[string]float64{
	"arbeitnow":     {"role": 91},
	"francetravail": {},
	"greenhouse":    {"role": 94},
	"remoteok":      {"role": 82.5, "place": 96},
	"remotive":      {"place": 96},
}

// goldWrong, with -gold.wrong=FIELD, lists every gold posting whose FIELD is
// read wrong, with its title, location text and label note: for whoever
// extends a table.
var goldWrong = flag.String("gold.wrong", "", "list the gold postings whose `field` (role, seniority, place, workplace, salary) is read wrong")

// goldSplit, with -gold.split=tune or -gold.split=held, measures only one
// part of the gold sets: the held-out part is every Arbeitnow and Remote OK
// posting whose id hashes odd, and every posting of a "-held.jsonl" file
// (goldHeldOut), kept out of sight while the
// rules are tuned on the rest, so that its figure says how a change carries
// to postings it was not fitted on. The floors are checked only on the whole.
var goldSplit = flag.String("gold.split", "", "measure only the `part` tune or held (held out: Arbeitnow and Remote OK postings whose id hashes odd, less goldHeldSeen, and the -held.jsonl files)")

// goldHeldOut reports whether a gold posting belongs to the held-out part
// of -gold.split: a posting of a "-held.jsonl" file, or an Arbeitnow or
// Remote OK posting whose id's FNV-1a hash is odd, unless it is one of
// goldHeldSeen.
func goldHeldOut(g goldLabel) bool {
	if g.heldFile {
		return true
	}
	if g.Source != "arbeitnow" && g.Source != "remoteok" || goldHeldSeen[g.ID] {
		return false
	}
	h := fnv.New32a()
	h.Write([]byte(g.ID))
	return h.Sum32()%2 == 1
}

// goldHeldSeen are the held-out postings whose text or misreading was
// described to whoever wrote rules (2026-12-05: in-person jobs of Remote OK,
// German compound titles, AI-data postings, one place): the rules may fit
// them, so they count in the tune part, and the held-out part stays a
// measure of postings no rule was written from.
var goldHeldSeen = map[string]bool{
	"1133386": true, "1133389": true, "1130708": true, "1133312": true, "1133376": true, "1133373": true,
	"1133379": true, "1133368": true, "1133377": true, "1133371": true, "1133372": true, "1133286": true,
	"1133288": true, "1133327": true, "1130773": true, "1133392": true,
	"projektentwickler-fur-erneuerbare-energien-molbergen-138948": true,
	"windparkplaner-molbergen-177282":                             true,
	"vertriebscontroller-im-bankenumfeld-munich-105189":           true,
	"teamleitung-front-und-backoffice-wornitz-481355":             true,
}

// TestGoldAccuracy reads every hand-labelled posting of testdata/gold
// through the same parse and normalize path a run uses, and reports how
// often each field is read as labelled, per source, with the most frequent
// wrong readings (gold → read). Run it with -v to see the figures, and with
// -gold.wrong=role (or another field) to list each wrong posting.
//
// It fails on a malformed gold set, on fewer than 600 labelled postings or
// six captures, on a labelled posting the capture does not hold, and for
// each source and field read right less often than its target
// (goldTargets), or than its floor where the target is not reached yet
// (goldFloors).
func TestGoldAccuracy(t *testing.T) {
	gold := readGold(t)
	switch *goldSplit {
	case "":
	case "tune", "held":
		gold = slices.DeleteFunc(gold, func(g goldLabel) bool { return goldHeldOut(g) != (*goldSplit == "held") })
	default:
		t.Fatalf("-gold.split=%q: want tune or held", *goldSplit)
	}
	captures := map[string]map[string]Posting{}
	for _, g := range gold {
		if captures[g.Capture] == nil {
			captures[g.Capture] = readCapture(t, g.Source, g.Capture)
		}
	}
	if *goldSplit == "" && (len(gold) < 600 || len(captures) < 6) {
		t.Errorf("%d labelled postings from %d captures: want at least 600 from 6", len(gold), len(captures))
	}
	type tally struct{ right, all int }
	bySource := map[string]map[string]*tally{}
	wrong := map[string]map[string]int{} // field -> "gold → read" -> count
	for _, g := range gold {
		p, ok := captures[g.Capture][g.ID]
		if !ok {
			t.Errorf("%s %s (%q): not in %s", g.Source, g.ID, g.Title, g.Capture)
			continue
		}
		if *goldWrong != "" && *goldSplit != "held" { // the held-out part stays out of sight
			if gv, rv := goldRead(*goldWrong, g, p); gv != rv {
				t.Logf("%s %s %q (location %q): gold %q, read %q; %s", g.Source, g.ID, g.Title, p.LocationText, gv, rv, g.Note)
			}
		}
		for _, src := range []string{g.Source, "all"} {
			if bySource[src] == nil {
				bySource[src] = map[string]*tally{}
			}
			for _, f := range goldFields {
				if bySource[src][f] == nil {
					bySource[src][f] = &tally{}
				}
				gv, rv := goldRead(f, g, p)
				bySource[src][f].all++
				if gv == rv {
					bySource[src][f].right++
				} else if src == "all" {
					if wrong[f] == nil {
						wrong[f] = map[string]int{}
					}
					wrong[f][fmt.Sprintf("%q → %q", gv, rv)]++
				}
			}
		}
	}
	var b strings.Builder
	part := ""
	if *goldSplit != "" {
		part = " (the " + *goldSplit + " part only)"
	}
	fmt.Fprintf(&b, "accuracy on %d hand-labelled postings of %d captures%s:\n%-20s", len(gold), len(captures), part, "source")
	for _, f := range goldFields {
		fmt.Fprintf(&b, " %10s", f)
	}
	for _, src := range slices.Sorted(maps.Keys(bySource)) {
		fmt.Fprintf(&b, "\n%-20s", fmt.Sprintf("%s (%d)", src, bySource[src]["role"].all))
		for _, f := range goldFields {
			tl := bySource[src][f]
			fmt.Fprintf(&b, " %9.1f%%", 100*float64(tl.right)/float64(max(tl.all, 1)))
		}
	}
	for _, f := range goldFields {
		if *goldSplit == "held" {
			break // the held-out part stays out of sight: its figures only
		}
		pairs := slices.SortedFunc(maps.Keys(wrong[f]), func(a, b string) int {
			return cmp.Or(cmp.Compare(wrong[f][b], wrong[f][a]), cmp.Compare(a, b))
		})
		fmt.Fprintf(&b, "\nmost frequent wrong %s (gold → read):", f)
		for _, pair := range pairs[:min(len(pairs), 8)] {
			fmt.Fprintf(&b, "\n  %3d  %s", wrong[f][pair], pair)
		}
	}
	t.Log(b.String())
	if *goldSplit != "" {
		return // the floors are of the whole gold sets
	}

	for src, floors := range goldFloors {
		for f, floor := range floors {
			if target, ok := goldTargets[f]; !ok || floor >= target {
				t.Errorf("goldFloors: %s %s floor %.1f%% is no floor under a target (%.0f%%): remove it", src, f, floor, target)
			}
		}
	}
	var below []string
	for _, src := range slices.Sorted(maps.Keys(bySource)) {
		if src == "all" {
			continue
		}
		for _, f := range goldFields {
			target, ok := goldTargets[f]
			if !ok {
				continue
			}
			tl := bySource[src][f]
			share := 100 * float64(tl.right) / float64(max(tl.all, 1))
			floor, hasFloor := goldFloors[src][f]
			switch {
			case share >= target:
			case !hasFloor:
				t.Errorf("%s: the %s is read right for %.1f%% of %d gold postings: want at least %.0f%%", src, f, share, tl.all, target)
			case share < floor:
				t.Errorf("%s: the %s is read right for %.1f%% of %d gold postings: below its floor of %.1f%% (target %.0f%%)", src, f, share, tl.all, floor, target)
			default:
				below = append(below, fmt.Sprintf("%s %s %.1f%% (target %.0f%%)", src, f, share, target))
			}
		}
	}
	if len(below) > 0 {
		t.Logf("below target, above floor: %s", strings.Join(below, "; "))
	}
}

// TestROMEPairs checks the reading of French titles against France
// Travail's own labels: each offer of the real capture has a title and the
// ROME code its publisher filed it under, and where rules/occupations.tsv
// gives that code a role (codes of no role, such as cleaning, are left out:
// any title naming none agrees with them), the title read alone should give
// the same. It prints the share that agree and the pairs that do not, and
// fails below 85% of at least 80 offers: a fall means the reading of French
// titles got worse.
func TestROMEPairs(t *testing.T) {
	var raw struct {
		Resultats []struct {
			Intitule    string `json:"intitule"`
			RomeCode    string `json:"romeCode"`
			RomeLibelle string `json:"romeLibelle"`
		} `json:"resultats"`
	}
	if err := json.Unmarshal(testenv.RealCapture(t, "francetravail/2025-03.json"), &raw); err != nil {
		t.Fatal(err)
	}
	var mapped, agree int
	var b strings.Builder
	for _, o := range raw.Resultats {
		want, ok := normalize.OccupationRole("rome:" + o.RomeCode)
		if !ok || want == "" { // a code of no role agrees with any title that names none
			continue
		}
		mapped++
		if got, _ := normalize.Title(o.Intitule); got == want {
			agree++
		} else {
			fmt.Fprintf(&b, "\n  %q read %q; %s %q gives %q", o.Intitule, got, o.RomeCode, o.RomeLibelle, want)
		}
	}
	share := float64(agree) / float64(max(mapped, 1))
	t.Logf("titles read as their ROME code says: %d of %d offers whose code has a role (%.1f%%), of %d%s",
		agree, mapped, 100*share, len(raw.Resultats), b.String())
	if mapped < 80 || share < 0.85 {
		t.Errorf("%d of %d titles read as their ROME code says: want at least 85%% of at least 80", agree, mapped)
	}
}

// TestExplainMatchesNormalize checks that Explain reads every posting of the
// gold captures exactly as Normalize does, and explains each field.
func TestExplainMatchesNormalize(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range readGold(t) {
		if seen[g.Capture] {
			continue
		}
		seen[g.Capture] = true
		for id, p := range readCapture(t, g.Source, g.Capture) {
			// The raw posting alone: what Normalize filled is cleared, so
			// that a field Explain fails to fill shows.
			q := Posting{Source: p.Source, SourceID: p.SourceID, URL: p.URL, Title: p.Title, Company: p.Company,
				CompanyLogo: p.CompanyLogo, Category: p.Category, JobType: p.JobType, LocationText: p.LocationText,
				SalaryText: p.SalaryText, Tags: p.Tags, Description: p.Description, PublishedAt: p.PublishedAt,
				LakeKey: p.LakeKey, RemoteHint: p.RemoteHint, SalaryHint: p.SalaryHint, CountryHint: p.CountryHint, OccupationCode: p.OccupationCode, OccupationName: p.OccupationName}
			steps := Explain(&q)
			if diff := gocmp.Diff(p, q); diff != "" {
				t.Errorf("%s %s: Explain and Normalize read differently (-Normalize +Explain):\n%s", g.Capture, id, diff)
			}
			fields := map[string]bool{}
			for _, s := range steps {
				fields[s.Field] = true
			}
			for _, f := range []string{"role", "seniority", "place", "workplace", "skills"} {
				if !fields[f] {
					t.Errorf("%s %s: no step explains the %s", g.Capture, id, f)
				}
			}
		}
	}
}
