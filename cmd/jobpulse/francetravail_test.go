package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/pflag"

	"github.com/jobpulse/jobpulse/content"
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/scrape"
	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

const (
	cmdFTClientID = "PAR_jobpulse_test"
	cmdFTSecret   = "ft-Secret-9f8e7d6c5b4a"
)

// realFranceTravail serves the real France Travail capture as the offers
// search, behind a token endpoint that wants the client id cmdFTClientID
// and the secret; a wrong one is refused with a reason that echoes it, as a
// careless server might.
func realFranceTravail(t *testing.T, secret string) *httptest.Server {
	t.Helper()
	body := testenv.RealCapture(t, "francetravail/2025-03.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/token":
			r.ParseForm()
			if r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("client_id") != cmdFTClientID ||
				r.PostForm.Get("client_secret") != secret {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client",
					"error_description": "no client with the secret " + r.PostForm.Get("client_secret")})
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"tok","token_type":"Bearer","expires_in":1499}`)
		case "/partenaire/offresdemploi/v2/offres/search":
			if r.Header.Get("Authorization") != "Bearer tok" || r.URL.Query().Get("range") != "0-149" {
				http.Error(w, `{"message":"refused"}`, http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Range", "offres 0-149/150")
			w.Write(body)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestFranceTravailIngest ingests the real capture through the CLI: the
// client id from a flag, the secret from the environment; the offers are
// loaded, and an offer whose title names no role takes its ROME code's,
// which the warehouse keeps.
func TestFranceTravailIngest(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.URL(t)
	dir := t.TempDir()
	srv := realFranceTravail(t, cmdFTSecret)
	t.Setenv(ingest.FranceTravailSecretEnv, cmdFTSecret)
	out, err := jobpulse(t, "ingest", "--warehouse.url="+dbURL, "--lake.url="+filepath.Join(dir, "lake"),
		"--sources.remotive.enabled=false", "--sources.francetravail.min_interval=0s",
		"--sources.francetravail.url="+srv.URL+"/partenaire/offresdemploi",
		"--sources.francetravail.token_url="+srv.URL+"/token",
		"--sources.francetravail.client_id="+cmdFTClientID)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if n := count(t, conn, "SELECT count(*) FROM listings WHERE source = 'francetravail'"); n != 150 {
		t.Errorf("%d France Travail listings, want the capture's 150", n)
	}
	// "Préparateur matériels (H/F)" names no role; its code I1611
	// (préparation de véhicules) is a skilled trade.
	var role string
	if err := conn.QueryRow(ctx, `SELECT role FROM postings WHERE source = 'francetravail' AND title = 'Préparateur matériels (H/F)'`).Scan(&role); err != nil || role != "Skilled Trades" {
		t.Errorf("role of a posting read from its ROME code: %q, %v; want Skilled Trades", role, err)
	}
	// Its code is kept on the posting; every offer of the capture has one.
	var code string
	if err := conn.QueryRow(ctx, `SELECT occupation_code FROM postings WHERE source = 'francetravail' AND title = 'Préparateur matériels (H/F)'`).Scan(&code); err != nil || code != "rome:I1611" {
		t.Errorf("occupation code of the posting: %q, %v; want rome:I1611", code, err)
	}
	if n := count(t, conn, "SELECT count(*) FROM postings WHERE source = 'francetravail' AND occupation_code IS NULL"); n != 0 {
		t.Errorf("%d France Travail postings without their occupation code, want none", n)
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if strings.Contains(string(b), cmdFTSecret) {
			t.Errorf("%s holds the secret", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFranceTravailWithoutCredentials: without its secret, France Travail
// is left out of a run with a log line, and the other sources run; named,
// it fails saying what is missing.
func TestFranceTravailWithoutCredentials(t *testing.T) {
	dbURL := pgtest.URL(t)
	dir := t.TempDir()
	t.Setenv(ingest.FranceTravailSecretEnv, "")
	common := []string{"--warehouse.url=" + dbURL, "--lake.url=" + filepath.Join(dir, "lake"),
		"--sources.remotive.url=" + realRemotive(t).URL, "--log.level=info"}
	out, err := jobpulse(t, append([]string{"ingest"}, common...)...)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	if !strings.Contains(out, "source not run: no credentials") || !strings.Contains(out, ingest.FranceTravailSecretEnv) {
		t.Errorf("ingest does not say why France Travail was left out:\n%s", out)
	}
	out, err = jobpulse(t, append([]string{"ingest", "--source", "francetravail"}, common...)...)
	if err == nil || !strings.Contains(err.Error(), "no credentials") {
		t.Errorf("ingest --source francetravail without credentials: %v\n%s", err, out)
	}
}

// TestFranceTravailSecretOnlyFromTheEnvironment: the secret is no key of
// jobpulse.yaml (nor a flag), and comes from the environment.
func TestFranceTravailSecretOnlyFromTheEnvironment(t *testing.T) {
	_, _, err := loadWith(t, "sources:\n  francetravail:\n    client_secret: s3cr3t-in-a-file\n", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "sources.francetravail.client_secret") {
		t.Errorf("client_secret in jobpulse.yaml: %v, want it refused", err)
	}
	cfg, _, err := loadWith(t, "", map[string]string{ingest.FranceTravailSecretEnv: cmdFTSecret,
		"JOBPULSE_SOURCES_FRANCETRAVAIL_CLIENT_ID": cmdFTClientID}, nil)
	if err != nil || !cfg.Sources.FranceTravail.HasCredentials() || cfg.Sources.FranceTravail.ClientSecret != cmdFTSecret {
		t.Errorf("credentials from the environment: %v, %+v", err, cfg.Sources.FranceTravail)
	}
	r := newRedactor(cfg, pflag.NewFlagSet("x", pflag.ContinueOnError))
	if got := r.r.Replace("token exchange refused for " + cmdFTSecret); strings.Contains(got, cmdFTSecret) {
		t.Errorf("the redactor leaves the France Travail secret: %s", got)
	}
}

// TestAPISourcesCredited: each source of the code (the boards of a
// configuration aside) is credited on the Sources page with a link, as
// its terms ask.
func TestAPISourcesCredited(t *testing.T) {
	page, err := fs.ReadFile(content.FS, "sources.md")
	if err != nil {
		t.Fatal(err)
	}
	_, credits, ok := strings.Cut(string(page), "## Credits")
	if !ok {
		t.Fatal("content/sources.md has no Credits section")
	}
	named := map[string]string{"remotive": "Remotive", "remoteok": "Remote OK", "arbeitnow": "Arbeitnow", "francetravail": "France Travail"}
	a := &app{cfg: defaultConfig(), logger: slog.New(slog.DiscardHandler)}
	for name := range a.allSources() {
		if slices.ContainsFunc(a.cfg.Scrape, func(p scrape.Profile) bool { return p.Name == name }) || name == "fakejobs" {
			continue
		}
		credit, ok := named[name]
		if !ok {
			t.Errorf("source %s: no credit known to this test: add it to the Sources page's Credits, and here", name)
			continue
		}
		if !strings.Contains(credits, "- **["+credit+"](https://") {
			t.Errorf("the Sources page's Credits do not name and link %s", credit)
		}
	}
}
