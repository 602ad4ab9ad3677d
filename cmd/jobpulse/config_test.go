package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// keyTests gives, for every configuration key, three valid values (for the
// file, the environment and the flag) and how to read the key back from
// [Config].
var keyTests = map[string]struct {
	values [3]string
	get    func(Config) any
}{
	"lake.url":                         {[3]string{"/f", "/e", "s3://lake-b/p"}, func(c Config) any { return c.Lake.URL }},
	"warehouse.url":                    {[3]string{"postgres://f/db", "postgres://e/db", "postgres://g/db"}, func(c Config) any { return c.Warehouse.URL }},
	"warehouse.iam_auth":               {[3]string{"true", "false", "true"}, func(c Config) any { return c.Warehouse.IAMAuth }},
	"warehouse.aws_region":             {[3]string{"eu-west-1", "us-east-1", "eu-central-1"}, func(c Config) any { return c.Warehouse.AWSRegion }},
	"warehouse.data":                   {[3]string{"/f", "/e", "/g"}, func(c Config) any { return c.Warehouse.DataDir }},
	"warehouse.database":               {[3]string{"f", "e", "g"}, func(c Config) any { return c.Warehouse.Database }},
	"sources.remotive.enabled":         {[3]string{"false", "true", "false"}, func(c Config) any { return c.Sources.Remotive.Enabled }},
	"sources.remotive.url":             {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Sources.Remotive.URL }},
	"sources.remotive.categories":      {[3]string{"a", "b", "c,d"}, func(c Config) any { return strings.Join(c.Sources.Remotive.Categories, ",") }},
	"sources.remotive.min_interval":    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Sources.Remotive.MinInterval }},
	"sources.arbeitnow.enabled":        {[3]string{"false", "true", "false"}, func(c Config) any { return c.Sources.Arbeitnow.Enabled }},
	"sources.arbeitnow.url":            {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Sources.Arbeitnow.URL }},
	"sources.arbeitnow.max_pages":      {[3]string{"1", "2", "3"}, func(c Config) any { return c.Sources.Arbeitnow.MaxPages }},
	"sources.arbeitnow.min_interval":   {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Sources.Arbeitnow.MinInterval }},
	"sources.remoteok.enabled":         {[3]string{"false", "true", "false"}, func(c Config) any { return c.Sources.RemoteOK.Enabled }},
	"sources.remoteok.url":             {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Sources.RemoteOK.URL }},
	"sources.remoteok.min_interval":    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Sources.RemoteOK.MinInterval }},
	"sources.remotive.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Sources.Remotive.Deadline }},
	"sources.arbeitnow.deadline":       {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Sources.Arbeitnow.Deadline }},
	"sources.remoteok.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Sources.RemoteOK.Deadline }},
	"sources.fakejobs.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Scrape[0].Deadline }},
	"sources.remotive.redirect_hosts":  {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.Sources.Remotive.RedirectHosts, ",") }},
	"sources.arbeitnow.redirect_hosts": {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.Sources.Arbeitnow.RedirectHosts, ",") }},
	"sources.remoteok.redirect_hosts":  {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.Sources.RemoteOK.RedirectHosts, ",") }},
	"sources.fakejobs.enabled":         {[3]string{"true", "false", "true"}, func(c Config) any { return c.Scrape[0].Enabled }},
	"sources.fakejobs.url":             {[3]string{"http://f/", "http://e/", "http://127.0.0.1:9/"}, func(c Config) any { return c.Scrape[0].URL }},
	"sources.fakejobs.delay":           {[3]string{"1ms", "2ms", "3ms"}, func(c Config) any { return c.Scrape[0].Delay }},
	"boards.list":                      {[3]string{"greenhouse a", "lever b", "ashby c,workable d"}, func(c Config) any { return strings.Join(c.Boards.List, ",") }},
	"boards.file":                      {[3]string{"testdata/boards-f.txt", "testdata/boards-e.txt", "testdata/boards-g.txt"}, func(c Config) any { return c.Boards.File }},
	"boards.min_interval":              {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Boards.MinInterval }},
	"boards.deadline":                  {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Boards.Deadline }},
	"boards.max_pages":                 {[3]string{"1", "2", "3"}, func(c Config) any { return c.Boards.MaxPages }},
	"boards.max_details":               {[3]string{"0", "2", "3"}, func(c Config) any { return c.Boards.MaxDetails }},
	"boards.url.greenhouse":            {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Greenhouse }},
	"boards.url.lever":                 {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Lever }},
	"boards.url.ashby":                 {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Ashby }},
	"boards.url.smartrecruiters":       {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.SmartRecruiters }},
	"boards.url.recruitee":             {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Recruitee }},
	"boards.url.workable":              {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Workable }},
	"boards.url.personio":              {[3]string{"http://f/{board}", "http://e/{board}", "http://127.0.0.1:9/{board}"}, func(c Config) any { return c.Boards.URL.Personio }},
	"fetch.user_agent":                 {[3]string{"f", "e", "g"}, func(c Config) any { return c.Fetch.UserAgent }},
	"fetch.timeout":                    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Fetch.Timeout }},
	"fetch.max_bytes":                  {[3]string{"10", "20", "30"}, func(c Config) any { return c.Fetch.MaxBytes }},
	"fetch.retries":                    {[3]string{"1", "2", "0"}, func(c Config) any { return c.Fetch.Retries }},
	"fetch.retry_delay":                {[3]string{"1ms", "2ms", "3ms"}, func(c Config) any { return c.Fetch.RetryDelay }},
	"fetch.concurrency":                {[3]string{"1", "2", "30"}, func(c Config) any { return c.Fetch.Concurrency }},
	"site.out":                         {[3]string{"/f", "/e", "/g"}, func(c Config) any { return c.Site.Out }},
	"site.content":                     {[3]string{".", "..", "../.."}, func(c Config) any { return c.Site.Content }},
	"site.templates":                   {[3]string{".", "..", "../.."}, func(c Config) any { return c.Site.Templates }},
	"site.echarts":                     {[3]string{"config.go", "main.go", "root.go"}, func(c Config) any { return c.Site.ECharts }},
	"site.base_url":                    {[3]string{"https://f/", "https://e/", "https://g/"}, func(c Config) any { return c.Site.BaseURL }},
	"publish.target":                   {[3]string{"/f", "s3://site-e", "s3://site-g/p"}, func(c Config) any { return c.Publish.Target }},
	"publish.workers":                  {[3]string{"1", "2", "3"}, func(c Config) any { return c.Publish.Workers }},
	"publish.max_deletes":              {[3]string{"-1", "0", "7"}, func(c Config) any { return c.Publish.MaxDeletes }},
	"publish.gzip":                     {[3]string{"true", "false", "true"}, func(c Config) any { return c.Publish.Gzip }},
	"publish.cloudfront_distribution":  {[3]string{"E1F", "E2E", "E3G"}, func(c Config) any { return c.Publish.CloudFrontDistribution }},
	"publish.invalidation_limit":       {[3]string{"0", "10", "3000"}, func(c Config) any { return c.Publish.InvalidationLimit }},
	"serve.addr":                       {[3]string{"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"}, func(c Config) any { return c.Serve.Addr }},
	"log.level":                        {[3]string{"debug", "warn", "error"}, func(c Config) any { return c.Log.SlogLevel().String() }},

	"sources.francetravail.enabled":              {[3]string{"false", "true", "false"}, func(c Config) any { return c.Sources.FranceTravail.Enabled }},
	"sources.francetravail.url":                  {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Sources.FranceTravail.URL }},
	"sources.francetravail.token_url":            {[3]string{"http://f/t?realm=%2Fp", "http://e/t", "http://127.0.0.1:9/t"}, func(c Config) any { return c.Sources.FranceTravail.TokenURL }},
	"sources.francetravail.client_id":            {[3]string{"PAR_a", "PAR_b", "PAR_c"}, func(c Config) any { return c.Sources.FranceTravail.ClientID }},
	"sources.francetravail.scope":                {[3]string{"a", "b", "c d"}, func(c Config) any { return c.Sources.FranceTravail.Scope }},
	"sources.francetravail.departements":         {[3]string{"75", "13", "2A,971"}, func(c Config) any { return strings.Join(c.Sources.FranceTravail.Departements, ",") }},
	"sources.francetravail.query":                {[3]string{"codeROME=M1805", "typeContrat=CDI", "motsCles=go&sort=1"}, func(c Config) any { return c.Sources.FranceTravail.Query }},
	"sources.francetravail.published_since_days": {[3]string{"1", "7", "31"}, func(c Config) any { return c.Sources.FranceTravail.PublishedSinceDays }},
	"sources.francetravail.max_pages":            {[3]string{"1", "2", "9999"}, func(c Config) any { return c.Sources.FranceTravail.MaxPages }},
	"sources.francetravail.min_interval":         {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Sources.FranceTravail.MinInterval }},
	"sources.francetravail.deadline":             {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Sources.FranceTravail.Deadline }},
}

