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
	"lake.url":                         {[3]string{"/f", "/e", "s3://b/p"}, func(c Config) any { return c.LakeURL }},
	"warehouse.url":                    {[3]string{"postgres://f/db", "postgres://e/db", "postgres://g/db"}, func(c Config) any { return c.Warehouse.URL }},
	"warehouse.iam_auth":               {[3]string{"true", "false", "true"}, func(c Config) any { return c.Warehouse.IAMAuth }},
	"warehouse.aws_region":             {[3]string{"eu-west-1", "us-east-1", "eu-central-1"}, func(c Config) any { return c.Warehouse.AWSRegion }},
	"warehouse.data":                   {[3]string{"/f", "/e", "/g"}, func(c Config) any { return c.Warehouse.DataDir }},
	"warehouse.database":               {[3]string{"f", "e", "g"}, func(c Config) any { return c.Warehouse.Database }},
	"sources.remotive.enabled":         {[3]string{"false", "true", "false"}, func(c Config) any { return c.Remotive.Enabled }},
	"sources.remotive.url":             {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Remotive.URL }},
	"sources.remotive.categories":      {[3]string{"a", "b", "c,d"}, func(c Config) any { return strings.Join(c.Remotive.Categories, ",") }},
	"sources.remotive.min_interval":    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Remotive.MinInterval }},
	"sources.arbeitnow.enabled":        {[3]string{"false", "true", "false"}, func(c Config) any { return c.Arbeitnow.Enabled }},
	"sources.arbeitnow.url":            {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.Arbeitnow.URL }},
	"sources.arbeitnow.max_pages":      {[3]string{"1", "2", "3"}, func(c Config) any { return c.Arbeitnow.MaxPages }},
	"sources.arbeitnow.min_interval":   {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Arbeitnow.MinInterval }},
	"sources.remoteok.enabled":         {[3]string{"false", "true", "false"}, func(c Config) any { return c.RemoteOK.Enabled }},
	"sources.remoteok.url":             {[3]string{"http://f", "http://e", "http://127.0.0.1:9"}, func(c Config) any { return c.RemoteOK.URL }},
	"sources.remoteok.min_interval":    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.RemoteOK.MinInterval }},
	"sources.remotive.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Deadlines["remotive"] }},
	"sources.arbeitnow.deadline":       {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Deadlines["arbeitnow"] }},
	"sources.remoteok.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Deadlines["remoteok"] }},
	"sources.fakejobs.deadline":        {[3]string{"1m", "2m", "3m"}, func(c Config) any { return c.Scrape[0].Deadline }},
	"sources.remotive.redirect_hosts":  {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.RedirectHosts["remotive"], ",") }},
	"sources.arbeitnow.redirect_hosts": {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.RedirectHosts["arbeitnow"], ",") }},
	"sources.remoteok.redirect_hosts":  {[3]string{"a.example", "b.example", "c.example,d.example"}, func(c Config) any { return strings.Join(c.RedirectHosts["remoteok"], ",") }},
	"sources.fakejobs.enabled":         {[3]string{"true", "false", "true"}, func(c Config) any { return c.Scrape[0].Enabled }},
	"sources.fakejobs.url":             {[3]string{"http://f/", "http://e/", "http://127.0.0.1:9/"}, func(c Config) any { return c.Scrape[0].URL }},
	"sources.fakejobs.delay":           {[3]string{"1ms", "2ms", "3ms"}, func(c Config) any { return c.Scrape[0].Delay }},
	"fetch.user_agent":                 {[3]string{"f", "e", "g"}, func(c Config) any { return c.Fetch.UserAgent }},
	"fetch.timeout":                    {[3]string{"1s", "2s", "3s"}, func(c Config) any { return c.Fetch.Timeout }},
	"fetch.max_bytes":                  {[3]string{"10", "20", "30"}, func(c Config) any { return c.Fetch.MaxBytes }},
	"fetch.retries":                    {[3]string{"1", "2", "0"}, func(c Config) any { return c.Fetch.Retries }},
	"fetch.retry_delay":                {[3]string{"1ms", "2ms", "3ms"}, func(c Config) any { return c.Fetch.RetryDelay }},
	"site.out":                         {[3]string{"/f", "/e", "/g"}, func(c Config) any { return c.Site.Out }},
	"site.content":                     {[3]string{".", "..", "../.."}, func(c Config) any { return c.Site.Content }},
	"site.templates":                   {[3]string{".", "..", "../.."}, func(c Config) any { return c.Site.Templates }},
	"site.echarts":                     {[3]string{"config.go", "main.go", "root.go"}, func(c Config) any { return c.Site.ECharts }},
	"site.base_url":                    {[3]string{"https://f/", "https://e/", "https://g/"}, func(c Config) any { return c.Site.BaseURL }},
	"publish.target":                   {[3]string{"/f", "s3://e", "s3://g/p"}, func(c Config) any { return c.Target }},
	"publish.workers":                  {[3]string{"1", "2", "3"}, func(c Config) any { return c.Publish.Workers }},
	"publish.max_deletes":              {[3]string{"-1", "0", "7"}, func(c Config) any { return c.Publish.MaxDeletes }},
	"publish.gzip":                     {[3]string{"true", "false", "true"}, func(c Config) any { return c.Publish.Gzip }},
	"publish.cloudfront_distribution":  {[3]string{"E1F", "E2E", "E3G"}, func(c Config) any { return c.Publish.CloudFrontDistribution }},
	"publish.invalidation_limit":       {[3]string{"0", "10", "3000"}, func(c Config) any { return c.Publish.InvalidationLimit }},
	"serve.addr":                       {[3]string{"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"}, func(c Config) any { return c.ServeAddr }},
	"log.level":                        {[3]string{"debug", "warn", "error"}, func(c Config) any { return c.LogLevel.String() }},
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
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			file := ""
			if tt.yaml != "" {
				file = filepath.Join(t.TempDir(), "jobpulse.yaml")
				if err := os.WriteFile(file, []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			registerFlags(fs)
			_, err := loadConfig(file, fs)
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
