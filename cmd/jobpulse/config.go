package main

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/ingest"
	companyboards "github.com/jobpulse/jobpulse/ingest/boards"
	"github.com/jobpulse/jobpulse/ingest/scrape"
	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/site/publish"
	"github.com/jobpulse/jobpulse/warehouse"
)

// Config is the whole configuration, typed, and the one declaration of its
// keys. A field's mapstructure tag names a section or a key (the path of
// tags: lake.url, sources.remotive.min_interval), its doc tag is the key's
// help text, and its value in [defaultConfig] is the key's default; from
// these come the flags, the JOBPULSE_* variables, the defaults of viper and
// the --help listings (see config_keys.go). viper fills a Config with
// Unmarshal, and [Config.validate] refuses what cannot work. The sections
// of a stage are that stage's own structs, tagged where they are declared
// and checked by their own Validate.
type Config struct {
	Lake      LakeConfig           `mapstructure:"lake"`
	Warehouse warehouse.Config     `mapstructure:"warehouse"`
	Sources   SourcesConfig        `mapstructure:"sources"`
	Boards    companyboards.Config `mapstructure:"boards"`
	Fetch     ingest.FetchConfig   `mapstructure:"fetch"`
	Site      site.BuildConfig     `mapstructure:"site"`
	// Publish holds publish.target and the publish options; its Source is
	// site.out, set where a publish starts.
	Publish publish.Config `mapstructure:"publish"`
	Serve   ServeConfig    `mapstructure:"serve"`
	Log     LogConfig      `mapstructure:"log"`

	// Scrape are the boards to crawl, made from the configuration when it
	// is read: fakejobs, then every sources.<board> of the file by name.
	Scrape []scrape.Profile `mapstructure:"-"`
	// BoardList are the company job boards of boards.list and boards.file,
	// read when the configuration is (see boards.go).
	BoardList []companyboards.Board `mapstructure:"-"`
}

// defaultConfig returns every key's default: the stages' own defaults, and
// those of the keys that cmd owns.
func defaultConfig() Config {
	return Config{
		Lake:      LakeConfig{URL: "./data/lake"},
		Warehouse: warehouse.DefaultConfig(),
		Sources: SourcesConfig{
			Remotive:  RemotiveSource{RemotiveConfig: ingest.DefaultRemotiveConfig(), Deadline: ingest.DefaultDeadline},
			Arbeitnow: ArbeitnowSource{ArbeitnowConfig: ingest.DefaultArbeitnowConfig(), Deadline: ingest.DefaultDeadline},
			RemoteOK:  RemoteOKSource{RemoteOKConfig: ingest.DefaultRemoteOKConfig(), Deadline: ingest.DefaultDeadline},
			FakeJobs:  fakeJobsSource(scrape.FakeJobs()),
			FranceTravail: FranceTravailSource{FranceTravailConfig: ingest.DefaultFranceTravailConfig(),
				Deadline: ingest.DefaultDeadline},
		},
		Boards:  companyboards.DefaultConfig(),
		Fetch:   ingest.DefaultFetchConfig(),
		Site:    site.DefaultBuildConfig(),
		Publish: publish.DefaultConfig(),
		Serve:   ServeConfig{Addr: "127.0.0.1:8080"},
		Log:     LogConfig{Level: "info"},
	}
}

// LakeConfig is the section lake.
type LakeConfig struct {
	URL string `mapstructure:"url" doc:"the lake: a folder, or s3://bucket/prefix"`
}

// Validate refuses an empty lake, and an s3:// URL that cannot work.
func (c LakeConfig) Validate() error {
	if c.URL == "" {
		return errors.New("config: lake.url: must not be empty")
	}
	return checkS3URL("lake.url", c.URL)
}

