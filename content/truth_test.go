package content_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/ingest/scrape"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// rawJob is one record of a real capture, read straight from the raw bytes
// without jobpulse's parsers.
type rawJob struct {
	source, id, title, company, location, description string
}

// realJobs reads the three real captures (Remotive, Remote OK, the fake-jobs
// board) with encoding/json and goquery: a path of its own, so that what the
// report says can be checked against it.
func realJobs(t *testing.T) []rawJob {
	t.Helper()
	read := func(name string) []byte { return testenv.RealCapture(t, name) }
	var jobs []rawJob

	var remotive struct {
		Jobs []struct {
			ID       json.Number `json:"id"`
			Title    string      `json:"title"`
			Company  string      `json:"company_name"`
			Location string      `json:"candidate_required_location"`
			Desc     string      `json:"description"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(read("remotive/remote-jobs.json"), &remotive); err != nil {
		t.Fatal(err)
	}
	for _, j := range remotive.Jobs {
		jobs = append(jobs, rawJob{"remotive", j.ID.String(), j.Title, j.Company, j.Location, j.Desc})
	}

	var remoteok []struct {
		ID       any    `json:"id"`
		Position string `json:"position"`
		Company  string `json:"company"`
		Location string `json:"location"`
		Desc     string `json:"description"`
	}
	if err := json.Unmarshal(read("remoteok/api.json"), &remoteok); err != nil {
		t.Fatal(err)
	}
	for _, j := range remoteok[1:] { // element 0 is the legal notice
		jobs = append(jobs, rawJob{"remoteok", fmt.Sprint(j.ID), latin1Twice(j.Position), latin1Twice(j.Company), latin1Twice(j.Location), latin1Twice(j.Desc)})
	}

	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(read("fake-jobs/index.html")))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("div.card-content").Each(func(i int, card *goquery.Selection) {
		jobs = append(jobs, rawJob{"fakejobs", fmt.Sprint(i), strings.TrimSpace(card.Find("h2.title").Text()),
			strings.TrimSpace(card.Find("h3.company").Text()), strings.TrimSpace(card.Find("p.location").Text()), ""})
	})
	return jobs
}

// latin1Twice undoes UTF-8 that was read as Latin-1 and encoded again, as
// Remote OK serves many strings ("GdaÅ\u0084sk" for "Gdańsk"; its parser
// repairs them too): when every rune is a Latin-1 byte and those bytes are
// UTF-8 with some multi-byte sequence, they are the text.
func latin1Twice(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return s
		}
		b = append(b, byte(r))
	}
	if !utf8.Valid(b) || utf8.RuneCount(b) == len(b) {
		return s
	}
	return string(b)
}

// jobPlace is where a job may be done, as content/method.md defines it:
// what its location text names; where that names no place, what its
// description names, and where it names one, what the start of its
// description adds (its first 500 bytes, as the README gives); and the
// countries its title names by name, unless the job is open worldwide.
func jobPlace(j rawJob) normalize.Location {
	loc := normalize.ParseLocation(j.location)
	desc := normalize.PlainText(j.description)
	switch {
	case desc == "" || loc.Scope == normalize.ScopeWorldwide:
	case loc.Scope == normalize.ScopeUnknown:
		if d := normalize.TextPlace(desc); d.Scope != normalize.ScopeUnknown {
			loc.Scope, loc.Countries, loc.Regions = d.Scope, d.Countries, d.Regions
		}
	default:
		if d := normalize.TextPlace(normalize.TextHead(desc, 500)); d.Scope != normalize.ScopeUnknown && d.Scope != normalize.ScopeWorldwide {
			loc.Countries = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(loc.Countries), d.Countries...))))
			loc.Regions = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(loc.Regions), d.Regions...))))
			loc.Scope = normalize.ScopeCountry
			if len(loc.Regions) > 0 {
				loc.Scope = normalize.ScopeRegion
			}
		}
	}
	if t := normalize.TitlePlace(j.title); t.Scope != normalize.ScopeUnknown && loc.Scope != normalize.ScopeWorldwide {
		loc.Countries = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(loc.Countries), t.Countries...))))
		if len(loc.Regions) == 0 {
			loc.Scope = normalize.ScopeCountry
		}
	}
	return loc
}

// truth is what the report must say, computed from the raw captures.
type truth struct {
	read, rejected map[string]int // records per source
	postings       int            // distinct postings
	openings       int            // their openings
	companies      int            // distinct companies (company keys)
	companyOpen    map[string]int // openings per company key
	roles          map[string]int // postings per role
	places         map[string]int // openings per place (country code, region, "Worldwide")
	placePostings  map[string]int // postings per place
}

// computeTruth counts the distinct jobs of the captures as the report
// defines them (see content/method.md): a record without a title cannot be
// read; records with the same fingerprint are one posting, whose openings
// are its records at the source with most of them (records of one source
// and id once); spellings of a company with one key are one company.
func computeTruth(jobs []rawJob) truth {
	tr := truth{read: map[string]int{}, rejected: map[string]int{}, roles: map[string]int{}, places: map[string]int{},
		placePostings: map[string]int{}, companyOpen: map[string]int{}}
	type posting struct {
		role     string
		company  string // key
		loc      normalize.Location
		listings map[string]map[string]bool // source: ids
	}
	var order []string
	byKey, companies := map[string]*posting{}, map[string]bool{}
	for _, j := range jobs {
		if strings.TrimSpace(j.title) == "" {
			tr.rejected[j.source]++
			continue
		}
		tr.read[j.source]++
		loc := jobPlace(j)
		key := normalize.Fingerprint(j.company, j.title, loc)
		if key == "" {
			key = j.source + "\x00" + j.id
		}
		p := byKey[key]
		if p == nil {
			// The role as content/method.md reads it: from the title,
			// unless the start of the description names the work (these
			// captures carry no occupation codes).
			role, _ := normalize.Title(j.title)
			role = normalize.DescriptionRole(normalize.PlainText(j.description), role, false)
			_, company := normalize.Company(j.company)
			p = &posting{role: role, company: company, loc: loc, listings: map[string]map[string]bool{}}
			byKey[key] = p
			order = append(order, key)
		}
		if p.listings[j.source] == nil {
			p.listings[j.source] = map[string]bool{}
		}
		p.listings[j.source][j.id] = true
	}
	for _, key := range order {
		p := byKey[key]
		openings := 0
		for _, ids := range p.listings {
			openings = max(openings, len(ids))
		}
		tr.postings++
		tr.openings += openings
		if p.company != "" {
			companies[p.company] = true
			tr.companyOpen[p.company] += openings
		}
		if p.role != "" {
			tr.roles[p.role]++
		}
		var places []string
		places = append(places, p.loc.Countries...)
		places = append(places, p.loc.Regions...)
		if p.loc.Scope == normalize.ScopeWorldwide {
			places = append(places, "Worldwide")
		}
		for _, pl := range places {
			tr.places[pl] += openings
			tr.placePostings[pl]++
		}
	}
	tr.companies = len(companies)
	return tr
}

// TestReportTruth ingests the real captures of every source, builds the
// embedded report, and checks its key figures (postings, top roles, top
// places, every role's and country's count, records read and rejected per
// source) against the same figures computed from the raw captures above.
func TestReportTruth(t *testing.T) {
	echarts := installedECharts(t)
	jobs := realJobs(t)
	want := computeTruth(jobs)
	if want.postings < 100 || len(want.roles) < 5 || want.rejected["remoteok"] == 0 {
		t.Fatalf("the captures give too little to check: %+v", want)
	}

	pool := pgtest.New(t)
	ctx := context.Background()
	ingestCaptures(t, ctx, pool, testenv.RealCaptureDir(t, "."))
	cfg := site.DefaultBuildConfig()
	cfg.Out = filepath.Join(t.TempDir(), "public")
	cfg.ECharts = echarts
	if _, err := site.Build(ctx, pool, cfg, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("build: %v", err)
	}
	names := countryNames(t, pool)
	place := func(p string) string { return cmp.Or(names[p], p) }

	home := readPage(t, cfg.Out, "index.html")
	t.Run("open postings", func(t *testing.T) {
		text := home.text()
		for _, s := range []string{fmt.Sprintf("%d job offers are open", want.postings), fmt.Sprintf("from %d companies", want.companies)} {
			if !strings.Contains(text, s) {
				t.Errorf("home page does not say %q", s)
			}
		}
	})
	t.Run("top roles", func(t *testing.T) {
		checkTop(t, home.table(t, "top_roles"), "Postings", want.roles, want.postings, 10, func(s string) string { return s })
	})
	t.Run("top places", func(t *testing.T) {
		// Countries only: offers open worldwide or to a region are
		// counted beside the list.
		countries := map[string]int{}
		for p, n := range want.places {
			if len(p) == 2 && strings.ToUpper(p) == p {
				countries[p] = n
			}
		}
		checkTop(t, home.table(t, "top_locations"), "Openings", countries, want.openings, 5, place)
	})
	t.Run("top companies", func(t *testing.T) {
		// Each company under the one name the site gives it: the name
		// has the company's key.
		got := readPage(t, cfg.Out, "companies/index.html").table(t, "top")
		names := map[string]string{}
		for _, r := range got.Rows {
			name := r[got.label()].(string)
			_, key := normalize.Company(name)
			if names[key] != "" {
				t.Errorf("%q and %q are one company, listed twice", names[key], name)
			}
			names[key] = name
		}
		checkTop(t, got, "Openings", want.companyOpen, want.openings, 20, func(k string) string { return cmp.Or(names[k], k) })
	})
	t.Run("every role", func(t *testing.T) {
		got := readPage(t, cfg.Out, "roles/index.html").table(t, "roles")
		checkAll(t, got, "Postings", want.roles, func(s string) string { return s })
	})
	t.Run("every country", func(t *testing.T) {
		countries, postings := map[string]int{}, map[string]int{}
		for p, n := range want.places {
			if len(p) == 2 && strings.ToUpper(p) == p {
				countries[p], postings[p] = n, want.placePostings[p]
			}
		}
		got := readPage(t, cfg.Out, "locations/index.html").table(t, "countries")
		checkAll(t, got, "Openings", countries, place)
		checkAll(t, got, "Postings", postings, place)
	})
	t.Run("per source", func(t *testing.T) {
		runs := readPage(t, cfg.Out, "sources/index.html").table(t, "runs")
		src, read, rejected := runs.col(t, "Source"), runs.col(t, "Postings read"), runs.col(t, "Rejected")
		got := map[string][2]int{}
		for _, r := range runs.Rows {
			got[r[src].(string)] = [2]int{toInt(r[read]), toInt(r[rejected])}
		}
		for _, s := range []string{"remotive", "remoteok", "fakejobs"} {
			if w := [2]int{want.read[s], want.rejected[s]}; got[s] != w {
				t.Errorf("%s: read, rejected = %v on the site, %v in the capture", s, got[s], w)
			}
		}
	})
}

// ingestCaptures serves the captures on 127.0.0.1 as the sources publish
// them and runs one ingest of all three into pool, as `jobpulse ingest` does.
func ingestCaptures(t *testing.T, ctx context.Context, pool *pgxpool.Pool, fixtures string) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /remotive/api/remote-jobs", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(fixtures, "remotive", "remote-jobs.json"))
	})
	mux.HandleFunc("GET /remoteok/api", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(fixtures, "remoteok", "api.json"))
	})
	mux.Handle("GET /fake-jobs/", http.StripPrefix("/fake-jobs/", http.FileServer(http.Dir(filepath.Join(fixtures, "fake-jobs")))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	logger := slog.New(slog.DiscardHandler)
	fetcher := ingest.NewFetcher(ingest.DefaultFetchConfig(), srv.Client(), logger)
	board := scrape.FakeJobs()
	board.Enabled, board.URL, board.Delay = true, srv.URL+"/fake-jobs/", time.Millisecond
	sources := []ingest.Source{
		ingest.NewRemotive(ingest.RemotiveConfig{Enabled: true, URL: srv.URL + "/remotive"}, fetcher),
		ingest.NewRemoteOK(ingest.RemoteOKConfig{Enabled: true, URL: srv.URL + "/remoteok"}, fetcher),
		scrape.New(board, ingest.DefaultFetchConfig(), logger),
	}
	lake, err := ingest.NewFolderLake(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now().UTC()
	run := warehouse.Run{ID: warehouse.NewRunID(started), StartedAt: started}
	bySource := map[string]ingest.Source{}
	for i, r := range ingest.Fetch(ctx, lake, sources, run.ID, started, nil, logger) {
		if r.Err != nil {
			t.Fatalf("fetch %s: %v", r.Source, r.Err)
		}
		bySource[r.Source] = sources[i]
		run.Sources = append(run.Sources, warehouse.SourceRun{Source: r.Source, Status: warehouse.SourceOK, Pages: len(r.Keys), LakeKeys: r.Keys})
	}
	run.FinishedAt = time.Now().UTC()
	if _, _, err := warehouse.LoadStream(ctx, pool, ingest.ReadRun(lake, bySource, run, nil)); err != nil {
		t.Fatalf("load: %v", err)
	}
}

// countryNames reads the English country names the report shows for codes.
func countryNames(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT code, name FROM countries")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			t.Fatal(err)
		}
		names[code] = name
	}
	return names
}

// checkTop checks a top-n table (label, count column, Share %): the labels
// whose count is at least the n-th greatest (n rows, or all there are, and
// more when labels tie with the n-th: a tie is listed whole), each with the
// count the captures give and its share of total, in order of count, and no
// label left out that has as great a count as the last row. Ties are
// ordered by the database's collation, which the test does not second-guess.
func checkTop(t *testing.T, got *tableData, column string, want map[string]int, total, n int, label func(string) string) {
	t.Helper()
	byLabel := map[string]int{}
	for k, v := range want {
		byLabel[label(k)] += v
	}
	counts := slices.Sorted(maps.Values(byLabel))
	slices.Reverse(counts)
	rows := 0
	for _, c := range counts {
		if c >= counts[min(n, len(counts))-1] {
			rows++
		}
	}
	if len(got.Rows) != rows {
		t.Errorf("%d rows, want %d", len(got.Rows), rows)
	}
	postings, share := got.col(t, column), got.col(t, "Share %")
	listed, last := map[string]bool{}, math.MaxInt
	for _, r := range got.Rows {
		name, c := r[got.label()].(string), toInt(r[postings])
		listed[name] = true
		if c != byLabel[name] {
			t.Errorf("%s: %s %d on the site, %d in the captures", name, column, c, byLabel[name])
		}
		if c > last {
			t.Errorf("%s: %s %d after a row of %d: not in order", name, column, c, last)
		}
		last = c
		if s, w := r[share].(float64), math.Round(1000*float64(c)/float64(total))/10; s != w {
			t.Errorf("%s: share %v%% on the site, %v%% from the captures", name, s, w)
		}
	}
	for name, c := range byLabel {
		if !listed[name] && c >= last {
			t.Errorf("%s (%s %d) is missing from the top %d", name, column, c, n)
		}
	}
}

// checkAll checks a table of every label with its count (first column the
// label, the count in column) against want.
func checkAll(t *testing.T, got *tableData, column string, want map[string]int, label func(string) string) {
	t.Helper()
	w := map[string]int{}
	for k, v := range want {
		w[label(k)] += v
	}
	g := map[string]int{}
	counts := got.col(t, column)
	for _, r := range got.Rows {
		g[r[got.label()].(string)] = toInt(r[counts])
	}
	for k := range w {
		if g[k] != w[k] {
			t.Errorf("%s: %s %d on the site, %d in the captures", k, column, g[k], w[k])
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("%s: %s %d on the site, none in the captures", k, column, g[k])
		}
	}
}

// page is a built page.
type page struct {
	out, name, html string // the site's folder, the page's path in it, its HTML
}

func readPage(t *testing.T, out, name string) page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return page{out, name, string(b)}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is the page's text without markup, white space collapsed.
func (p page) text() string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(p.html, " "))), " ")
}

// tableData is a query's whole result as its data files hold it.
type tableData struct {
	Columns []string
	Rows    [][]any // numbers as float64, NULL as nil
}

// table returns the result of query name of the page, read from its data
// files, which one of the page's blocks must link to: the columns from the
// CSV file's header, the rows from the JSON file. The files are beside the
// page, or, for a by: query of a templated page, beside the pages' folder
// ("../by-place.companies.json", every page's rows): then only the rows of
// the page's own entity (whose name makes the page's folder) are kept.
func (p page) table(t *testing.T, name string) *tableData {
	t.Helper()
	dir := filepath.Join(p.out, filepath.Dir(filepath.FromSlash(p.name)))
	base, by := filepath.Join(dir, name), ""
	if !strings.Contains(p.html, `href="`+name+`.json"`) {
		m := regexp.MustCompile(`href="\.\./by-([a-z_]+)\.` + regexp.QuoteMeta(name) + `\.json"`).FindStringSubmatch(p.html)
		if m == nil {
			t.Fatalf("%s: no block links to the data files of query %s", p.name, name)
		}
		base, by = filepath.Join(filepath.Dir(dir), "by-"+m[1]+"."+name), m[1]
	}
	f, err := os.Open(base + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatalf("%s.csv: %v", base, err)
	}
	b, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var objects []map[string]any
	if err := json.Unmarshal(b, &objects); err != nil {
		t.Fatalf("%s.json: %v", base, err)
	}
	d := &tableData{Columns: header}
	for _, o := range objects {
		if by != "" {
			if v, _ := o[by].(string); slugOf(v) != filepath.Base(dir) {
				continue
			}
		}
		row := make([]any, len(header))
		for i, c := range header {
			v, ok := o[c]
			if !ok {
				t.Fatalf("%s.json: a row has no %q", base, c)
			}
			row[i] = v
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// slugOf is a name as the site makes it a folder: lower case, runs of
// anything but ASCII letters and digits as one hyphen (enough for the
// test data's names).
func slugOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// label returns the index of the column that names a row: the first but
// Rank.
func (d *tableData) label() int {
	if len(d.Columns) > 1 && d.Columns[0] == "Rank" {
		return 1
	}
	return 0
}

// col returns the index of a column.
func (d *tableData) col(t *testing.T, name string) int {
	t.Helper()
	i := slices.Index(d.Columns, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, d.Columns)
	}
	return i
}

func toInt(v any) int {
	f, _ := v.(float64)
	return int(f)
}
