package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/warehouse"
)

// option is one configuration key: it can be set in jobpulse.yaml, as the
// environment variable JOBPULSE_<KEY> (upper case, dots as underscores), and
// as the flag --<key>, each overriding the one before.
type option struct {
	key   string
	def   any // string, bool, int, int64 or time.Duration
	usage string
}

func options() []option {
	fetch := ingest.DefaultFetchConfig()
	wh := warehouse.DefaultConfig()
	remotive := ingest.DefaultRemotiveConfig()
	build := site.DefaultBuildConfig()
	return []option{
		{"lake.url", "./data/lake", "the lake: a folder, or s3://bucket/prefix"},
		{"warehouse.url", "", "PostgreSQL connection string (default: $DATABASE_URL, else a server jobpulse starts itself)"},
		{"warehouse.data", wh.DataDir, "data folder of the PostgreSQL server jobpulse starts itself"},
		{"warehouse.database", wh.Database, "database on the PostgreSQL server jobpulse starts itself"},
		{"sources.remotive.enabled", remotive.Enabled, "collect from the Remotive API"},
		{"sources.remotive.url", remotive.URL, "base URL of the Remotive API"},
		{"fetch.user_agent", fetch.UserAgent, "User-Agent of every request to a source"},
		{"fetch.timeout", fetch.Timeout, "time limit of one request to a source"},
		{"fetch.max_bytes", fetch.MaxBytes, "largest response body kept from a source"},
		{"fetch.retries", fetch.Retries, "retries of a request answered 429 or 5xx"},
		{"fetch.retry_delay", fetch.RetryDelay, "first wait before a retry, doubled each time"},
		{"site.out", build.Out, "folder the site is built into"},
		{"site.content", "", "content folder (default: the embedded report)"},
		{"site.templates", "", "templates folder (default: the embedded templates)"},
		{"site.echarts", "", "path of echarts.min.js (default: templates/node_modules/echarts/dist)"},
		{"site.base_url", "", "public URL of the site, e.g. https://jobs.example.org/"},
		{"publish.target", "", "where publish copies the site: a folder or s3://bucket/prefix"},
		{"serve.addr", "127.0.0.1:8080", "address serve and demo listen on"},
		{"log.level", "info", "log level: debug, info, warn, error"},
	}
}

// Config is the whole configuration, typed.
type Config struct {
	LakeURL   string
	Warehouse warehouse.Config
	Remotive  ingest.RemotiveConfig
	Fetch     ingest.FetchConfig
	Site      site.BuildConfig
	Target    string
	ServeAddr string
	LogLevel  slog.Level
}

// registerFlags adds a flag for every option.
func registerFlags(fs *pflag.FlagSet) {
	for _, o := range options() {
		switch d := o.def.(type) {
		case string:
			fs.String(o.key, d, o.usage)
		case bool:
			fs.Bool(o.key, d, o.usage)
		case int:
			fs.Int(o.key, d, o.usage)
		case int64:
			fs.Int64(o.key, d, o.usage)
		case time.Duration:
			fs.Duration(o.key, d, o.usage)
		default:
			panic(fmt.Sprintf("option %s: unsupported default %T", o.key, d))
		}
	}
}

// loadConfig reads the configuration: the file (configPath, or jobpulse.yaml
// in the working folder when present), then JOBPULSE_* variables, then the
// flags that were set.
func loadConfig(configPath string, fs *pflag.FlagSet) (Config, error) {
	v := viper.New()
	v.SetEnvPrefix("JOBPULSE")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	keys := make([]string, 0, len(options()))
	for _, o := range options() {
		keys = append(keys, o.key)
		v.SetDefault(o.key, o.def)
		if f := fs.Lookup(o.key); f != nil {
			if err := v.BindPFlag(o.key, f); err != nil {
				return Config{}, fmt.Errorf("config: flag --%s: %w", o.key, err)
			}
		}
	}
	if configPath == "" {
		if _, err := os.Stat("jobpulse.yaml"); err == nil {
			configPath = "jobpulse.yaml"
		}
	}
	if configPath != "" {
		v.SetConfigFile(configPath)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", configPath, err)
		}
		for _, k := range v.AllKeys() {
			if !slices.Contains(keys, k) {
				return Config{}, fmt.Errorf("config: %s: unknown key %q", configPath, k)
			}
		}
	}
	var errs []error
	cfg := Config{
		LakeURL: v.GetString("lake.url"),
		Warehouse: warehouse.Config{
			URL:      v.GetString("warehouse.url"),
			DataDir:  v.GetString("warehouse.data"),
			Database: v.GetString("warehouse.database"),
		},
		Remotive: ingest.RemotiveConfig{
			Enabled: v.GetBool("sources.remotive.enabled"),
			URL:     v.GetString("sources.remotive.url"),
		},
		Fetch: ingest.FetchConfig{
			UserAgent:  v.GetString("fetch.user_agent"),
			Timeout:    v.GetDuration("fetch.timeout"),
			MaxBytes:   v.GetInt64("fetch.max_bytes"),
			Retries:    v.GetInt("fetch.retries"),
			RetryDelay: v.GetDuration("fetch.retry_delay"),
		},
		Site: site.BuildConfig{
			Out:       v.GetString("site.out"),
			Content:   v.GetString("site.content"),
			Templates: v.GetString("site.templates"),
			ECharts:   v.GetString("site.echarts"),
			BaseURL:   v.GetString("site.base_url"),
		},
		Target:    v.GetString("publish.target"),
		ServeAddr: v.GetString("serve.addr"),
	}
	if cfg.Warehouse.URL == "" {
		cfg.Warehouse.URL = os.Getenv("DATABASE_URL")
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(v.GetString("log.level"))); err != nil {
		errs = append(errs, fmt.Errorf("config: log.level: %q is not one of debug, info, warn, error", v.GetString("log.level")))
	}
	if cfg.LakeURL == "" {
		errs = append(errs, errors.New("config: lake.url: must not be empty"))
	}
	if cfg.ServeAddr == "" {
		errs = append(errs, errors.New("config: serve.addr: must not be empty"))
	}
	errs = append(errs, cfg.Warehouse.Validate(), cfg.Remotive.Validate(), cfg.Fetch.Validate(), cfg.Site.Validate())
	return cfg, errors.Join(errs...)
}
