package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// app is what every command gets: the typed configuration and a logger.
type app struct {
	cfg    Config
	logger *slog.Logger
	stderr io.Writer // the command's error output: logs and progress
	redact *redactor // the secrets of the configuration, masked in output and errors
	// now is the clock of the runs an ingest starts; nil means time.Now.
	// Tests that simulate nights set it.
	now func() time.Time
}

// clock returns the clock of the runs an ingest starts.
func (a *app) clock() func() time.Time {
	if a.now == nil {
		return time.Now
	}
	return a.now
}

func newRootCommand() *cobra.Command {
	var configPath string
	a := &app{}
	root := &cobra.Command{
		Use:   "jobpulse",
		Short: "Collect job offers, keep them in a lake and a warehouse, and publish a report site",
		Long: `jobpulse collects job offers from public job boards, keeps every raw response in a lake
(a folder or an S3 bucket), loads typed postings into PostgreSQL, builds a static report
site from SQL and Markdown, and publishes it to a folder or an S3 website bucket.

Every configuration key can be set in jobpulse.yaml (in the working folder, or --config),
as an environment variable JOBPULSE_<KEY> (upper case, dots as underscores, e.g.
JOBPULSE_LAKE_URL for lake.url), or as the flag --<key>; each overrides the one before.
The warehouse is warehouse.url, else $DATABASE_URL, else a PostgreSQL server that
jobpulse starts itself with its data in warehouse.data.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(configPath, cmd.Flags())
			// What the command prints and returns is redacted from here on,
			// also when the configuration is wrong.
			a.redact = newRedactor(cfg, cmd.Flags())
			cmd.SetOut(a.redact.writer(cmd.OutOrStdout()))
			if err == nil { // the S3 URLs of the command's own flags: publish --target, iam-policy --lake...
				cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
					if err == nil && f.Changed {
						err = checkS3URL("--"+f.Name, f.Value.String())
					}
				})
			}
			if err != nil {
				return err
			}
			a.cfg = cfg
			a.stderr = cmd.ErrOrStderr() // progress bars, which show no secret
			a.logger = slog.New(slog.NewTextHandler(a.redact.writer(a.stderr), &slog.HandlerOptions{Level: cfg.LogLevel}))
			return nil
		},
	}
	root.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (default: jobpulse.yaml in the working folder, if any)")
	registerFlags(root.PersistentFlags())
	root.AddCommand(
		newIngestCommand(a),
		newBuildCommand(a),
		newPublishCommand(a),
		newRunCommand(a),
		newServeCommand(a),
		newDemoCommand(a),
		newMigrateCommand(a),
		newReplayCommand(a),
		newBootstrapCommand(a),
		newIAMPolicyCommand(a),
	)
	redactErrors(root, a)
	return root
}

// redactErrors makes every command return its error redacted (see
// [redactor]): main prints it, and --json summaries hold it.
func redactErrors(cmd *cobra.Command, a *app) {
	if pre := cmd.PersistentPreRunE; pre != nil {
		cmd.PersistentPreRunE = func(cmd *cobra.Command, args []string) error { return a.redact.error(pre(cmd, args)) }
	}
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(cmd *cobra.Command, args []string) error { return a.redact.error(run(cmd, args)) }
	}
	for _, c := range cmd.Commands() {
		redactErrors(c, a)
	}
}

// oneLine folds a multi-line error message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// redactor masks secrets in what jobpulse prints: the password of the
// warehouse's connection string (also one that does not parse), PGPASSWORD,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, and credentials written in the
// lake and publish URLs. It is the last line: the code avoids putting
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
	for _, u := range []string{cfg.LakeURL, cfg.Target, flagValue(flags, "lake.url"), flagValue(flags, "publish.target")} {
		secrets = append(secrets, urlPassword(u))
	}
	flags.VisitAll(func(f *pflag.Flag) { // publish --target, iam-policy --lake...
		if f.Changed && strings.Contains(f.Value.String(), "://") {
			secrets = append(secrets, urlPassword(f.Value.String()))
		}
	})
	for _, env := range []string{"PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
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
