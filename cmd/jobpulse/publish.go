package main

import (
	"github.com/spf13/cobra"
)

func newPublishCommand(a *app) *cobra.Command {
	var (
		out    outputFlags
		target string
	)
	cmd := &cobra.Command{
		Use:   "publish",
		Short: "Copy the built site to a folder or an S3 bucket, uploading only what changed",
		Long: `publish copies the site built in site.out to the target: a folder, or s3://bucket[/prefix]
(credentials from the AWS SDK's standard chain; AWS_ENDPOINT_URL_S3 for an S3-compatible
server). Files whose content did not change are not uploaded again; objects under the
prefix that the build no longer has are deleted after every upload succeeded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if target == "" {
				target = a.cfg.Target
			}
			var rep report
			var err error
			rep.Publish, err = a.publish(cmd.Context(), a.cfg.Site.Out, target)
			return rep.write(cmd.OutOrStdout(), out.json, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringVar(&target, "target", "", "folder or s3://bucket[/prefix] (default: publish.target)")
	return cmd
}
