package main

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/scrape"
	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/site/publish"
	"github.com/jobpulse/jobpulse/warehouse"
)

// option is one configuration key: it can be set in jobpulse.yaml, as the
// environment variable JOBPULSE_<KEY> (upper case, dots as underscores), and
// as the flag --<key>, each overriding the one before.
type option struct {
	key   string
	def   any // string, bool, int, int64, time.Duration or []string
	usage string
}

func options() []option {
	fetch := ingest.DefaultFetchConfig()
	wh := warehouse.DefaultConfig()
	remotive := ingest.DefaultRemotiveConfig()
	arbeitnow := ingest.DefaultArbeitnowConfig()
	remoteok := ingest.DefaultRemoteOKConfig()
	fakejobs := scrape.FakeJobs()
	build := site.DefaultBuildConfig()
	pub := publish.DefaultConfig()
	return []option{
		{"lake.url", "./data/lake", "the lake: a folder, or s3://bucket/prefix"},
		{"warehouse.url", "", "PostgreSQL connection string (default: $DATABASE_URL, else a server jobpulse starts itself)"},
		{"warehouse.data", wh.DataDir, "data folder of the PostgreSQL server jobpulse starts itself"},
		{"warehouse.database", wh.Database, "database on the PostgreSQL server jobpulse starts itself"},
		{"warehouse.iam_auth", wh.IAMAuth, "connect to Amazon RDS with an IAM authentication token (AWS SDK credentials) instead of a password; needs warehouse.url"},
		{"warehouse.aws_region", wh.AWSRegion, "region the IAM authentication token is signed for (default: the AWS SDK's, e.g. AWS_REGION)"},
		{"sources.remotive.enabled", remotive.Enabled, "collect from the Remotive API"},
		{"sources.remotive.url", remotive.URL, "base URL of the Remotive API"},
		{"sources.remotive.categories", []string{}, "Remotive categories to fetch, one call each (default: all jobs in one call)"},
		{"sources.remotive.min_interval", remotive.MinInterval, "least time between two calls to Remotive (never under 30s on remotive.com)"},
		{"sources.arbeitnow.enabled", arbeitnow.Enabled, "collect from the Arbeitnow API"},
		{"sources.arbeitnow.url", arbeitnow.URL, "base URL of the Arbeitnow API"},
		{"sources.arbeitnow.max_pages", arbeitnow.MaxPages, "pages fetched from Arbeitnow at most in one run"},
		{"sources.arbeitnow.min_interval", arbeitnow.MinInterval, "least time between two calls to Arbeitnow"},
		{"sources.remoteok.enabled", remoteok.Enabled, "collect from the RemoteOK API"},
		{"sources.remoteok.url", remoteok.URL, "base URL of the RemoteOK API"},
		{"sources.remoteok.min_interval", remoteok.MinInterval, "least time between two calls to RemoteOK"},
		{"sources.fakejobs.enabled", fakejobs.Enabled, "scrape the practice job board fake-jobs (built-in scrape profile)"},
		{"sources.fakejobs.url", fakejobs.URL, "start page of the fake-jobs board"},
		{"sources.fakejobs.delay", fakejobs.Delay, "least time between two requests to the fake-jobs board"},
		{"sources.remotive.deadline", ingest.DefaultDeadline, "longest one run may fetch from Remotive, retries included; past it the source fails, keeping what it fetched"},
		{"sources.arbeitnow.deadline", ingest.DefaultDeadline, "longest one run may fetch from Arbeitnow, retries and pages included"},
		{"sources.remoteok.deadline", ingest.DefaultDeadline, "longest one run may fetch from RemoteOK, retries included"},
		{"sources.fakejobs.deadline", fakejobs.Deadline, "longest one crawl of the fake-jobs board may take (a board's key: sources.<board>.deadline)"},
		{"sources.remotive.redirect_hosts", []string{}, "hosts besides the url's that Remotive may redirect to (never a private address but the url's own)"},
		{"sources.arbeitnow.redirect_hosts", []string{}, "hosts besides the url's that Arbeitnow may redirect to"},
		{"sources.remoteok.redirect_hosts", []string{}, "hosts besides the url's that RemoteOK may redirect to"},
		{"fetch.user_agent", fetch.UserAgent, "User-Agent of every request to a source"},
		{"fetch.timeout", fetch.Timeout, "time limit of one request to a source"},
		{"fetch.max_bytes", fetch.MaxBytes, "largest response body kept from a source"},
		{"fetch.retries", fetch.Retries, "retries of a request answered 429 or 5xx"},
		{"fetch.retry_delay", fetch.RetryDelay, "first wait before a retry, doubled each time"},
		{"site.out", build.Out, "folder the site is built into"},
		{"site.content", "", "content folder (default: the embedded report)"},
		{"site.templates", "", "templates folder (default: the embedded templates)"},
		{"site.echarts", "", "path of echarts.min.js (default: the bundle built into jobpulse, else templates/node_modules/echarts/dist)"},
		{"site.base_url", "", "public URL of the site, e.g. https://jobs.example.org/"},
		{"publish.target", "", "where publish copies the site: a folder or s3://bucket/prefix"},
		{"publish.workers", pub.Workers, "uploads publish runs at once"},
		{"publish.max_deletes", pub.MaxDeletes, "most objects one publish may delete (-1: no limit); a plan with more is refused before anything is written"},
		{"publish.gzip", pub.Gzip, "publish text files gzip-compressed with Content-Encoding: gzip (bucket targets)"},
		{"publish.cloudfront_distribution", pub.CloudFrontDistribution, "id of the CloudFront distribution serving the site bucket: after a publish, invalidate the paths it updated or deleted"},
		{"publish.invalidation_limit", pub.InvalidationLimit, "most paths one CloudFront invalidation names; past it the whole target is invalidated with one wildcard (0: always the wildcard)"},
		{"serve.addr", "127.0.0.1:8080", "address serve and demo listen on"},
		{"log.level", "info", "log level: debug, info, warn, error"},
	}
}

