package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// app is what every command gets: the typed configuration and a logger.
type app struct {
	cfg    Config
	logger *slog.Logger
	stderr io.Writer // the command's error output: logs and progress
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
			if err != nil {
				return err
			}
			a.cfg = cfg
			a.stderr = cmd.ErrOrStderr()
			a.logger = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
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
	return root
}

// oneLine folds a multi-line error message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
