package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

func newBootstrapCommand(a *app) *cobra.Command {
	var (
		out        outputFlags
		lake, site string
		kmsKeyID   string
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.url", "publish.target", "log."),
		Use:         "bootstrap",
		Short:       "Create or check the lake and site buckets on S3",
		Long: `bootstrap creates or checks the two buckets (credentials from the AWS SDK's standard chain;
AWS_ENDPOINT_URL_S3 for an S3-compatible server):

  the lake (--lake, default lake.url when it is s3://): private, every public access
  blocked, default server-side encryption (AES256, or SSE-KMS with --kms-key-id),
  versioning enabled;
  the site (--site, default publish.target when it is s3://): static website hosting
  (index.html, 404.html), public access blocked except for bucket policies, and a bucket
  policy that lets anyone s3:GetObject the site's objects (under its prefix) and nothing else.

It is idempotent: each step reports created, ok (already so), changed, or not supported
(the server does not implement the call: the other steps go on). Any other error stops it,
naming the bucket and the step.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if lake == "" && objstore.IsS3URL(a.cfg.Lake.URL) {
				lake = a.cfg.Lake.URL
			}
			if site == "" && objstore.IsS3URL(a.cfg.Publish.Target) {
				site = a.cfg.Publish.Target
			}
			steps, err := a.bootstrap(cmd, lake, site, kmsKeyID)
			return writeSteps(cmd.OutOrStdout(), out.json, steps, err)
		},
	}
	out.register(cmd)
	cmd.Flags().StringVar(&lake, "lake", "", "the lake's bucket, s3://bucket[/prefix] (default: lake.url when it is s3://)")
	cmd.Flags().StringVar(&site, "site", "", "the site's bucket, s3://bucket[/prefix] (default: publish.target when it is s3://)")
	cmd.Flags().StringVar(&kmsKeyID, "kms-key-id", "", "encrypt the lake by default with this KMS key (id, alias or ARN) instead of AES256")
	return cmd
}

func (a *app) bootstrap(cmd *cobra.Command, lake, site, kmsKeyID string) ([]objstore.Step, error) {
	if lake == "" && site == "" {
		return nil, errors.New("bootstrap: nothing to set up: lake.url and publish.target are not s3:// URLs; give --lake or --site")
	}
	var lakeBucket, siteBucket, sitePrefix string
	var err error
	if lake != "" {
		if lakeBucket, _, err = objstore.ParseURL(lake); err != nil {
			return nil, fmt.Errorf("bootstrap: --lake: %w", err)
		}
	}
	if site != "" {
		if siteBucket, sitePrefix, err = objstore.ParseURL(site); err != nil {
			return nil, fmt.Errorf("bootstrap: --site: %w", err)
		}
		if siteBucket == lakeBucket {
			return nil, fmt.Errorf("bootstrap: the lake and the site must be two buckets, both are %s", siteBucket)
		}
	}
	ctx := cmd.Context()
	client, err := objstore.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	var steps []objstore.Step
	if lakeBucket != "" {
		s, err := objstore.BootstrapLake(ctx, client, objstore.LakeBucket{Bucket: lakeBucket, KMSKeyID: kmsKeyID}, a.logger)
		steps = append(steps, s...)
		if err != nil {
			return steps, err
		}
	}
	if siteBucket != "" {
		s, err := objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: siteBucket, Prefix: sitePrefix}, a.logger)
		steps = append(steps, s...)
		if err != nil {
			return steps, err
		}
	}
	return steps, nil
}

// writeSteps prints the steps, one a line or as JSON, and returns err.
func writeSteps(w io.Writer, asJSON bool, steps []objstore.Step, err error) error {
	if asJSON {
		rep := struct {
			Steps []objstore.Step `json:"steps"`
			Error string          `json:"error,omitempty"`
		}{Steps: steps}
		if err != nil {
			rep.Error = oneLine(err.Error())
		}
		if rep.Steps == nil {
			rep.Steps = []objstore.Step{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil && err == nil {
			err = fmt.Errorf("bootstrap: %w", jerr)
		}
		return err
	}
	for _, s := range steps {
		fmt.Fprintf(w, "%-4s %-30s %-20s %-13s", s.Role, s.Bucket, s.Name, s.Status)
		if s.Detail != "" {
			fmt.Fprintf(w, " %s", s.Detail)
		}
		fmt.Fprintln(w)
	}
	return err
}