// Config is the whole configuration, typed.
type Config struct {
	LakeURL   string
	Warehouse warehouse.Config
	Remotive  ingest.RemotiveConfig
	Arbeitnow ingest.ArbeitnowConfig
	RemoteOK  ingest.RemoteOKConfig
	Scrape    []scrape.Profile // fakejobs and the boards of the configuration, by name
	// Deadlines of the API sources by name (sources.<name>.deadline);
	// a board's is in its profile.
	Deadlines map[string]time.Duration
	// RedirectHosts of the API sources by name (sources.<name>.redirect_hosts).
	RedirectHosts map[string][]string
	Fetch         ingest.FetchConfig
	Site          site.BuildConfig
	Target        string
	Publish       publish.Config // without Source and Target: site.out and publish.target
	ServeAddr     string
	LogLevel      slog.Level
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
		case []string:
			fs.StringSlice(o.key, d, o.usage+" (comma-separated)")
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
			if !slices.Contains(keys, k) && !isBoardKey(k) && !isPublishListKey(k) {
				return Config{}, fmt.Errorf("config: %s: unknown key %q", configPath, k)
			}
		}
	}
	var errs []error
	var err error
	cfg := Config{
		LakeURL: v.GetString("lake.url"),
		Warehouse: warehouse.Config{
			URL:       v.GetString("warehouse.url"),
			DataDir:   v.GetString("warehouse.data"),
			Database:  v.GetString("warehouse.database"),
			IAMAuth:   v.GetBool("warehouse.iam_auth"),
			AWSRegion: v.GetString("warehouse.aws_region"),
		},
		Remotive: ingest.RemotiveConfig{
			Enabled:     v.GetBool("sources.remotive.enabled"),
			URL:         v.GetString("sources.remotive.url"),
			Categories:  stringList(v, "sources.remotive.categories"),
			MinInterval: v.GetDuration("sources.remotive.min_interval"),
		},
		Arbeitnow: ingest.ArbeitnowConfig{
			Enabled:     v.GetBool("sources.arbeitnow.enabled"),
			URL:         v.GetString("sources.arbeitnow.url"),
			MaxPages:    v.GetInt("sources.arbeitnow.max_pages"),
			MinInterval: v.GetDuration("sources.arbeitnow.min_interval"),
		},
		RemoteOK: ingest.RemoteOKConfig{
			Enabled:     v.GetBool("sources.remoteok.enabled"),
			URL:         v.GetString("sources.remoteok.url"),
			MinInterval: v.GetDuration("sources.remoteok.min_interval"),
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
	cfg.Deadlines, cfg.RedirectHosts = map[string]time.Duration{}, map[string][]string{}
	for _, name := range apiSources {
		cfg.Deadlines[name] = v.GetDuration("sources." + name + ".deadline")
		cfg.RedirectHosts[name] = stringList(v, "sources."+name+".redirect_hosts")
		errs = append(errs, ingest.ValidateDeadline(name, cfg.Deadlines[name]), checkHosts(name, cfg.RedirectHosts[name]))
	}
	urlKey := "warehouse.url"
	if cfg.Warehouse.URL == "" {
		cfg.Warehouse.URL, urlKey = os.Getenv("DATABASE_URL"), "DATABASE_URL"
	}
	cfg.Publish, err = publishConfig(v)
	if err != nil {
		errs = append(errs, err)
	}
	cfg.Scrape, err = boards(v)
	if err != nil {
		errs = append(errs, err)
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
	// The connection string and the S3 URLs are checked first, with errors
	// that never show them: they may hold secrets.
	if err := checkWarehouseURL(urlKey, cfg.Warehouse.URL); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, cfg.Warehouse.Validate())
	}
	errs = append(errs, checkS3URL("lake.url", cfg.LakeURL), checkS3URL("publish.target", cfg.Target))
	errs = append(errs, cfg.Remotive.Validate(), cfg.Arbeitnow.Validate(),
		cfg.RemoteOK.Validate(), cfg.Fetch.Validate(), cfg.Site.Validate(), cfg.Publish.ValidateOptions())
	for _, p := range cfg.Scrape {
		errs = append(errs, p.Validate())
	}
	return cfg, errors.Join(errs...)
}