// SourcesConfig is the section sources: the built-in sources, and the
// boards of the configuration file.
type SourcesConfig struct {
	Remotive  RemotiveSource  `mapstructure:"remotive"`
	Arbeitnow ArbeitnowSource `mapstructure:"arbeitnow"`
	RemoteOK  RemoteOKSource  `mapstructure:"remoteok"`
	FakeJobs  FakeJobsSource  `mapstructure:"fakejobs"`
	// FranceTravail runs only with its credentials (see [FranceTravailSource]).
	FranceTravail FranceTravailSource `mapstructure:"francetravail"`
	// Boards are the other entries, sources.<board>, each a scrape profile
	// decoded by [scrape.DecodeProfile].
	Boards map[string]any `mapstructure:",remain" key:"<board>.*" doc:"a job board to crawl, with its scrape profile"`
}

// RemotiveSource is the section sources.remotive: the source's own keys,
// and those of cmd, which wraps it.
type RemotiveSource struct {
	ingest.RemotiveConfig `mapstructure:",squash"`
	Deadline              time.Duration `mapstructure:"deadline" doc:"longest one run may fetch from Remotive, retries included; past it the source fails, keeping what it fetched"`
	RedirectHosts         []string      `mapstructure:"redirect_hosts" doc:"hosts besides the url's that Remotive may redirect to (never a private address but the url's own)"`
}

// ArbeitnowSource is the section sources.arbeitnow.
type ArbeitnowSource struct {
	ingest.ArbeitnowConfig `mapstructure:",squash"`
	Deadline               time.Duration `mapstructure:"deadline" doc:"longest one run may fetch from Arbeitnow, retries and pages included"`
	RedirectHosts          []string      `mapstructure:"redirect_hosts" doc:"hosts besides the url's that Arbeitnow may redirect to"`
}

// RemoteOKSource is the section sources.remoteok.
type RemoteOKSource struct {
	ingest.RemoteOKConfig `mapstructure:",squash"`
	Deadline              time.Duration `mapstructure:"deadline" doc:"longest one run may fetch from RemoteOK, retries included"`
	RedirectHosts         []string      `mapstructure:"redirect_hosts" doc:"hosts besides the url's that RemoteOK may redirect to"`
}

// FranceTravailSource is the section sources.francetravail. Its client
// secret is no key: [Config.validate] reads it from
// JOBPULSE_SOURCES_FRANCETRAVAIL_CLIENT_SECRET, so that it is never written
// in jobpulse.yaml or on a command line.
type FranceTravailSource struct {
	ingest.FranceTravailConfig `mapstructure:",squash"`
	Deadline                   time.Duration `mapstructure:"deadline" doc:"longest one run may fetch from France Travail, token exchange and pages included"`
}

// FakeJobsSource is the section sources.fakejobs: the keys of the built-in
// profile [scrape.FakeJobs] that can be set.
type FakeJobsSource struct {
	Enabled  bool          `mapstructure:"enabled" doc:"scrape the practice job board fake-jobs (built-in scrape profile)"`
	URL      string        `mapstructure:"url" doc:"start page of the fake-jobs board"`
	Delay    time.Duration `mapstructure:"delay" doc:"least time between two requests to the fake-jobs board"`
	Deadline time.Duration `mapstructure:"deadline" doc:"longest one crawl of the fake-jobs board may take (a board's key: sources.<board>.deadline)"`
}

// fakeJobsSource returns the settable keys of p.
func fakeJobsSource(p scrape.Profile) FakeJobsSource {
	return FakeJobsSource{Enabled: p.Enabled, URL: p.URL, Delay: p.Delay, Deadline: p.Deadline}
}

// profile returns the built-in profile with the keys of s.
func (s FakeJobsSource) profile() scrape.Profile {
	p := scrape.FakeJobs()
	p.Enabled, p.URL, p.Delay, p.Deadline = s.Enabled, s.URL, s.Delay, s.Deadline
	return p
}

// ServeConfig is the section serve.
type ServeConfig struct {
	Addr string `mapstructure:"addr" doc:"address serve and demo listen on"`
}

