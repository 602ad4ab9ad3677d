package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// FranceTravailConfig configures the France Travail source: the keys
// sources.francetravail.*, each named and explained by its tags. The client
// secret is no key: it is read from the environment only (see
// [FranceTravailSecretEnv]) and is never written in a file, a flag, a log or
// an error.
type FranceTravailConfig struct {
	Enabled  bool   `mapstructure:"enabled" doc:"collect from France Travail's job offers API (runs only with client_id and the client secret)"`
	URL      string `mapstructure:"url" doc:"base URL of France Travail's job offers API; the search is <url>/v2/offres/search"`
	TokenURL string `mapstructure:"token_url" doc:"France Travail's OAuth2 token endpoint (client credentials)"`
	ClientID string `mapstructure:"client_id" doc:"client id of the France Travail application; the secret is read from JOBPULSE_SOURCES_FRANCETRAVAIL_CLIENT_SECRET only"`
	// ClientSecret is the application's secret, from the environment.
	ClientSecret string `mapstructure:"-"`
	Scope        string `mapstructure:"scope" doc:"OAuth2 scopes asked for the France Travail token, separated by spaces"`
	// Departements are searched one by one, each a search of its own
	// (departement=75, then 2A, ...); none searches all of France at once.
	Departements []string `mapstructure:"departements" doc:"départements searched, one search each (e.g. 75,92,2A); none: all of France in one search"`
	// Query holds more search criteria of the API, URL-encoded.
	Query string `mapstructure:"query" doc:"more criteria of the offers search, URL-encoded (e.g. codeROME=M1805&typeContrat=CDI)"`
	// PublishedSinceDays is the API's publieeDepuis: 1, 3, 7, 14 or 31; 0
	// for every open offer.
	PublishedSinceDays int           `mapstructure:"published_since_days" doc:"only offers published in the last 1, 3, 7, 14 or 31 days (0: every open offer)"`
	MaxPages           int           `mapstructure:"max_pages" doc:"pages of 150 offers fetched from France Travail at most in one run"`
	MinInterval        time.Duration `mapstructure:"min_interval" doc:"least time between two calls to France Travail's API"`
}

// FranceTravailSecretEnv is the environment variable of the France Travail
// client secret.
const FranceTravailSecretEnv = "JOBPULSE_SOURCES_FRANCETRAVAIL_CLIENT_SECRET"

// Limits of the offers search, as its documentation gives them: at most
// 150 offers a page, asked for by their indexes (range=0-149), the last
// index asked for never past 3149. A search that finds more is split.
const (
	franceTravailPageSize = 150
	franceTravailMaxIndex = 3149
	// DefaultFranceTravailMaxPages is 60,000 offers: a few départements,
	// or one occupation across France.
	DefaultFranceTravailMaxPages = 400
	maxFranceTravailPages        = 9999
)

// DefaultFranceTravailConfig returns the configuration of France Travail's
// public endpoints, without credentials: the source then does not run.
func DefaultFranceTravailConfig() FranceTravailConfig {
	return FranceTravailConfig{
		Enabled:  true,
		URL:      "https://api.francetravail.io/partenaire/offresdemploi",
		TokenURL: "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire",
		Scope:    "api_offresdemploiv2 o2dsoffre",
		MaxPages: DefaultFranceTravailMaxPages,
		// The API allows a few calls a second per application; two a
		// second stays well under it.
		MinInterval: 500 * time.Millisecond,
	}
}

// HasCredentials reports whether the client id and secret are both given:
// without them the source is not run.
func (c FranceTravailConfig) HasCredentials() bool {
	return c.ClientID != "" && c.ClientSecret != ""
}

var (
	departementCode = regexp.MustCompile(`^([0-9]{2,3}|2[AB])$`)
	// franceTravailOwnParams are the search criteria the source sets itself.
	franceTravailOwnParams = []string{"range", "minCreationDate", "maxCreationDate", "departement", "publieeDepuis"}
)

