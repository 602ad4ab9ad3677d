package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"
	"github.com/spf13/pflag"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestSecretsNeverShow runs the jobpulse binary through its commands, on
// success and on failure, with distinctive secrets: the database password
// (in DATABASE_URL, in warehouse.url, in PGPASSWORD, right and wrong), AWS
// secret keys and session tokens (right and wrong), credentials written in
// the lake and publish URLs, and the France Travail client secret (right,
// and wrong with a server that echoes it). No secret may show in what jobpulse prints
// (standard output and error, the --json summary, debug logs, the errors),
// in the site it builds and publishes, in the lake, or in what the warehouse
// records about runs.
func TestSecretsNeverShow(t *testing.T) {
	ctx := context.Background()
	bin := filepath.Join(t.TempDir(), "jobpulse")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// Each secret carries a marker of its own, which no encoding changes
	// (hex digits), so that URL-encoded, quoted or JSON-escaped forms are
	// caught too, and a leak says which secret it is.
	secrets := map[string]string{}
	secret := func(name string) string {
		b := make([]byte, 8)
		rand.Read(b)
		m := "M" + hex.EncodeToString(b)
		secrets[m] = name
		return "Pw:@/?#%& '\"\\" + m
	}
	dbPass, wrongPass, pgPass := secret("database password"), secret("wrong database password"), secret("PGPASSWORD")
	awsWrong, awsToken := secret("wrong AWS secret key"), secret("AWS session token")
	lakeCred, publishCred := secret("password in lake.url"), secret("password in publish.target")
	ftSecret, ftWrong := secret("France Travail client secret"), secret("wrong France Travail client secret")
	dbPlain := strings.TrimLeft(dbPass, "Pw:@/?#%& '\"\\") // a password for keyword forms, without quotes or spaces

	// A role of the test database whose password is the secret.
	adminURL := pgtest.URL(t)
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Two roles: one known by its password in the URL, one by PGPASSWORD.
	role := "jobpulse_secret_" + strings.ToLower(dbPlain[len(dbPlain)-8:])
	for r, pw := range map[string]string{role: dbPass, role + "_pg": pgPass} {
		var create string
		if err := admin.QueryRow(ctx, "SELECT format('CREATE ROLE %I LOGIN SUPERUSER PASSWORD %L', $1::text, $2::text)",
			r, pw).Scan(&create); err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(ctx, create); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ($1, $2)", role, role+"_pg")
		admin.Exec(ctx, `DROP ROLE IF EXISTS "`+role+`"`)
		admin.Exec(ctx, `DROP ROLE IF EXISTS "`+role+`_pg"`)
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatal(err)
	}
	withUser := func(user string, pw *string) string {
		v := *u
		if pw == nil {
			v.User = url.User(user)
		} else {
			v.User = url.UserPassword(user, *pw)
		}
		return v.String()
	}
	dbURL, wrongURL, pgURL := withUser(role, &dbPass), withUser(role, &wrongPass), withUser(role+"_pg", nil)
	unreachable := "postgres://" + url.UserPassword(role, dbPass).String() + "@127.0.0.1:1/jobpulse?connect_timeout=5"
	port, dbname := u.Port(), strings.TrimPrefix(u.Path, "/")

	s3srv := s3test.Start(t)
	s3srv.Setenv(t)
	lakeBucket, siteBucket := s3srv.NewBucket(t, "lake"), s3srv.NewBucket(t, "site")
	secrets[s3test.SecretKey] = "AWS secret key"

	source := realRemotive(t)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "upstream down", http.StatusInternalServerError)
	}))
	defer failing.Close()

	franceTravail := realFranceTravail(t, ftSecret)
	ftFlags := []string{"--sources.francetravail.min_interval=0s", "--sources.francetravail.client_id=" + cmdFTClientID,
		"--sources.francetravail.url=" + franceTravail.URL + "/partenaire/offresdemploi",
		"--sources.francetravail.token_url=" + franceTravail.URL + "/token"}

	dir := t.TempDir()
	folderLake, s3Lake := filepath.Join(dir, "lake"), "s3://"+lakeBucket+"/jobpulse"
	common := []string{"--log.level=debug", "--fetch.retries=0", "--sources.remotive.url=" + source.URL,
		"--site.out=" + filepath.Join(dir, "public"), "--site.echarts=" + echartsPath(t)}
	wrongAWS := []string{"AWS_SECRET_ACCESS_KEY=" + awsWrong, "AWS_SESSION_TOKEN=" + awsToken}
	tests := []struct {
		name string
		args []string
		env  []string
		fail bool
	}{
		{name: "ingest --json, password in DATABASE_URL", args: []string{"ingest", "--json", "--lake.url=" + folderLake},
			env: []string{"DATABASE_URL=" + dbURL}},
		{name: "run --json, password in warehouse.url, S3 lake and target",
			args: []string{"run", "--json", "--warehouse.url=" + dbURL, "--lake.url=" + s3Lake, "--publish.target=s3://" + siteBucket}},
		{name: "build", args: []string{"build", "--warehouse.url=" + dbURL}},
		{name: "publish --json --dry-run", args: []string{"publish", "--json", "--dry-run", "--publish.target=s3://" + siteBucket}},
		{name: "replay --json", args: []string{"replay", "--json", "--warehouse.url=" + dbURL, "--lake.url=" + s3Lake}},
		{name: "password in PGPASSWORD", args: []string{"ingest", "--json", "--warehouse.url=" + pgURL, "--lake.url=" + folderLake},
			env: []string{"PGPASSWORD=" + pgPass}},
		{name: "a failing source", args: []string{"ingest", "--json", "--warehouse.url=" + dbURL, "--lake.url=" + s3Lake,
			"--sources.remotive.url=" + failing.URL}, fail: true},
		{name: "wrong password", args: []string{"ingest", "--json", "--warehouse.url=" + wrongURL, "--lake.url=" + folderLake}, fail: true},
		{name: "wrong password in DATABASE_URL, run", args: []string{"run", "--json", "--lake.url=" + folderLake},
			env: []string{"DATABASE_URL=" + wrongURL}, fail: true},
		{name: "wrong PGPASSWORD", args: []string{"build", "--warehouse.url=" + pgURL}, env: []string{"PGPASSWORD=" + wrongPass}, fail: true},
		{name: "unreachable database", args: []string{"ingest", "--json", "--warehouse.url=" + unreachable}, fail: true},
		{name: "migrate, wrong password", args: []string{"migrate", "--warehouse.url=" + wrongURL}, fail: true},
		{name: "URL that does not parse", args: []string{"build", "--warehouse.url=postgres://" + role + ":" + dbPlain + "@127.0.0.1:port/x"}, fail: true},
		{name: "URL with a bad option", args: []string{"build", "--warehouse.url=" + dbURL + "&sslmode=sideways"}, fail: true},
		{name: "keyword form, bad port", args: []string{"build",
			"--warehouse.url=host=127.0.0.1 port=x user=" + role + " password=" + dbPlain + " dbname=" + dbname}, fail: true},
		{name: "keyword form, spaces around =", args: []string{"build",
			"--warehouse.url=host=127.0.0.1 port=x user=" + role + " password = " + dbPlain + " dbname=" + dbname}, fail: true},
		{name: "keyword form, quoted", args: []string{"build",
			`--warehouse.url=host=127.0.0.1 port=x password='a b\' ` + dbPlain + `' dbname=` + dbname}, fail: true},
		{name: "keyword form, wrong password", args: []string{"build",
			"--warehouse.url=host=127.0.0.1 port=" + port + " user=" + role + " password=" + dbPlain + "x dbname=" + dbname}, fail: true},
		{name: "S3 lake, wrong AWS secret and a session token", args: []string{"ingest", "--json", "--warehouse.url=" + dbURL,
			"--lake.url=" + s3Lake}, env: wrongAWS, fail: true},
		{name: "S3 publish, wrong AWS secret", args: []string{"publish", "--json", "--publish.target=s3://" + siteBucket},
			env: wrongAWS, fail: true},
		{name: "S3 publish --dry-run, wrong AWS secret", args: []string{"publish", "--json", "--dry-run",
			"--publish.target=s3://" + siteBucket}, env: wrongAWS, fail: true},
		{name: "run, wrong AWS secret", args: []string{"run", "--json", "--warehouse.url=" + dbURL, "--lake.url=" + folderLake,
			"--publish.target=s3://" + siteBucket}, env: wrongAWS, fail: true},
		{name: "credentials in lake.url", args: []string{"ingest", "--json", "--warehouse.url=" + dbURL,
			"--lake.url=s3://" + url.UserPassword("AKIA", lakeCred).String() + "@" + lakeBucket + "/x"}, fail: true},
		{name: "credentials in lake.url, from the environment", args: []string{"ingest", "--json", "--warehouse.url=" + dbURL},
			env: []string{"JOBPULSE_LAKE_URL=s3://AKIA:" + lakeCred + "@" + lakeBucket}, fail: true},
		{name: "iam-policy, user of warehouse.url", args: []string{"iam-policy", "--warehouse.url=" + dbURL,
			"--warehouse.iam_auth", "--db-resource-id=db-ABC", "--lake=" + s3Lake}},
		{name: "credentials in iam-policy --lake", args: []string{"iam-policy",
			"--lake=s3://" + url.UserPassword("AKIA", lakeCred).String() + "@" + lakeBucket}, fail: true},
		{name: "credentials in publish --target", args: []string{"publish", "--json",
			"--target=s3://AKIA:" + publishCred + "@" + siteBucket}, fail: true},
		{name: "France Travail, secret in the environment", args: append([]string{"ingest", "--json", "--warehouse.url=" + dbURL,
			"--lake.url=" + folderLake}, ftFlags...), env: []string{ingest.FranceTravailSecretEnv + "=" + ftSecret}},
		{name: "France Travail, wrong secret echoed by the server", args: append([]string{"ingest", "--json", "--source=francetravail",
			"--warehouse.url=" + dbURL, "--lake.url=" + s3Lake}, ftFlags...), env: []string{ingest.FranceTravailSecretEnv + "=" + ftWrong},
			fail: true},
		{name: "credentials in publish.target", args: []string{"publish", "--json",
			"--publish.target=s3://" + url.UserPassword("AKIA", publishCred).String() + "@" + siteBucket}, fail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, append(slices.Clone(offline), append(common, tt.args...)...)...)
			cmd.Env = append(os.Environ(), "DATABASE_URL=", "PGPASSWORD=", "JOBPULSE_LAKE_URL=", ingest.FranceTravailSecretEnv+"=")
			cmd.Env = append(cmd.Env, tt.env...)
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if (err != nil) != tt.fail {
				t.Errorf("err = %v, want failure %v\nstdout:\n%s\nstderr:\n%s", err, tt.fail, stdout.String(), stderr.String())
			}
			checkNoSecret(t, secrets, "standard output", stdout.String())
			checkNoSecret(t, secrets, "standard error", stderr.String())
		})
	}

	// The in-process command returns the error that main prints.
	for _, args := range [][]string{
		{"ingest", "--json", "--warehouse.url=" + wrongURL, "--lake.url=" + folderLake},
		{"build", "--warehouse.url=host=127.0.0.1 port=x password = " + dbPlain},
	} {
		out, err := jobpulse(t, append(common, args...)...)
		if err == nil {
			t.Errorf("%s: no error", args[0])
			continue
		}
		checkNoSecret(t, secrets, args[0]+" error", err.Error())
		checkNoSecret(t, secrets, args[0]+" output", out)
	}

	// What jobpulse wrote: the site, the folder lake, the buckets, and what
	// the warehouse keeps about runs.
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		checkNoSecret(t, secrets, p, p+"\n"+string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	client := s3srv.Client(t)
	for _, bucket := range []string{lakeBucket, siteBucket} {
		list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Contents) == 0 {
			t.Errorf("bucket %s is empty: the runs wrote nothing", bucket)
		}
		for _, obj := range list.Contents {
			o, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: obj.Key})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(o.Body)
			o.Body.Close()
			checkNoSecret(t, secrets, "s3://"+bucket+"/"+*obj.Key, fmt.Sprint(*obj.Key, o.Metadata, string(b)))
		}
	}
	var runs string
	if err := admin.QueryRow(ctx, `SELECT concat_ws(E'\n', (SELECT string_agg(r::text, E'\n') FROM runs r),
		(SELECT string_agg(s::text, E'\n') FROM run_sources s), (SELECT string_agg(j::text, E'\n') FROM rejects j))`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, secrets, "the warehouse's runs", runs)
}