// Validate refuses an address that is not host:port.
func (c ServeConfig) Validate() error {
	if c.Addr == "" {
		return errors.New("config: serve.addr: must not be empty")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: serve.addr: %q is not host:port (e.g. 127.0.0.1:8080): %w", c.Addr, err)
	}
	return nil
}

// LogConfig is the section log.
type LogConfig struct {
	Level string `mapstructure:"level" doc:"log level: debug, info, warn, error"`
}

// SlogLevel returns the level named by Level; info when it names none
// (which [LogConfig.Validate] refuses).
func (c LogConfig) SlogLevel() slog.Level {
	var l slog.Level
	if l.UnmarshalText([]byte(c.Level)) != nil {
		return slog.LevelInfo
	}
	return l
}

// Validate refuses a level that is none of debug, info, warn, error.
func (c LogConfig) Validate() error {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.Level)); err != nil {
		return fmt.Errorf("config: log.level: %q is not one of debug, info, warn, error", c.Level)
	}
	return nil
}

// validate checks every section, and makes the boards' profiles. Each error
// names its key; the caller says where the value came from.
func (c *Config) validate() error {
	var errs []error
	src := &c.Sources
	for _, s := range []struct {
		name     string
		deadline time.Duration
		hosts    []string
	}{
		{"remotive", src.Remotive.Deadline, src.Remotive.RedirectHosts},
		{"arbeitnow", src.Arbeitnow.Deadline, src.Arbeitnow.RedirectHosts},
		{"remoteok", src.RemoteOK.Deadline, src.RemoteOK.RedirectHosts},
		{"francetravail", src.FranceTravail.Deadline, nil},
	} {
		errs = append(errs, ingest.ValidateDeadline(s.name, s.deadline), checkHosts(s.name, s.hosts))
	}
	src.FranceTravail.ClientSecret = os.Getenv(ingest.FranceTravailSecretEnv)
	var err error
	c.Scrape, err = boards(src.FakeJobs, src.Boards)
	errs = append(errs, err)
	errs = append(errs, c.Lake.Validate(), c.Serve.Validate(), c.Log.Validate())
	// The connection string and the S3 URLs are checked first, with errors
	// that never show them: they may hold secrets.
	urlKey := "warehouse.url"
	if c.Warehouse.URL == "" {
		c.Warehouse.URL, urlKey = os.Getenv("DATABASE_URL"), "DATABASE_URL"
	}
	if err := checkWarehouseURL(urlKey, c.Warehouse.URL); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, c.Warehouse.Validate())
	}
	errs = append(errs, checkS3URL("publish.target", c.Publish.Target))
	errs = append(errs, src.Remotive.Validate(), src.Arbeitnow.Validate(), src.RemoteOK.Validate(), src.FranceTravail.Validate(),
		c.Fetch.Validate(), c.Site.Validate(), c.Publish.ValidateOptions())
	for _, p := range c.Scrape {
		errs = append(errs, p.Validate())
	}
	errs = append(errs, c.readBoards())
	return errors.Join(errs...)
}

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

// boards returns the scrape profiles: the built-in fakejobs with its keys,
// then every board of the configuration file, sorted by name.
func boards(fakejobs FakeJobsSource, all map[string]any) ([]scrape.Profile, error) {
	profiles := []scrape.Profile{fakejobs.profile()}
	for _, name := range slices.Sorted(maps.Keys(all)) {
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

// checkS3URL refuses an s3:// URL that cannot work: one that holds
// credentials (s3://user:secret@bucket), which would show in logs and
// errors while the AWS SDK takes credentials from its own chain, without
// showing the URL; then one whose bucket name breaks S3's naming rules or
// whose prefix climbs out of the bucket (see [objstore.ParseURL]). A bucket
// name never holds "@" or ":". Anything else is a folder, and passes.
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
	if _, _, err := objstore.ParseURL(raw); err != nil {
		return fmt.Errorf("config: %s: %w", key, err)
	}
	return nil
}
