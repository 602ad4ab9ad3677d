package objstore

import (
	"errors"
	"fmt"
)

// PolicyVersion is the IAM policy language version of every policy jobpulse
// writes.
const PolicyVersion = "2012-10-17"

// Policy is an IAM or bucket policy document.
type Policy struct {
	Version   string
	Statement []Statement
}

// Statement is one statement of a [Policy]. Principal is set in bucket
// policies only.
type Statement struct {
	Sid       string `json:",omitempty"`
	Effect    string
	Principal any `json:",omitempty"`
	Action    []string
	Resource  []string
	Condition map[string]map[string][]string `json:",omitempty"`
}

// The actions the pipeline uses, by what it does. Each is the IAM action of
// the S3 calls named beside it, as ingest.S3Lake and the site publisher make
// them.
var (
	// LakeObjectActions: GetObject and HeadObject (s3:GetObject); PutObject,
	// conditional with If-None-Match (s3:PutObject). The lake never
	// overwrites or deletes, so no s3:DeleteObject.
	LakeObjectActions = []string{"s3:GetObject", "s3:PutObject"}
	// SiteObjectActions: HeadObject and GetObject (s3:GetObject); PutObject
	// and, for large files, CreateMultipartUpload, UploadPart and
	// CompleteMultipartUpload (s3:PutObject); AbortMultipartUpload after a
	// failed part (s3:AbortMultipartUpload: without it the parts of a failed
	// upload stay, and are billed); DeleteObjects (s3:DeleteObject per key).
	SiteObjectActions = []string{"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"}
	// ListActions: ListObjectsV2 (s3:ListBucket, on the bucket).
	ListActions = []string{"s3:ListBucket"}
)

// LakeFolders are the folders under the lake's prefix that the pipeline
// reads and writes: raw pages and run manifests.
var LakeFolders = []string{"raw", "runs"}

// PipelineAccess names what the nightly pipeline's role must reach.
type PipelineAccess struct {
	LakeBucket, LakePrefix string // the lake; LakeBucket "" when the lake is a folder
	SiteBucket, SitePrefix string // the publish target; SiteBucket "" when it is a folder
	// CloudFrontDistribution, when set, allows invalidations of that
	// distribution.
	CloudFrontDistribution string
	// AccountID is the AWS account of the CloudFront distribution and the
	// RDS instance; "" writes "*".
	AccountID string
	// RDS, when set, allows connecting to the warehouse with IAM
	// authentication as RDS.User.
	RDS *RDSUser
}

// RDSUser is a database user on an RDS instance, for rds-db:connect.
type RDSUser struct {
	Region     string // e.g. eu-west-1
	ResourceID string // the instance's DbiResourceId (db-ABCDEFGHIJKL...), not its name
	User       string // the PostgreSQL user granted rds_iam
}

// PipelinePolicy returns the least-privilege IAM policy for a: listing and
// reading and writing objects only under the lake's raw/ and runs/ folders,
// listing, reading, writing and deleting objects only under the site's
// prefix, and, when configured, CloudFront invalidations of the one
// distribution and rds-db:connect as the one database user.
func PipelinePolicy(a PipelineAccess) (Policy, error) {
	if a.LakeBucket == "" && a.SiteBucket == "" && a.CloudFrontDistribution == "" && a.RDS == nil {
		return Policy{}, errors.New("iam policy: nothing to allow: no S3 lake, no S3 site, no CloudFront distribution, no RDS user")
	}
	for _, b := range []string{a.LakeBucket, a.SiteBucket} {
		if b == "" {
			continue
		}
		if err := validateBucket(b); err != nil {
			return Policy{}, fmt.Errorf("iam policy: %w", err)
		}
	}
	account := a.AccountID
	if account == "" {
		account = "*"
	}
	p := Policy{Version: PolicyVersion}
	if a.LakeBucket != "" {
		var folders, objects []string
		for _, f := range LakeFolders {
			folders = append(folders, JoinKey(a.LakePrefix, f+"/*"))
			objects = append(objects, bucketARN(a.LakeBucket)+"/"+JoinKey(a.LakePrefix, f+"/*"))
		}
		p.Statement = append(p.Statement,
			Statement{
				Sid: "LakeList", Effect: "Allow", Action: ListActions, Resource: []string{bucketARN(a.LakeBucket)},
				Condition: map[string]map[string][]string{"StringLike": {"s3:prefix": folders}},
			},
			Statement{Sid: "LakeObjects", Effect: "Allow", Action: LakeObjectActions, Resource: objects},
		)
	}
	if a.SiteBucket != "" {
		list := Statement{Sid: "SiteList", Effect: "Allow", Action: ListActions, Resource: []string{bucketARN(a.SiteBucket)}}
		if a.SitePrefix != "" {
			list.Condition = map[string]map[string][]string{"StringLike": {"s3:prefix": {a.SitePrefix + "/*"}}}
		}
		p.Statement = append(p.Statement, list, Statement{
			Sid: "SiteObjects", Effect: "Allow", Action: SiteObjectActions,
			Resource: []string{bucketARN(a.SiteBucket) + "/" + JoinKey(a.SitePrefix, "*")},
		})
	}
	if d := a.CloudFrontDistribution; d != "" {
		p.Statement = append(p.Statement, Statement{
			Sid: "CloudFrontInvalidate", Effect: "Allow", Action: []string{"cloudfront:CreateInvalidation"},
			Resource: []string{"arn:aws:cloudfront::" + account + ":distribution/" + d},
		})
	}
	if r := a.RDS; r != nil {
		if r.Region == "" || r.ResourceID == "" || r.User == "" {
			return Policy{}, fmt.Errorf("iam policy: rds-db:connect needs the region (%q), the instance's resource id (%q) and the user (%q)", r.Region, r.ResourceID, r.User)
		}
		p.Statement = append(p.Statement, Statement{
			Sid: "WarehouseConnect", Effect: "Allow", Action: []string{"rds-db:connect"},
			Resource: []string{fmt.Sprintf("arn:aws:rds-db:%s:%s:dbuser:%s/%s", r.Region, account, r.ResourceID, r.User)},
		})
	}
	return p, nil
}

func bucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }
