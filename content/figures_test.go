package content_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestFigureRules builds the embedded report twice, from the demo's sample
// data (14 nightly runs) and from the real captures of every source (three
// runs, so that the pages that compare runs have something to compare), and
// reads every built page and the data files of its charts and tables as a
// data journalist would: see [checkFigureRules] for the rules.
func TestFigureRules(t *testing.T) {
	t.Run("sample", func(t *testing.T) { checkFigureRules(t, loadSite(t, buildReport(t))) })
	t.Run("captures", func(t *testing.T) {
		s := loadSite(t, buildCaptures(t))
		checkFigureRules(t, s)
		// The Remotive offers the middle night missed are back, not new.
		summary := s.file(t, "changes/summary.csv")
		if back, n := summary.sum(t, "Back"), summary.sum(t, "New"); back != 5 || n != 0 {
			t.Errorf("changes/summary.csv: %d back and %d new, want 5 and 0: %v", back, n, summary.rows)
		}
	})
}

// buildCaptures ingests the real captures as three nights and builds the
// embedded report; it returns the site's folder. The first and the last
// night find every offer; the night between misses the first 5 Remotive
// offers, which are gone that night and back on the last, so that the
// report's counts of open, new, gone and returned postings have something
// to reconcile.
func buildCaptures(t *testing.T) string {
	t.Helper()
	echarts := installedECharts(t)
	pool := pgtest.New(t)
	ctx := context.Background()
	fixtures := testenv.RealCaptureDir(t, ".")
	ingestCaptures(t, ctx, pool, fixtures)
	ingestCaptures(t, ctx, pool, withoutFirstRemotive(t, fixtures, 5))
	ingestCaptures(t, ctx, pool, fixtures)
	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = echarts
	if _, err := site.Build(ctx, pool, cfg, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("build: %v", err)
	}
	return cfg.Out
}

// withoutFirstRemotive returns a folder of captures like fixtures, whose
// Remotive response lacks its first n offers.
func withoutFirstRemotive(t *testing.T, fixtures string, n int) string {
	t.Helper()
	dir := t.TempDir()
	var remotive map[string]json.RawMessage
	if err := json.Unmarshal(testenv.RealCapture(t, "remotive/remote-jobs.json"), &remotive); err != nil {
		t.Fatal(err)
	}
	var jobs []json.RawMessage
	if err := json.Unmarshal(remotive["jobs"], &jobs); err != nil || len(jobs) <= n {
		t.Fatalf("remotive capture: %d jobs, %v", len(jobs), err)
	}
	remotive["jobs"], _ = json.Marshal(jobs[n:])
	b, err := json.Marshal(remotive)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "remotive"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "remotive", "remote-jobs.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{"remoteok", "fake-jobs"} {
		if err := os.Symlink(filepath.Join(fixtures, source), filepath.Join(dir, source)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// builtSite is a built report as the rules read it.
type builtSite struct {
	out   string
	pages []*builtPage
	files map[string]*csvFile // by path from the site's root
}

// builtPage is one HTML page: its path from the site's root, its document,
// its prose (the text outside tables and the SQL section) and its blocks.
type builtPage struct {
	name   string
	doc    *goquery.Document
	prose  string
	blocks []builtBlock
}

// builtBlock is a chart or a table, with its title and its data file.
type builtBlock struct {
	chart bool
	title string
	file  *csvFile
}

// csvFile is a data file, every value as text.
type csvFile struct {
	name   string
	header []string
	rows   [][]string
}

// loadSite reads every page of the built site but the data page (which lists
// the files, and is no report page) and the data files its blocks link to.
func loadSite(t *testing.T, out string) *builtSite {
	t.Helper()
	s := &builtSite{out: out, files: map[string]*csvFile{}}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "index.html" {
			return err
		}
		name := filepath.ToSlash(strings.TrimPrefix(p, out+string(filepath.Separator)))
		if strings.HasPrefix(name, "data/") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := goquery.NewDocumentFromReader(f)
		if err != nil {
			return err
		}
		pg := &builtPage{name: name, doc: doc}
		doc.Find("figure.chart-block, div.table-block").Each(func(_ int, b *goquery.Selection) {
			if b.ParentsFiltered("figure.chart-block").Length() > 0 {
				return // the data table of a chart
			}
			chart := b.Is("figure")
			title := b.Find("figcaption").First().Text()
			if !chart {
				title = b.Find("caption").First().Text()
			}
			href, _ := b.Find(`a.download[href$=".csv"]`).First().Attr("href")
			if href == "" {
				return // a block with no data: "No data yet"
			}
			file := path.Join(path.Dir(name), href)
			if s.files[file] == nil {
				s.files[file] = readCSV(t, filepath.Join(out, filepath.FromSlash(file)))
				s.files[file].name = file
			}
			pg.blocks = append(pg.blocks, builtBlock{chart: chart, title: strings.TrimSpace(title), file: s.files[file]})
		})
		main := doc.Find("main").Clone()
		main.Find("table, section.sql-section, script, .table-tools").Remove()
		pg.prose = strings.Join(strings.Fields(main.Text()), " ")
		s.pages = append(s.pages, pg)
		return nil
	})
	if err != nil {
		t.Fatalf("read the built site: %v", err)
	}
	if len(s.pages) < 10 {
		t.Fatalf("only %d pages built", len(s.pages))
	}
	return s
}

func readCSV(t *testing.T, p string) *csvFile {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("%s: %v (%d records)", p, err, len(records))
	}
	return &csvFile{header: records[0], rows: records[1:]}
}

// file returns the data file at name (from the site's root), which a block
// must link to.
func (s *builtSite) file(t *testing.T, name string) *csvFile {
	t.Helper()
	f := s.files[name]
	if f == nil {
		t.Fatalf("no block links to %s", name)
	}
	return f
}

// page returns the page at name.
func (s *builtSite) page(t *testing.T, name string) *builtPage {
	t.Helper()
	for _, p := range s.pages {
		if p.name == name {
			return p
		}
	}
	t.Fatalf("no page %s", name)
	return nil
}

// col returns the index of a column, or -1.
func (f *csvFile) col(name string) int { return slices.Index(f.header, name) }

// num returns the number in row r's column c (0 for an empty field).
func (f *csvFile) num(t *testing.T, r, c int) float64 {
	t.Helper()
	if f.rows[r][c] == "" {
		return 0
	}
	v, err := strconv.ParseFloat(f.rows[r][c], 64)
	if err != nil {
		t.Fatalf("%s: row %d, %s: %v", f.name, r+1, f.header[c], err)
	}
	return v
}

// values returns the set of a column's values.
func (f *csvFile) values(t *testing.T, column string) map[string]bool {
	t.Helper()
	c := f.col(column)
	if c < 0 {
		t.Fatalf("%s: no column %s in %v", f.name, column, f.header)
	}
	set := map[string]bool{}
	for _, r := range f.rows {
		set[r[c]] = true
	}
	return set
}

// checkFigureRules checks the rules of issue 15 on a built report: the
// data's date and sources at the top of every page; one rank for ties, the
// same in every list, and top lists that keep a tie at their end whole;
// lists of places of one kind (countries), with worldwide and regional
// offers beside; counts that reconcile with those next to them; n beside
// every median, share and lift, and no chart of medians of fewer than 5
// postings; a currency and a period with every money figure; the terms
// (open, openings, lift, scope, median, rank, back) explained on the pages
// that use them; incomplete weeks and days marked.
func checkFigureRules(t *testing.T, s *builtSite) {
	t.Run("dated", func(t *testing.T) { checkDated(t, s) })
	t.Run("ranks", func(t *testing.T) { checkRanks(t, s) })
	t.Run("ties kept whole", func(t *testing.T) { checkTies(t, s) })
	t.Run("places of one kind", func(t *testing.T) { checkPlaceKinds(t, s) })
	t.Run("counts reconcile", func(t *testing.T) { checkReconcile(t, s) })
	t.Run("n stated", func(t *testing.T) { checkSmallN(t, s) })
	t.Run("money", func(t *testing.T) { checkMoney(t, s) })
	t.Run("terms explained", func(t *testing.T) { checkTerms(t, s) })
	t.Run("incomplete periods", func(t *testing.T) { checkPeriods(t, s) })
}

// checkDated: every page says, before its first heading, when the data was
// collected and from which sources.
func checkDated(t *testing.T, s *builtSite) {
	for _, p := range s.pages {
		line := p.doc.Find("main p.dateline")
		if line.Length() != 1 {
			t.Errorf("%s: %d date lines, want 1", p.name, line.Length())
			continue
		}
		if _, ok := line.Find("time").Attr("datetime"); !ok {
			t.Errorf("%s: the date line has no <time datetime>", p.name)
		}
		text := strings.Join(strings.Fields(line.Text()), " ")
		if !regexp.MustCompile(`^Data collected \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC, from \w`).MatchString(text) {
			t.Errorf("%s: date line %q names no date and source", p.name, text)
		}
		if h1 := p.doc.Find("main h1").First(); h1.Length() > 0 && h1.PrevAllFiltered("p.dateline").Length() == 0 {
			t.Errorf("%s: the date line is not above the page's title", p.name)
		}
	}
}

// measure is the column a list ranks by: openings where it has them, else
// postings.
func measure(f *csvFile) int {
	if c := f.col("Openings"); c >= 0 {
		return c
	}
	return f.col("Postings")
}

// checkRanks: in every data file with a Rank column, ranks are competition
// ranks of the list's measure within each entity's rows (the first column
// of a templated page's file, "by-role.places.csv"): rows with as many
// share a rank, a row with fewer has a greater rank, and a list that starts
// at rank 1 has every row above each of its rows (rank = 1 + rows with
// more).
func checkRanks(t *testing.T, s *builtSite) {
	checked := 0
	for name, f := range s.files {
		rc, mc := f.col("Rank"), measure(f)
		if rc < 0 {
			continue
		}
		if mc < 0 {
			t.Errorf("%s: a Rank column but no Openings or Postings to rank by", name)
			continue
		}
		checked++
		groups := map[string][]int{}
		for i, r := range f.rows {
			key := ""
			if strings.HasPrefix(path.Base(name), "by-") {
				key = r[0]
			}
			if r[rc] != "" {
				groups[key] = append(groups[key], i)
			}
		}
		for key, rows := range groups {
			first := slices.MinFunc(rows, func(a, b int) int { return int(f.num(t, a, rc) - f.num(t, b, rc)) })
			for _, a := range rows {
				above := 0
				for _, b := range rows {
					ma, mb, ra, rb := f.num(t, a, mc), f.num(t, b, mc), f.num(t, a, rc), f.num(t, b, rc)
					if mb > ma {
						above++
					}
					if (ma == mb) != (ra == rb) || (ma > mb) != (ra < rb) {
						t.Errorf("%s %s: %s (%s %v, rank %v) and %s (%s %v, rank %v) are ranked out of order",
							name, key, f.rows[a][1], f.header[mc], ma, ra, f.rows[b][1], f.header[mc], mb, rb)
					}
				}
				if f.num(t, first, rc) == 1 && f.num(t, a, rc) != float64(1+above) {
					t.Errorf("%s %s: %v rank %v, but %d rows have more", name, key, f.rows[a], f.header[rc], above)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d data files have ranks", checked)
	}
}

// checkTies: each top list holds every row of the whole list ranked within
// its length (a tie at its end whole), with the whole list's rank; every
// list of roles gives a role the one rank of the list of every role; and a
// list with more rows than its title's number says why (ties included).
func checkTies(t *testing.T, s *builtSite) {
	roles := s.file(t, "roles/roles.csv")
	lists := []struct {
		top, all, label string
		n               float64
	}{
		{"top_roles.csv", "roles/roles.csv", "Role", 10},
		{"roles/top.csv", "roles/roles.csv", "Role", 10},
		{"skills/top.csv", "skills/all.csv", "Skill", 20},
		{"top_locations.csv", "locations/countries.csv", "Country", 5},
		{"locations/top.csv", "locations/countries.csv", "Country", 5},
	}
	for _, l := range lists {
		top, all := s.file(t, l.top), s.file(t, l.all)
		want, got := map[string]string{}, map[string]string{}
		for i, r := range all.rows {
			if r[all.col("Rank")] != "" && all.num(t, i, all.col("Rank")) <= l.n {
				want[r[all.col(l.label)]] = r[all.col("Rank")]
			}
		}
		for _, r := range top.rows {
			got[r[top.col(l.label)]] = r[top.col("Rank")]
		}
		if !mapsEqual(want, got) {
			t.Errorf("%s: %v, but the ranks %v or better of %s are %v", l.top, got, l.n, l.all, want)
		}
	}
	rank := map[string]string{}
	for _, r := range roles.rows {
		rank[r[roles.col("Role")]] = r[roles.col("Rank")]
	}
	for _, name := range []string{"top_roles.csv", "roles/top.csv", "roles/middle.csv", "roles/bottom.csv"} {
		f := s.file(t, name)
		for _, r := range f.rows {
			if role := r[f.col("Role")]; r[f.col("Rank")] != rank[role] {
				t.Errorf("%s: %s ranks %s, and %s in the list of every role", name, role, r[f.col("Rank")], rank[role])
			}
		}
	}
	// The bottom list: the 10 ranked roles with the fewest postings, and
	// every role tied with the tenth from the end.
	bottom, fewest := s.file(t, "roles/bottom.csv").values(t, "Role"), map[string]bool{}
	var ranked []float64
	for i, r := range roles.rows {
		if r[roles.col("Rank")] != "" {
			ranked = append(ranked, roles.num(t, i, roles.col("Postings")))
		}
	}
	slices.Sort(ranked)
	for i, r := range roles.rows {
		if r[roles.col("Rank")] != "" && roles.num(t, i, roles.col("Postings")) <= ranked[min(9, len(ranked)-1)] {
			fewest[r[roles.col("Role")]] = true
		}
	}
	if len(ranked) > 0 && !mapsEqual(bottom, fewest) {
		t.Errorf("roles/bottom.csv: %v, want %v", bottom, fewest)
	}
	// A list longer than its title says says it includes ties.
	number := regexp.MustCompile(`\b(?:top (\d+)|(five|ten|twenty)\b)`)
	words := map[string]int{"five": 5, "ten": 10, "twenty": 20}
	for _, p := range s.pages {
		for _, b := range p.blocks {
			m := number.FindStringSubmatch(b.title)
			if m == nil || strings.Contains(b.title, "ties included") {
				continue
			}
			n, _ := strconv.Atoi(m[1])
			if m[2] != "" {
				n = words[m[2]]
			}
			if rows := len(b.file.rows); rows > n && !strings.HasPrefix(path.Base(b.file.name), "by-") {
				t.Errorf("%s: %q has %d rows and does not say it includes ties", p.name, b.title, rows)
			}
		}
	}
}

func mapsEqual[V comparable](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// checkPlaceKinds: every column of countries holds countries only (no
// "Worldwide", no region), and the pages with the top countries give the
// openings open worldwide and to regions beside them, as many as the table
// of scopes.
func checkPlaceKinds(t *testing.T, s *builtSite) {
	countries := s.file(t, "locations/countries.csv").values(t, "Country")
	regions := s.file(t, "locations/regions.csv").values(t, "Region")
	for name, f := range s.files {
		c := f.col("Country")
		if c < 0 {
			continue
		}
		for _, r := range f.rows {
			if v := r[c]; v == "Worldwide" || regions[v] || !countries[v] {
				t.Errorf("%s: %q in a column of countries", name, v)
			}
		}
	}
	scope := s.file(t, "locations/scope.csv")
	byScope := map[string]int{}
	for i, r := range scope.rows {
		byScope[r[scope.col("Scope")]] = int(scope.num(t, i, scope.col("Openings")))
	}
	for _, page := range []string{"index.html", "locations/index.html"} {
		prose := s.page(t, page).prose
		m := regexp.MustCompile(`(\d+) openings are open worldwide(?: \([^)]*\))?(?:,| and) (\d+)(?: are open)? to a whole region`).FindStringSubmatch(prose)
		if m == nil {
			t.Errorf("%s: does not give the openings open worldwide and to regions beside the countries", page)
			continue
		}
		if m[1] != strconv.Itoa(byScope["Worldwide"]) || m[2] != strconv.Itoa(byScope["Restricted to regions"]) {
			t.Errorf("%s: %s worldwide and %s regional openings, the table of scopes %v", page, m[1], m[2], byScope)
		}
	}
}

// sum adds a column of a data file.
func (f *csvFile) sum(t *testing.T, column string) int {
	t.Helper()
	c, n := f.col(column), 0.0
	if c < 0 {
		t.Fatalf("%s: no column %s", f.name, column)
	}
	for i := range f.rows {
		n += f.num(t, i, c)
	}
	return int(n)
}

// checkReconcile: the counts of the home page and of the Changes page add
// up: open postings before, plus new and back, less gone, are the open
// postings now; openings by kind of place, by scope and by workplace add up
// to all openings; postings per role and those of no role to all postings.
func checkReconcile(t *testing.T, s *builtSite) {
	home := s.page(t, "index.html").prose
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	m := regexp.MustCompile(`(\d+) job offers are open .* the (\d+) open postings hold (\d+) openings`).FindStringSubmatch(home)
	if m == nil {
		t.Fatalf("home page: no open postings and openings in %q", home)
	}
	open, openings := atoi(m[1]), atoi(m[3])
	if atoi(m[2]) != open {
		t.Errorf("home page: %s open postings, then %s", m[1], m[2])
	}
	summary := s.file(t, "changes/summary.csv")
	if len(summary.rows) == 0 {
		t.Error("changes/summary.csv: no source compared with its previous run")
	}
	for i, r := range summary.rows {
		n := func(c string) int { return int(summary.num(t, i, summary.col(c))) }
		if n("Open before")+n("New")+n("Back")-n("Gone") != n("Open") {
			t.Errorf("changes/summary.csv: %v: open before + new + back - gone is not open", r)
		}
	}
	if len(summary.rows) > 0 {
		m := regexp.MustCompile(`So (\d+) open postings become (\d+): (\d+) \+ (\d+) new \+ (\d+) back − (\d+) gone`).FindStringSubmatch(home)
		switch {
		case m == nil:
			t.Errorf("home page: does not reconcile the open postings with the new, back and gone: %q", home)
		case atoi(m[1]) != summary.sum(t, "Open before") || atoi(m[2]) != summary.sum(t, "Open") ||
			atoi(m[4]) != summary.sum(t, "New") || atoi(m[5]) != summary.sum(t, "Back") || atoi(m[6]) != summary.sum(t, "Gone"):
			t.Errorf("home page says %q, the Changes page %v", m[0], summary.rows)
		case atoi(m[1])+atoi(m[4])+atoi(m[5])-atoi(m[6]) != atoi(m[2]):
			t.Errorf("home page: %q does not add up", m[0])
		}
	}
	k := regexp.MustCompile(`(\d+) openings are open worldwide \(anyone, anywhere\), (\d+) are open to a whole region such as Europe or LATAM, (\d+) to named countries only, and (\d+) name no place`).FindStringSubmatch(home)
	if k == nil {
		t.Errorf("home page: no openings by kind of place")
	} else if sum := atoi(k[1]) + atoi(k[2]) + atoi(k[3]) + atoi(k[4]); sum != openings {
		t.Errorf("home page: openings by kind of place add up to %d, not %d", sum, openings)
	}
	for _, name := range []string{"locations/scope.csv", "locations/workplace.csv"} {
		if got := s.file(t, name).sum(t, "Openings"); got != openings {
			t.Errorf("%s: %d openings, the home page %d", name, got, openings)
		}
	}
	roles := s.page(t, "roles/index.html").prose
	u := regexp.MustCompile(`(\d+) of the (\d+) open postings have a title that names no role`).FindStringSubmatch(roles)
	if u == nil {
		t.Fatalf("roles page: no postings without a role")
	}
	if got := s.file(t, "roles/roles.csv").sum(t, "Postings") + atoi(u[1]); got != open || atoi(u[2]) != open {
		t.Errorf("roles page: postings per role and without one add up to %d, %s open, the home page %d", got, u[2], open)
	}
}

// checkSmallN: a median, a share, a lift or a change comes with the number
// of postings it is drawn from, and no chart draws a median of fewer than 5.
func checkSmallN(t *testing.T, s *builtSite) {
	derived := regexp.MustCompile(`^(Median|P\d\d|Share|Lift|Change %)`)
	for _, p := range s.pages {
		for _, b := range p.blocks {
			f := b.file
			var figures []string
			for _, c := range f.header {
				if derived.MatchString(c) {
					figures = append(figures, c)
				}
			}
			if len(figures) == 0 {
				continue
			}
			nc := measure(f)
			if nc < 0 && f.col("Then") < 0 {
				t.Errorf("%s: %q shows %v without the postings they are drawn from", p.name, b.title, figures)
				continue
			}
			if !b.chart || !strings.HasPrefix(figures[0], "Median") {
				continue
			}
			for i, r := range f.rows {
				if f.num(t, i, f.col("Postings")) < 5 {
					t.Errorf("%s: chart %q draws medians of %s postings: %v", p.name, b.title, r[f.col("Postings")], r)
				}
			}
		}
	}
}

// checkMoney: every salary figure is per year and beside its currency, and
// the title of a chart of salaries names both.
func checkMoney(t *testing.T, s *builtSite) {
	money := regexp.MustCompile(`(?i)median|lowest|highest|midpoint|salary`)
	currency := regexp.MustCompile(`^([A-Z]{3}|not stated)$`)
	seen := 0
	for _, p := range s.pages {
		for _, b := range p.blocks {
			f := b.file
			amounts := false
			for _, c := range f.header {
				if money.MatchString(c) {
					amounts = true
					seen++
					if !strings.Contains(c, "per year") {
						t.Errorf("%s: column %q of %s names no period", p.name, c, f.name)
					}
				}
			}
			if !amounts {
				continue
			}
			cc := f.col("Currency")
			if cc < 0 {
				t.Errorf("%s: %q has salaries and no currency", p.name, b.title)
				continue
			}
			for _, r := range f.rows {
				if !currency.MatchString(r[cc]) {
					t.Errorf("%s: currency %q in %s", p.name, r[cc], f.name)
				}
			}
			if !strings.Contains(b.title, "per year") {
				t.Errorf("%s: %q names no period", p.name, b.title)
			}
			if b.chart && !regexp.MustCompile(`\([A-Z]{3}\)`).MatchString(b.title) {
				t.Errorf("%s: chart %q names no currency", p.name, b.title)
			}
		}
	}
	if seen == 0 {
		t.Error("no salary figures found")
	}
}

// terms are the report's terms of art: a page that uses one explains it.
var terms = []struct {
	name      string
	used      func(p *builtPage) bool
	explained *regexp.Regexp
}{
	{"open", func(p *builtPage) bool {
		return usesColumn(p, "Open") || regexp.MustCompile(`\bopen postings\b`).MatchString(p.prose)
	}, regexp.MustCompile(`open while the latest successful run of its source (still )?lists it`)},
	{"openings", func(p *builtPage) bool { return usesColumn(p, "Openings") },
		regexp.MustCompile(`once per (\w+ )?town|one opening per town`)},
	{"lift", func(p *builtPage) bool { return usesColumn(p, "Lift") },
		regexp.MustCompile(`lift is how much more often`)},
	{"scope", func(p *builtPage) bool {
		return regexp.MustCompile(`(?i)\bscope\b`).MatchString(p.prose + blockTitles(p))
	}, regexp.MustCompile(`scope is the widest place`)},
	{"median", func(p *builtPage) bool { return usesColumn(p, "Median") },
		regexp.MustCompile(`half the postings state less, half more`)},
	{"rank", func(p *builtPage) bool { return usesColumn(p, "Rank") },
		regexp.MustCompile(`share a rank`)},
	{"back", func(p *builtPage) bool { return usesColumn(p, "Back") },
		regexp.MustCompile(`(listed again|lists again)`)},
}

// usesColumn reports whether a block of the page shows a column whose name
// starts with prefix.
func usesColumn(p *builtPage, prefix string) bool {
	for _, b := range p.blocks {
		for _, c := range b.file.header {
			if c == prefix || strings.HasPrefix(c, prefix+" ") {
				return true
			}
		}
	}
	return false
}

func blockTitles(p *builtPage) string {
	var titles []string
	for _, b := range p.blocks {
		titles = append(titles, b.title)
	}
	return strings.Join(titles, " ")
}

// checkTerms: each term a page uses is explained in its prose.
func checkTerms(t *testing.T, s *builtSite) {
	for _, p := range s.pages {
		for _, term := range terms {
			if term.used(p) && !term.explained.MatchString(p.prose) {
				t.Errorf("%s: uses %q and does not explain it", p.name, term.name)
			}
		}
	}
}

// checkPeriods: a week with fewer than 7 days of data says so in its
// label, and each day says whether its run fetched every source.
func checkPeriods(t *testing.T, s *builtSite) {
	weekly := s.file(t, "trends/weekly.csv")
	for i, r := range weekly.rows {
		days := int(weekly.num(t, i, weekly.col("Days with data")))
		label := r[weekly.col("Week")]
		if marked := strings.Contains(label, "("+strconv.Itoa(days)+" of 7 days)"); marked != (days < 7) {
			t.Errorf("trends/weekly.csv: week %q has %d days of data", label, days)
		}
	}
	for _, name := range []string{"daily.csv", "trends/daily.csv", "roles/by-role.trend.csv", "locations/by-place.trend.csv", "skills/by-skill.trend.csv"} {
		f := s.file(t, name)
		for v := range f.values(t, "Data") {
			if v != "complete" && !strings.HasPrefix(v, "incomplete") {
				t.Errorf("%s: a day's data is %q", name, v)
			}
		}
	}
}