// Validate checks the configuration, naming the key of a bad value. It
// never shows the secret.
func (c FranceTravailConfig) Validate() error {
	if !c.Enabled {
		return nil
	}
	if err := validateBaseURL("sources.francetravail.url", c.URL); err != nil {
		return err
	}
	if u, err := url.Parse(c.TokenURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("config: sources.francetravail.token_url: %q is not an http(s) URL without user information", c.TokenURL)
	}
	if strings.ContainsAny(c.ClientID, " \t\r\n") {
		return errors.New("config: sources.francetravail.client_id: must not hold white space")
	}
	if strings.ContainsAny(c.Scope, "\t\r\n\"\\") {
		return fmt.Errorf("config: sources.francetravail.scope: %q is not scopes separated by spaces", c.Scope)
	}
	for _, d := range c.Departements {
		if !departementCode.MatchString(d) {
			return fmt.Errorf("config: sources.francetravail.departements: %q is not a département code (two or three digits, 2A or 2B)", d)
		}
	}
	q, err := url.ParseQuery(c.Query)
	if err != nil {
		return fmt.Errorf("config: sources.francetravail.query: %q is not URL-encoded criteria: %w", c.Query, err)
	}
	for _, p := range franceTravailOwnParams {
		if q.Has(p) {
			return fmt.Errorf("config: sources.francetravail.query: %q is set by the source (departement by sources.francetravail.departements, publieeDepuis by published_since_days)", p)
		}
	}
	if !slices.Contains([]int{0, 1, 3, 7, 14, 31}, c.PublishedSinceDays) {
		return fmt.Errorf("config: sources.francetravail.published_since_days: %d is not one of 0, 1, 3, 7, 14, 31", c.PublishedSinceDays)
	}
	if c.MaxPages < 1 || c.MaxPages > maxFranceTravailPages {
		return fmt.Errorf("config: sources.francetravail.max_pages: %d is not between 1 and %d", c.MaxPages, maxFranceTravailPages)
	}
	if c.MinInterval < 0 {
		return fmt.Errorf("config: sources.francetravail.min_interval: %s must not be negative", c.MinInterval)
	}
	return nil
}

// ErrNoCredentials is wrapped by the error of a France Travail fetch
// without a client id or secret.
var ErrNoCredentials = errors.New("no credentials")

// FranceTravail is the source for France Travail's job offers API
// (GET <url>/v2/offres/search), which needs an OAuth2 token of the client
// credentials grant. It pages by ranges of 150 offers, and splits a search
// that finds more than the API lets one search page through (3,150 offers)
// into windows of creation dates. France Travail's terms of reuse ask that
// it is named as the source of the offers and that each offer leads to its
// page: [Posting.URL] is the offer's page, and the report credits France
// Travail.
type FranceTravail struct {
	cfg   FranceTravailConfig
	fetch FetchConfig
	opts  sourceOptions
	now   func() time.Time
}

var _ Source = (*FranceTravail)(nil)

// NewFranceTravail returns the France Travail source. It makes its own
// [Fetcher] with fetch for each run, over an HTTP client that holds the
// run's token.
func NewFranceTravail(cfg FranceTravailConfig, fetch FetchConfig, opts ...SourceOption) *FranceTravail {
	return &FranceTravail{cfg: cfg, fetch: fetch, opts: newSourceOptions("francetravail", opts), now: time.Now}
}

// Name returns "francetravail".
func (s *FranceTravail) Name() string { return "francetravail" }

// Fetch exchanges the client credentials for a token, then searches: one
// search per configured département (or one for all of France), each paged
// by ranges of 150 offers and kept as page-0001.json, page-0002.json, ...
// A search that finds more offers than the API pages through is split into
// windows of creation dates until each fits (see fetchSearch). It stops
// after MaxPages pages with a log line, not an error. The token is asked
// again when it expires, and when the API refuses it in the middle of a
// run (401: revoked, or expired before its time): the credentials are then
// exchanged again and the page asked once more, and a second 401 for that
// page fails the source (see franceTravailFetch.get). The token is sent to
// the API's host only, and neither the token exchange nor the secret
// reaches the lake or a log. Pages received before a failure are kept.
func (s *FranceTravail) Fetch(ctx context.Context, keep func(context.Context, RawPage) error) error {
	if !s.cfg.HasCredentials() {
		return fmt.Errorf("francetravail: %w: sources.francetravail.client_id and %s are needed", ErrNoCredentials, FranceTravailSecretEnv)
	}
	base, err := url.Parse(strings.TrimRight(s.cfg.URL, "/") + "/v2/offres/search")
	if err != nil {
		return fmt.Errorf("francetravail: base url %q: %w", s.cfg.URL, err)
	}
	tokens := newFranceTravailTokens(func() oauth2.TokenSource { return s.tokenSource(ctx) })
	if _, err := tokens.Token(); err != nil {
		return fmt.Errorf("francetravail: token exchange at %s: %w", RedactURL(s.cfg.TokenURL), s.mask(err))
	}
	tr := newBearerTransport(base, tokens, s.mask)
	f := &franceTravailFetch{src: s, keep: keep, base: base, tr: tr, tokens: tokens,
		fetcher: NewFetcher(s.fetch, &http.Client{Transport: tr}, s.opts.logger)}
	criteria, _ := url.ParseQuery(s.cfg.Query) // checked by Validate
	if s.cfg.PublishedSinceDays > 0 {
		criteria.Set("publieeDepuis", fmt.Sprint(s.cfg.PublishedSinceDays))
	}
	searches := []url.Values{criteria}
	if len(s.cfg.Departements) > 0 {
		searches = searches[:0]
		for _, d := range s.cfg.Departements {
			q := cloneValues(criteria)
			q.Set("departement", d)
			searches = append(searches, q)
		}
	}
	for _, q := range searches {
		if err := f.search(ctx, q); err != nil {
			if errors.Is(err, errPageCap) {
				return nil
			}
			return err
		}
	}
	return nil
}