// norm turns a configured value into what the Config field holds.
func norm(key, v string, got any) string {
	switch got.(type) {
	case time.Duration:
		d, _ := time.ParseDuration(v)
		return d.String()
	}
	if key == "log.level" {
		return strings.ToUpper(v)
	}
	return v
}

func TestEveryKeyFromFileEnvAndFlag(t *testing.T) {
	for _, o := range options() {
		if _, ok := keyTests[o.key]; !ok {
			t.Errorf("option %s has no test values in keyTests", o.key)
		}
	}
	for key, kt := range keyTests {
		t.Run(key, func(t *testing.T) {
			t.Setenv("DATABASE_URL", "")
			if key == "warehouse.iam_auth" { // valid only with a server to sign for
				t.Setenv("DATABASE_URL", "postgres://jobpulse@db.example.org:5432/jobpulse")
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "jobpulse.yaml")
			// A nested YAML document for the dotted key.
			parts := strings.Split(key, ".")
			var yaml strings.Builder
			for i, p := range parts {
				yaml.WriteString(strings.Repeat("  ", i) + p + ":")
				if i < len(parts)-1 {
					yaml.WriteString("\n")
				}
			}
			fmt.Fprintf(&yaml, " %q\n", kt.values[0])
			if err := os.WriteFile(file, []byte(yaml.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			env := "JOBPULSE_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
			steps := []struct {
				name string
				env  bool
				flag bool
				want string
			}{
				{"file", false, false, kt.values[0]},
				{"env over file", true, false, kt.values[1]},
				{"flag over env", true, true, kt.values[2]},
			}
			for _, s := range steps {
				if s.env {
					t.Setenv(env, kt.values[1])
				}
				fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
				registerFlags(fs)
				var args []string
				if s.flag {
					args = []string{"--" + key + "=" + kt.values[2]}
				}
				if err := fs.Parse(args); err != nil {
					t.Fatalf("%s: parse flags: %v", s.name, err)
				}
				cfg, err := loadConfig(file, fs)
				if err != nil {
					t.Fatalf("%s: loadConfig: %v", s.name, err)
				}
				got := kt.get(cfg)
				if fmt.Sprint(got) != norm(key, s.want, got) {
					t.Errorf("%s: %s = %v, want %v", s.name, key, got, s.want)
				}
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     map[string]string
		wantErr string
	}{
		{name: "unknown key in file", yaml: "lake:\n  uri: /x\n", wantErr: `unknown key "lake.uri"`},
		{name: "bad log level", env: map[string]string{"JOBPULSE_LOG_LEVEL": "loud"}, wantErr: "log.level"},
		{name: "bad remotive url", env: map[string]string{"JOBPULSE_SOURCES_REMOTIVE_URL": "ftp://x"}, wantErr: "sources.remotive.url"},
		{name: "negative retries", env: map[string]string{"JOBPULSE_FETCH_RETRIES": "-1"}, wantErr: "fetch.retries"},
		{name: "empty lake", yaml: "lake:\n  url: \"\"\n", wantErr: "lake.url"},
		{name: "bad distribution", env: map[string]string{"JOBPULSE_PUBLISH_CLOUDFRONT_DISTRIBUTION": "arn:aws:cloudfront::1:distribution/E1"}, wantErr: "publish.cloudfront_distribution"},
		{name: "invalidation limit too high", env: map[string]string{"JOBPULSE_PUBLISH_INVALIDATION_LIMIT": "5000"}, wantErr: "publish.invalidation_limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := loadWith(t, tt.yaml, tt.env, nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("loadConfig error = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

func TestDatabaseURLFallback(t *testing.T) {
	t.Setenv("DATABASE_URL", "postgres://from-env/db")
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	registerFlags(fs)
	cfg, err := loadConfig("", fs)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Warehouse.URL != "postgres://from-env/db" {
		t.Errorf("warehouse URL = %q, want DATABASE_URL's", cfg.Warehouse.URL)
	}
	t.Setenv("JOBPULSE_WAREHOUSE_URL", "postgres://explicit/db")
	cfg, err = loadConfig("", fs)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Warehouse.URL != "postgres://explicit/db" {
		t.Errorf("warehouse URL = %q, want warehouse.url over DATABASE_URL", cfg.Warehouse.URL)
	}
}

func TestBoardProfileFromFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "jobpulse.yaml")
	yaml := `sources:
  myboard:
    enabled: true
    url: http://127.0.0.1:9/jobs/
    item: li.job
    fields:
      title: h2
      company: {selector: .company}
    delay: 2s
`
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	registerFlags(fs)
	cfg, err := loadConfig(file, fs)
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if len(cfg.Scrape) != 2 || cfg.Scrape[0].Name != "fakejobs" || cfg.Scrape[1].Name != "myboard" {
		t.Fatalf("boards = %+v, want fakejobs and myboard", cfg.Scrape)
	}
	b := cfg.Scrape[1]
	if !b.Enabled || b.Item != "li.job" || b.Fields["title"].Selector != "h2" || b.Fields["company"].Selector != ".company" || b.Delay != 2*time.Second {
		t.Errorf("myboard = %+v", b)
	}

	if err := os.WriteFile(file, []byte(strings.Replace(yaml, "item:", "itme:", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadConfig(file, fs); err == nil || !strings.Contains(err.Error(), "itme") {
		t.Errorf("a misspelt board key: err = %v, want one naming it", err)
	}
}

// TestConfigRefused checks that a value that cannot work is refused when the
// configuration is read, by an error that names its key and where it was
// set (FILE stands for the configuration file), and says it once.
func TestConfigRefused(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		env   map[string]string
		flags []string
		want  []string
	}{
		{name: "short bucket in the file", yaml: "lake:\n  url: s3://ab/lake\n",
			want: []string{`config: lake.url: `, `bucket name "ab" must be 3 to 63 characters`, "(set in FILE)"}},
		{name: "upper-case bucket from the environment", env: map[string]string{"JOBPULSE_LAKE_URL": "s3://Jobs/lake"},
			want: []string{`config: lake.url: `, `bucket name "Jobs": invalid character 'J'`, "(set by the environment variable JOBPULSE_LAKE_URL)"}},
		{name: "IP address bucket from a flag", flags: []string{"--lake.url=s3://192.168.5.4/lake"},
			want: []string{`config: lake.url: `, "is an IP address", "(set by the flag --lake.url)"}},
		{name: "two dots in a bucket", env: map[string]string{"JOBPULSE_LAKE_URL": "s3://jobs..lake"},
			want: []string{`config: lake.url: `, "two dots in a row", "JOBPULSE_LAKE_URL"}},
		{name: "lake prefix out of the bucket", flags: []string{"--lake.url=s3://jobs/a/../../b"},
			want: []string{`config: lake.url: `, `prefix must not contain ".."`, "--lake.url"}},
		{name: "credentials in the lake URL", env: map[string]string{"JOBPULSE_LAKE_URL": "s3://key:s3cr3t-value@jobs/lake"},
			want: []string{`config: lake.url: the s3:// URL holds "@" or ":"`, "JOBPULSE_LAKE_URL"}},
		{name: "reserved bucket prefix for the site", flags: []string{"--publish.target=s3://xn--site"},
			want: []string{`config: publish.target: `, `starts with "xn--"`, "(set by the flag --publish.target)"}},
		{name: "site bucket with an underscore in the file", yaml: "publish:\n  target: s3://my_site/www\n",
			want: []string{`config: publish.target: `, `bucket name "my_site"`, "(set in FILE)"}},
		{name: "a number that is no number", env: map[string]string{"JOBPULSE_FETCH_RETRIES": "three"},
			want: []string{`config: fetch.retries: "three": cannot parse`, "JOBPULSE_FETCH_RETRIES"}},
		{name: "a duration that is no duration", yaml: "fetch:\n  timeout: soon\n",
			want: []string{`config: fetch.timeout: "soon": `, "invalid duration", "(set in FILE)"}},
		{name: "a bool that is no bool", env: map[string]string{"JOBPULSE_PUBLISH_GZIP": "maybe"},
			want: []string{`config: publish.gzip: "maybe": `, "JOBPULSE_PUBLISH_GZIP"}},
		{name: "zero timeout", flags: []string{"--fetch.timeout=0s"},
			want: []string{"config: fetch.timeout: 0s must be positive", "(set by the flag --fetch.timeout)"}},
		{name: "too many pages", yaml: "sources:\n  arbeitnow:\n    max_pages: 10000\n",
			want: []string{"config: sources.arbeitnow.max_pages: 10000 is not between 1 and 9999", "(set in FILE)"}},
		{name: "no worker", env: map[string]string{"JOBPULSE_PUBLISH_WORKERS": "0"},
			want: []string{"publish.workers: 0 is not between 1 and 256", "JOBPULSE_PUBLISH_WORKERS"}},
		{name: "invalidation limit past CloudFront's", flags: []string{"--publish.invalidation_limit=3001"},
			want: []string{"publish.invalidation_limit: 3001 is not between 0 and 3000", "--publish.invalidation_limit"}},
		{name: "no deadline", env: map[string]string{"JOBPULSE_SOURCES_REMOTIVE_DEADLINE": "0s"},
			want: []string{"config: sources.remotive.deadline: 0s must be positive", "JOBPULSE_SOURCES_REMOTIVE_DEADLINE"}},
		{name: "serve address without a port", env: map[string]string{"JOBPULSE_SERVE_ADDR": "localhost"},
			want: []string{`config: serve.addr: "localhost" is not host:port`, "JOBPULSE_SERVE_ADDR"}},
		{name: "unknown log level", flags: []string{"--log.level=loud"},
			want: []string{`config: log.level: "loud" is not one of`, "(set by the flag --log.level)"}},
		{name: "IAM without a server", env: map[string]string{"JOBPULSE_WAREHOUSE_IAM_AUTH": "true"},
			want: []string{"warehouse.iam_auth: true needs warehouse.url", "(set by the environment variable JOBPULSE_WAREHOUSE_IAM_AUTH)"}},
		{name: "a board's misspelt key", yaml: "sources:\n  myboard:\n    url: http://127.0.0.1:9/\n    itme: li\n",
			want: []string{"config: sources.myboard: ", "itme", "(set in FILE)"}},
		{name: "a list from the environment", env: map[string]string{"JOBPULSE_PUBLISH_REDIRECTS": "/a:/b"},
			want: []string{"config: publish.redirects: set by the environment variable JOBPULSE_PUBLISH_REDIRECTS, but a list is read from jobpulse.yaml only"}},
		{name: "a bad cache rule", yaml: "publish:\n  cache_control:\n    - {pattern: \"[\", value: no-store}\n",
			want: []string{`site: publish.cache_control[0]: pattern "[" is not a glob`, "(set in FILE)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DATABASE_URL", "")
			_, file, err := loadWith(t, tt.yaml, tt.env, tt.flags)
			if err == nil {
				t.Fatalf("loadConfig: no error, want one saying %q", tt.want)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if w = strings.ReplaceAll(w, "FILE", file); !strings.Contains(msg, w) {
					t.Errorf("loadConfig error lacks %q:\n%s", w, msg)
				}
			}
			if n := strings.Count(msg, "\n") + 1; n != 1 && !strings.Contains(tt.name, "board") {
				t.Errorf("loadConfig: %d errors, want the one:\n%s", n, msg)
			}
			if strings.Contains(msg, "s3cr3t") {
				t.Errorf("the error shows the secret of the URL:\n%s", msg)
			}
		})
	}
}

// loadWith reads the configuration from a file holding yaml (none when
// empty), the variables env and the flags given; it returns the file's path.
func loadWith(t *testing.T, yaml string, env map[string]string, flags []string) (Config, string, error) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	file := ""
	if yaml != "" {
		file = filepath.Join(t.TempDir(), "jobpulse.yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	registerFlags(fs)
	if err := fs.Parse(flags); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(file, fs)
	return cfg, file, err
}