// stringList reads a list key: a YAML list, a comma-separated flag, or a
// comma-separated environment variable.
func stringList(v *viper.Viper, key string) []string {
	var out []string
	for _, item := range v.GetStringSlice(key) {
		for _, s := range strings.Split(item, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// apiSources are the built-in sources fetched with [ingest.Fetcher].
var apiSources = []string{"remotive", "arbeitnow", "remoteok"}

// checkHosts checks the redirect_hosts of source: host names or addresses,
// without scheme, port or path.
func checkHosts(source string, hosts []string) error {
	for _, h := range hosts {
		if h == "" || strings.ContainsAny(h, "/@?# ") || (strings.Contains(h, ":") && !strings.HasPrefix(h, "[") && strings.Count(h, ":") < 2) {
			return fmt.Errorf("config: sources.%s.redirect_hosts: %q is not a host name or address (no scheme, port or path)", source, h)
		}
	}
	return nil
}

// builtinSources are the sources with keys of their own; any other entry
// under sources is a board: a scrape profile of the configuration file.
var builtinSources = []string{"remotive", "arbeitnow", "remoteok", "fakejobs"}

// isBoardKey reports whether key belongs to a board, sources.<board>.*.
func isBoardKey(key string) bool {
	parts := strings.SplitN(key, ".", 3)
	return len(parts) == 3 && parts[0] == "sources" && !slices.Contains(builtinSources, parts[1])
}

// boards returns the scrape profiles: the built-in fakejobs with its keys,
// then every board of the configuration file, sorted by name.
func boards(v *viper.Viper) ([]scrape.Profile, error) {
	fakejobs := scrape.FakeJobs()
	fakejobs.Enabled = v.GetBool("sources.fakejobs.enabled")
	fakejobs.URL = v.GetString("sources.fakejobs.url")
	fakejobs.Delay = v.GetDuration("sources.fakejobs.delay")
	fakejobs.Deadline = v.GetDuration("sources.fakejobs.deadline")
	profiles := []scrape.Profile{fakejobs}
	all := v.GetStringMap("sources")
	for _, name := range slices.Sorted(maps.Keys(all)) {
		if slices.Contains(builtinSources, name) {
			continue
		}
		raw, ok := all[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("config: sources.%s: want a scrape profile (a map of keys), got %T", name, all[name])
		}
		p, err := scrape.DecodeProfile(name, raw)
		if err != nil {
			return nil, err
		}
		profiles = append(profiles, p)
	}
	return profiles, nil
}

// publishListKeys are the publish keys that hold lists of maps, set in
// jobpulse.yaml only (no flag or environment variable).
var publishListKeys = []string{"publish.cache_control", "publish.redirects"}

// isPublishListKey reports whether key is one of publishListKeys or inside
// one.
func isPublishListKey(key string) bool {
	for _, k := range publishListKeys {
		if key == k || strings.HasPrefix(key, k+".") {
			return true
		}
	}
	return false
}

// publishConfig reads the publish.* keys: the options, then the lists
// publish.cache_control ({pattern, value}, first match wins) and
// publish.redirects ({path, to}).
func publishConfig(v *viper.Viper) (publish.Config, error) {
	cfg := publish.DefaultConfig()
	cfg.Workers = v.GetInt("publish.workers")
	cfg.MaxDeletes = v.GetInt("publish.max_deletes")
	cfg.Gzip = v.GetBool("publish.gzip")
	cfg.CloudFrontDistribution = v.GetString("publish.cloudfront_distribution")
	cfg.InvalidationLimit = v.GetInt("publish.invalidation_limit")
	if err := v.UnmarshalKey("publish.cache_control", &cfg.CacheControl); err != nil {
		return cfg, fmt.Errorf("config: publish.cache_control: want a list of {pattern, value}: %w", err)
	}
	if err := v.UnmarshalKey("publish.redirects", &cfg.Redirects); err != nil {
		return cfg, fmt.Errorf("config: publish.redirects: want a list of {path, to}: %w", err)
	}
	return cfg, nil
}

// checkWarehouseURL checks that the connection string raw (from key) parses,
// with an error that does not show it. pgconn masks the password in the
// errors of the usual forms, but not in all ("password = x" with spaces, a
// quoted password holding an escaped quote), and a URL that does not parse
// comes back whole in a *url.Error.
func checkWarehouseURL(key, raw string) error {
	if raw == "" {
		return nil
	}
	_, err := pgxpool.ParseConfig(raw)
	if err == nil {
		return nil
	}
	why := "not a PostgreSQL connection string (keyword=value pairs, or a postgres:// URL)"
	var ue *url.Error
	var pe *pgconn.ParseConfigError
	switch {
	case errors.As(err, &ue):
		return fmt.Errorf("config: %s: %s: the URL does not parse: %w", key, why, ue.Err)
	case errors.As(err, &pe):
		masked := *pe
		masked.ConnString = ""
		return fmt.Errorf("config: %s: %s: %s", key, why, strings.TrimPrefix(masked.Error(), "cannot parse ``: "))
	}
	return fmt.Errorf("config: %s: %s", key, why)
}

// checkS3URL refuses an s3:// URL that holds credentials
// (s3://user:secret@bucket): they would show in logs and errors, and the
// AWS SDK takes credentials from its own chain. The error does not show the
// URL. A bucket name never holds "@" or ":".
func checkS3URL(key, raw string) error {
	rest, ok := strings.CutPrefix(raw, objstore.Scheme)
	if !ok {
		return nil
	}
	if bucket, _, _ := strings.Cut(rest, "/"); strings.ContainsAny(bucket, "@:") {
		return fmt.Errorf("config: %s: the s3:// URL holds \"@\" or \":\" before its first \"/\": a bucket name holds neither, "+
			"and credentials (user:secret@) are not read from the URL: give them to the AWS SDK "+
			"(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile or a role)", key)
	}
	return nil
}
