package main

import (
	"io"
	"log/slog"
	"strings"
	"time"

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
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(configPath, cmd.Flags())
			// What the command prints and returns is redacted from here on,
			// also when the configuration is wrong, and what it prints shows
			// control characters from outside as escapes (see termSafe).
			a.redact = newRedactor(cfg, cmd.Flags())
			cmd.SetOut(termWriter{a.redact.writer(cmd.OutOrStdout())})
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
			a.logger = slog.New(slog.NewTextHandler(a.redact.writer(a.stderr), &slog.HandlerOptions{Level: cfg.Log.SlogLevel()}))
			return nil
		},
	}
	root.SetVersionTemplate("jobpulse {{.Version}}\n")
	root.SetUsageFunc(usage)
	root.Flags().BoolP("version", "v", false, "print the version of jobpulse and the commit it was built from")
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
		newLoadCommand(a),
		newExplainCommand(a),
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
