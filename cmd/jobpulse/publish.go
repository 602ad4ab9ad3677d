package main

import (
	"context"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/site/publish"
)

func newPublishCommand(a *app) *cobra.Command {
	var (
		out    outputFlags
		target string
		dryRun bool
		wait   time.Duration
	)
	cmd := &cobra.Command{
		Annotations: reads("site.out", "publish.", "log."),
		Use:         "publish",
		Short:       "Copy the built site to a folder or an S3 bucket, uploading only what changed",
		Long: `publish copies the site built in site.out to the target: a folder, or s3://bucket[/prefix]
(credentials from the AWS SDK's standard chain; AWS_ENDPOINT_URL_S3 for an S3-compatible
server).

It plans first, from one listing of the target and the manifest the last publish left
there (.jobpulse-site): each file is an upload (new), an update (content, Content-Type,
Cache-Control, Content-Encoding or redirect changed, or the object changed on the target)
or unchanged; each object the build no longer has is a delete. --dry-run prints the plan
and writes nothing; --json prints the plan and the result as JSON. A plan with more
deletes than publish.max_deletes is refused before anything is written: publish fails and
the live site stays exactly as it was (no upload, no delete).

Then it uploads with publish.workers at once: assets, data files, pages, and the root
index.html and 404.html last, so that a reader never gets a page whose assets are not
there yet. Deletes come last, only when every upload succeeded.

A publish holds the target's lock from before its listing until its manifest is written,
so two publishes to one target never interleave: a flock on .jobpulse-lock in a folder,
a lock object .jobpulse-lock in a bucket (created with If-None-Match: *, renewed while
held, taken over once expired, an hour after a publish that died). Neither is ever
published, listed or deleted as content. When another publish holds it, publish refuses
at once, naming the holder ("jobpulse publish <host> pid <pid>" and since when), and
writes nothing. --wait DURATION waits up to that long for it instead. --dry-run takes no
lock.

In a folder target, publish follows no symbolic link: a link where the build has a folder
or a file is replaced by it, a stale link is removed (never what it points to), and
nothing is ever read or written outside the folder.

With publish.cloudfront_distribution set and a bucket target, a publish that succeeded
then makes one CloudFront invalidation of the paths it updated or deleted (a key with a
leading /, and "/roles/x/" for roles/x/index.html; new files need none), or of "/*"
("/prefix/*") when there are more than publish.invalidation_limit; nothing when nothing
changed, on --dry-run, or on a folder. AWS_ENDPOINT_URL_CLOUDFRONT points it elsewhere.
When the invalidation fails, the site is published and publish exits non-zero saying so;
the paths stay in the manifest, and the next publish invalidates them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if target == "" {
				target = a.cfg.Publish.Target
			}
			cfg := a.cfg.Publish
			cfg.Source, cfg.Target, cfg.DryRun, cfg.Wait = a.cfg.Site.Out, target, dryRun, wait
			cfg.Holder = runLockName("publish") // named as run and ingest name their lock
			var rep report
			var err error
			rep.Publish, err = a.publishWith(cmd.Context(), cfg)
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringVar(&target, "target", "", "folder or s3://bucket[/prefix] (default: publish.target)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the plan (upload, update, delete, unchanged, with the reason) and write nothing")
	cmd.Flags().DurationVar(&wait, "wait", 0, "wait up to this long for another publish to the target to end (default: refuse at once)")
	return cmd
}

// publishWith publishes with cfg, showing a progress bar of the uploads on
// a terminal. With no target it does nothing and says so. The report holds
// what was done also when the publish failed part-way.
func (a *app) publishWith(ctx context.Context, cfg publish.Config) (*publishReport, error) {
	rep := &publishReport{Source: cfg.Source, Target: cfg.Target}
	if cfg.Target == "" {
		return rep, nil
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var bar *progressbar.ProgressBar
	if isTerminal(a.stderr) && !cfg.DryRun {
		cfg.Progress = func(done, total int, bytes int64) {
			if bar == nil {
				bar = progressbar.NewOptions(total,
					progressbar.OptionSetWriter(a.stderr),
					progressbar.OptionSetDescription("publish"),
					progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(),
					progressbar.OptionThrottle(100_000_000), // 100ms
				)
			}
			bar.Set(done)
			bar.Describe(fmt.Sprintf("publish %.1f MB", float64(bytes)/1e6))
		}
	}
	res, err := publish.Publish(ctx, cfg, a.logger)
	if bar != nil {
		bar.Finish()
	}
	rep.Result = res
	return rep, err
}