// tokenSource returns the source of the run's tokens: the client
// credentials exchange, made with ctx (so a run's deadline bounds it) by a
// client that follows no redirect (which would post the secret elsewhere),
// the token reused until it expires.
func (s *FranceTravail) tokenSource(ctx context.Context) oauth2.TokenSource {
	client := &http.Client{
		Timeout:       s.fetch.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	cc := clientcredentials.Config{
		ClientID:     s.cfg.ClientID,
		ClientSecret: s.cfg.ClientSecret,
		TokenURL:     s.cfg.TokenURL,
		Scopes:       strings.Fields(s.cfg.Scope),
		// France Travail takes the credentials in the form, as its
		// documentation shows; said once, so no request is made twice.
		AuthStyle: oauth2.AuthStyleInParams,
	}
	return oauth2.ReuseTokenSource(nil, cc.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, client)))
}

// franceTravailTokens gives a run's tokens: those of one client
// credentials exchange, each reused until it expires (golang.org/x/oauth2
// asks a new one shortly before), and after [franceTravailTokens.renew]
// those of a new exchange. A new exchange needs a new token source: the
// one in use would give the token it holds until that expires, refused or
// not.
type franceTravailTokens struct {
	exchange func() oauth2.TokenSource // a new exchange's tokens

	mu  sync.Mutex
	src oauth2.TokenSource
}

func newFranceTravailTokens(exchange func() oauth2.TokenSource) *franceTravailTokens {
	return &franceTravailTokens{exchange: exchange, src: exchange()}
}

// Token returns the token of the current exchange.
func (t *franceTravailTokens) Token() (*oauth2.Token, error) {
	t.mu.Lock()
	src := t.src
	t.mu.Unlock()
	return src.Token()
}

// renew exchanges the credentials again, and gives the tokens of that
// exchange from now on; when it fails, those of the one before stay.
func (t *franceTravailTokens) renew() error {
	src := t.exchange()
	if _, err := src.Token(); err != nil {
		return err
	}
	t.mu.Lock()
	t.src = src
	t.mu.Unlock()
	return nil
}

// mask returns err with the client secret, wherever its message holds it
// (as written, URL-escaped, quoted or in JSON), replaced by xxxxx;
// errors.Is and errors.As still see err.
func (s *FranceTravail) mask(err error) error {
	secret := s.cfg.ClientSecret
	if err == nil || secret == "" {
		return err
	}
	msg := err.Error()
	for _, form := range secretForms(secret) {
		msg = strings.ReplaceAll(msg, form, "xxxxx")
	}
	if msg == err.Error() {
		return err
	}
	return &maskedError{msg: msg, err: err}
}

// secretForms returns the forms a secret may take in a message: as
// written, URL-escaped, and each of those quoted by %q and by JSON (without
// the quotes), the longest first.
func secretForms(secret string) []string {
	var forms []string
	for _, b := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
		q := strconv.Quote(b)
		j, _ := json.Marshal(b)
		for _, f := range []string{b, q[1 : len(q)-1], string(j[1 : len(j)-1])} {
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// maskedError is an error whose message had a secret masked.
type maskedError struct {
	msg string
	err error
}

func (e *maskedError) Error() string { return e.msg }
func (e *maskedError) Unwrap() error { return e.err }

// cloneValues returns a copy of v.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
