package main

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/spf13/pflag"

	"github.com/jobpulse/jobpulse/ingest"
)

// redactor masks secrets in what jobpulse prints: the password of the
// warehouse's connection string (also one that does not parse), PGPASSWORD,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, the France Travail client secret,
// and credentials written in the lake and publish URLs. It is the last line: the code avoids putting
// secrets in messages (pgconn masks passwords in its errors, the
// configuration's errors never show the connection string or an S3 URL with
// credentials); the redactor catches a whole secret that slips through, as
// written or URL-escaped, each also quoted (%q) and in JSON. It cannot catch
// a piece of one, as when pgconn masks only the start of a quoted password.
// Secrets shorter than 6 bytes are not masked: that would garble the output.
type redactor struct {
	r *strings.Replacer // nil: nothing to mask
}

// minSecret is the length under which a secret is not masked.
const minSecret = 6

// newRedactor collects the secrets of cfg, of the flags and of the
// environment.
func newRedactor(cfg Config, flags *pflag.FlagSet) *redactor {
	var secrets []string
	for _, cs := range []string{cfg.Warehouse.URL, os.Getenv("DATABASE_URL"), flagValue(flags, "warehouse.url")} {
		secrets = append(secrets, connPasswords(cs)...)
	}
	for _, u := range []string{cfg.Lake.URL, cfg.Publish.Target} {
		secrets = append(secrets, urlPassword(u))
	}
	flags.VisitAll(func(f *pflag.Flag) { // --lake.url, --publish.target, publish --target, iam-policy --lake...
		if f.Changed && strings.Contains(f.Value.String(), "://") {
			secrets = append(secrets, urlPassword(f.Value.String()))
		}
	})
	secrets = append(secrets, cfg.Sources.FranceTravail.ClientSecret)
	for _, env := range []string{"PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", ingest.FranceTravailSecretEnv} {
		secrets = append(secrets, os.Getenv(env))
	}
	var forms []string
	seen := map[string]bool{}
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		for _, b := range []string{s, url.QueryEscape(s), url.PathEscape(s), strings.TrimPrefix(url.UserPassword("", s).String(), ":")} {
			q := strconv.Quote(b)
			for _, f := range []string{b, q[1 : len(q)-1], jsonInner(b), jsonInner(q[1 : len(q)-1])} {
				if !seen[f] {
					seen[f] = true
					forms = append(forms, f)
				}
			}
		}
	}
	if len(forms) == 0 {
		return &redactor{}
	}
	// The longest forms first: one form may hold another.
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, "xxxxx")
	}
	return &redactor{r: strings.NewReplacer(pairs...)}
}

// flagValue returns the value of a flag that was set, or "".
func flagValue(flags *pflag.FlagSet, name string) string {
	if f := flags.Lookup(name); f != nil && f.Changed {
		return f.Value.String()
	}
	return ""
}

// jsonInner returns s as a JSON string, without its quotes, as
// encoding/json writes it.
func jsonInner(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// connKeywordPassword finds the password of a keyword=value connection
// string: password = 'quoted \' value' or password=plain.
var connKeywordPassword = regexp.MustCompile(`(?:^|\s)(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|\S+)`)

// connPasswords returns the passwords of a connection string: the ones
// pgconn reads when it parses, and what looks like one when it does not.
func connPasswords(cs string) []string {
	if cs == "" {
		return nil
	}
	var out []string
	if cc, err := pgconn.ParseConfig(cs); err == nil {
		out = append(out, cc.Password)
	}
	out = append(out, urlPassword(cs))
	if u, err := url.Parse(cs); err == nil {
		out = append(out, u.Query()["password"]...)
		out = append(out, u.Query()["sslpassword"]...)
	}
	for _, m := range connKeywordPassword.FindAllStringSubmatch(cs, -1) {
		v := m[1]
		if strings.HasPrefix(v, "'") {
			v = strings.TrimSuffix(strings.TrimPrefix(v, "'"), "'")
			out = append(out, v, strings.NewReplacer(`\'`, "'", `\\`, `\`).Replace(v))
		} else {
			out = append(out, v)
		}
	}
	return out
}

// urlPassword returns the password of a URL's user information
// (scheme://user:password@host), as written and unescaped, or "". It reads
// URLs that do not parse too: the user information runs from "://" to the
// last "@".
func urlPassword(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return ""
	}
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return ""
	}
	_, pw, ok := strings.Cut(rest[:at], ":")
	if !ok {
		return ""
	}
	if u, err := url.PathUnescape(pw); err == nil {
		return u
	}
	return pw
}

// writer returns w, masking secrets in every write. Writers of jobpulse
// write whole lines or documents at a time, so a secret is never split
// between two writes.
func (r *redactor) writer(w io.Writer) io.Writer {
	if r == nil || r.r == nil {
		return w
	}
	return redactWriter{w: w, r: r.r}
}

type redactWriter struct {
	w io.Writer
	r *strings.Replacer
}

func (w redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// error returns err with its message masked; errors.Is and errors.As still
// see err.
func (r *redactor) error(err error) error {
	if err == nil || r == nil || r.r == nil {
		return err
	}
	msg := r.r.Replace(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError is an error whose message was masked.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
