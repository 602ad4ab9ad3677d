package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// iamFlags are the flags of iam-policy.
type iamFlags struct {
	lake, site   string
	cloudfront   string
	accountID    string
	dbRegion     string
	dbResourceID string
	dbUser       string
}

func newIAMPolicyCommand(a *app) *cobra.Command {
	var f iamFlags
	cmd := &cobra.Command{
		Annotations: reads("lake.url", "publish.target", "publish.cloudfront_distribution", "warehouse.", "log."),
		Use:         "iam-policy",
		Short:       "Print the least-privilege IAM policy the nightly pipeline's role needs",
		Long: `iam-policy prints, as JSON, the IAM policy that lets "jobpulse run" do its work and nothing more:

  on the lake (--lake, default lake.url when it is s3://): list, read and write objects
  under raw/ and runs/ below its prefix (never delete: the lake is append-only);
  on the site (--site, default publish.target when it is s3://): list, read, write and
  delete objects under its prefix;
  with --cloudfront ID: create invalidations of that distribution;
  with --db-resource-id (or warehouse.iam_auth): rds-db:connect as the warehouse's user.

Attach it to the role the scheduler assumes, e.g.
  jobpulse iam-policy > policy.json
  aws iam put-role-policy --role-name jobpulse-nightly --policy-name jobpulse --policy-document file://policy.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			access, err := a.pipelineAccess(f)
			if err != nil {
				return err
			}
			p, err := objstore.PipelinePolicy(access)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			if err := enc.Encode(p); err != nil {
				return fmt.Errorf("iam-policy: %w", err)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.lake, "lake", "", "the lake, s3://bucket[/prefix] (default: lake.url when it is s3://)")
	fl.StringVar(&f.site, "site", "", "the site, s3://bucket[/prefix] (default: publish.target when it is s3://)")
	fl.StringVar(&f.cloudfront, "cloudfront", "", "CloudFront distribution id to allow invalidations of (default: publish.cloudfront_distribution)")
	fl.StringVar(&f.accountID, "account-id", "", "AWS account id in the CloudFront and RDS ARNs (default: *)")
	fl.StringVar(&f.dbRegion, "db-region", "", "region of the RDS instance (default: warehouse.aws_region, else $AWS_REGION)")
	fl.StringVar(&f.dbResourceID, "db-resource-id", "", "the RDS instance's resource id (db-...), for rds-db:connect")
	fl.StringVar(&f.dbUser, "db-user", "", "the database user that connects with IAM (default: the user of warehouse.url)")
	return cmd
}

// pipelineAccess turns the flags and the configuration into what the
// pipeline must reach.
func (a *app) pipelineAccess(f iamFlags) (objstore.PipelineAccess, error) {
	if f.lake == "" && objstore.IsS3URL(a.cfg.Lake.URL) {
		f.lake = a.cfg.Lake.URL
	}
	if f.site == "" && objstore.IsS3URL(a.cfg.Publish.Target) {
		f.site = a.cfg.Publish.Target
	}
	if f.cloudfront == "" {
		f.cloudfront = a.cfg.Publish.CloudFrontDistribution
	}
	access := objstore.PipelineAccess{CloudFrontDistribution: f.cloudfront, AccountID: f.accountID}
	var err error
	if f.lake != "" {
		if access.LakeBucket, access.LakePrefix, err = objstore.ParseURL(f.lake); err != nil {
			return access, fmt.Errorf("iam-policy: --lake: %w", err)
		}
	}
	if f.site != "" {
		if access.SiteBucket, access.SitePrefix, err = objstore.ParseURL(f.site); err != nil {
			return access, fmt.Errorf("iam-policy: --site: %w", err)
		}
	}
	wh := a.cfg.Warehouse
	if f.dbResourceID == "" && !wh.IAMAuth {
		return access, nil
	}
	if f.dbResourceID == "" {
		return access, errors.New("iam-policy: warehouse.iam_auth is on: give --db-resource-id (the RDS instance's DbiResourceId, db-...)")
	}
	rds := &objstore.RDSUser{Region: f.dbRegion, ResourceID: f.dbResourceID, User: f.dbUser}
	if rds.Region == "" {
		rds.Region = wh.AWSRegion
	}
	if rds.Region == "" {
		rds.Region = os.Getenv("AWS_REGION")
	}
	if rds.User == "" && wh.URL != "" {
		if pc, err := pgxpool.ParseConfig(wh.URL); err == nil {
			rds.User = pc.ConnConfig.User
		}
	}
	access.RDS = rds
	return access, nil
}