// checkNoSecret reports every secret (by its marker) that text shows.
func checkNoSecret(t *testing.T, secrets map[string]string, where, text string) {
	t.Helper()
	for marker, name := range secrets {
		if i := strings.Index(text, marker); i >= 0 {
			from, to := max(0, i-120), min(len(text), i+len(marker)+40)
			t.Errorf("%s shows the %s: ...%s...", where, name, text[from:to])
		}
	}
}

// TestRedactor checks the last line of defence on its own: the secrets it
// finds, and the forms it masks them in.
func TestRedactor(t *testing.T) {
	const pw = `s3cr:t@/ "x'\`
	tests := []struct {
		name, url, env string
		text, want     string
	}{
		{name: "URL, as written", url: "postgres://u:" + url.PathEscape(pw) + "@h/db", text: "pw=" + pw, want: "pw=xxxxx"},
		{name: "URL, escaped", url: "postgres://u:" + url.PathEscape(pw) + "@h/db", text: "postgres://u:" + url.PathEscape(pw) + "@h",
			want: "postgres://u:xxxxx@h"},
		{name: "URL, quoted", url: "postgres://u:" + url.PathEscape(pw) + "@h/db", text: fmt.Sprintf("%q", pw), want: `"xxxxx"`},
		{name: "URL, in JSON", url: "postgres://u:" + url.PathEscape(pw) + "@h/db", text: `{"error":"` + jsonInner(pw) + `"}`,
			want: `{"error":"xxxxx"}`},
		{name: "URL that does not parse", url: "postgres://u:longsecret@h:port/db", text: "a longsecret b", want: "a xxxxx b"},
		{name: "keyword, spaces around =", url: "host=h port=x password = longsecret", text: "longsecret", want: "xxxxx"},
		{name: "keyword, quoted", url: `host=h password='long \' secret'`, text: "long ' secret", want: "xxxxx"},
		{name: "password query parameter", url: "postgres://h/db?password=longsecret", text: "longsecret", want: "xxxxx"},
		{name: "PGPASSWORD", env: "longsecret", text: "longsecret", want: "xxxxx"},
		{name: "short secret left alone", url: "postgres://u:abc@h/db", text: "abc abc", want: "abc abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("PGPASSWORD", tt.env)
			t.Setenv("DATABASE_URL", "")
			var cfg Config
			cfg.Warehouse.URL = tt.url
			r := newRedactor(cfg, pflag.NewFlagSet("x", pflag.ContinueOnError))
			var buf bytes.Buffer
			fmt.Fprint(r.writer(&buf), tt.text)
			if got := buf.String(); got != tt.want {
				t.Errorf("writer: %q, want %q", got, tt.want)
			}
			if err := r.error(errors.New(tt.text)); err.Error() != tt.want {
				t.Errorf("error: %q, want %q", err, tt.want)
			}
		})
	}
}
