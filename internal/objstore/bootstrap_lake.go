package objstore

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// LakeBucket is how the lake's bucket is set up by [BootstrapLake].
type LakeBucket struct {
	// Bucket is the bucket's name.
	Bucket string
	// KMSKeyID, when set, makes default encryption SSE-KMS with this key
	// (id, alias or ARN) and an S3 bucket key; empty means SSE-S3 (AES256).
	KMSKeyID string
}

// BootstrapLake creates or checks the lake's bucket: private, with every
// public access blocked, default server-side encryption, and versioning
// enabled. It is idempotent: a second run reports every step [StepOK] and
// sends no write. A call the server does not implement is reported as
// [StepNotSupported] and the other steps go on; any other error stops, naming
// the bucket and the step. The steps done so far are returned either way.
func BootstrapLake(ctx context.Context, client *s3.Client, lake LakeBucket, logger *slog.Logger) ([]Step, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &bucketRun{client: client, role: "lake", bucket: lake.Bucket, logger: logger.WithGroup("objstore")}
	if err := validateBucket(lake.Bucket); err != nil {
		return nil, fmt.Errorf("bootstrap: lake bucket: %w", err)
	}
	if err := r.ensureBucket(ctx); err != nil {
		return r.steps, err
	}
	for _, c := range []check{
		publicAccessCheck(client, lake.Bucket, PublicAccess{BlockPublicACLs: true, IgnorePublicACLs: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}),
		encryptionCheck(client, lake.Bucket, lake.KMSKeyID),
		versioningCheck(client, lake.Bucket),
	} {
		if err := r.run(ctx, c); err != nil {
			return r.steps, err
		}
	}
	return r.steps, nil
}

// PublicAccess is a bucket's public access block: the four switches of S3's
// PublicAccessBlockConfiguration.
type PublicAccess struct {
	BlockPublicACLs       bool
	IgnorePublicACLs      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

func (p PublicAccess) String() string {
	return fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
		p.BlockPublicACLs, p.IgnorePublicACLs, p.BlockPublicPolicy, p.RestrictPublicBuckets)
}

func publicAccessCheck(client *s3.Client, bucket string, want PublicAccess) check {
	return check{
		name:   "public access block",
		action: "s3:PutBucketPublicAccessBlock",
		read: func(ctx context.Context) (bool, bool, string, error) {
			out, err := client.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &bucket})
			if apiCode(err) == "NoSuchPublicAccessBlockConfiguration" {
				return false, false, want.String(), nil
			}
			if err != nil {
				return false, false, "", err
			}
			var got PublicAccess
			if c := out.PublicAccessBlockConfiguration; c != nil {
				got = PublicAccess{aws.ToBool(c.BlockPublicAcls), aws.ToBool(c.IgnorePublicAcls),
					aws.ToBool(c.BlockPublicPolicy), aws.ToBool(c.RestrictPublicBuckets)}
			}
			if got == want {
				return true, true, "", nil
			}
			return true, false, "was " + got.String() + "; now " + want.String(), nil
		},
		write: func(ctx context.Context) error {
			_, err := client.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
				Bucket: &bucket,
				PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
					BlockPublicAcls:       aws.Bool(want.BlockPublicACLs),
					IgnorePublicAcls:      aws.Bool(want.IgnorePublicACLs),
					BlockPublicPolicy:     aws.Bool(want.BlockPublicPolicy),
					RestrictPublicBuckets: aws.Bool(want.RestrictPublicBuckets),
				},
			})
			return err
		},
	}
}

// encryptionCheck wants default encryption SSE-S3 (AES256), or SSE-KMS with
// kmsKeyID and a bucket key when kmsKeyID is set.
func encryptionCheck(client *s3.Client, bucket, kmsKeyID string) check {
	want := s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}
	desc := "AES256"
	if kmsKeyID != "" {
		want = s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(kmsKeyID)}
		desc = "aws:kms key " + kmsKeyID
	}
	return check{
		name:   "default encryption",
		action: "s3:PutEncryptionConfiguration",
		read: func(ctx context.Context) (bool, bool, string, error) {
			out, err := client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: &bucket})
			if apiCode(err) == "ServerSideEncryptionConfigurationNotFoundError" {
				return false, false, desc, nil
			}
			if err != nil {
				return false, false, "", err
			}
			got := "none"
			if c := out.ServerSideEncryptionConfiguration; c != nil && len(c.Rules) > 0 && c.Rules[0].ApplyServerSideEncryptionByDefault != nil {
				d := c.Rules[0].ApplyServerSideEncryptionByDefault
				got = string(d.SSEAlgorithm)
				if d.SSEAlgorithm == want.SSEAlgorithm && aws.ToString(d.KMSMasterKeyID) == aws.ToString(want.KMSMasterKeyID) &&
					(kmsKeyID == "" || aws.ToBool(c.Rules[0].BucketKeyEnabled)) {
					return true, true, desc, nil
				}
				if d.KMSMasterKeyID != nil {
					got += " key " + *d.KMSMasterKeyID
				}
			}
			return true, false, "was " + got + "; now " + desc, nil
		},
		write: func(ctx context.Context) error {
			rule := s3types.ServerSideEncryptionRule{ApplyServerSideEncryptionByDefault: &want}
			if kmsKeyID != "" {
				rule.BucketKeyEnabled = aws.Bool(true)
			}
			_, err := client.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
				Bucket:                            &bucket,
				ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{rule}},
			})
			return err
		},
	}
}

func versioningCheck(client *s3.Client, bucket string) check {
	return check{
		name:   "versioning",
		action: "s3:PutBucketVersioning",
		read: func(ctx context.Context) (bool, bool, string, error) {
			out, err := client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: &bucket})
			if err != nil {
				return false, false, "", err
			}
			switch out.Status {
			case s3types.BucketVersioningStatusEnabled:
				return true, true, "", nil
			case "":
				return false, false, "enabled", nil
			}
			return true, false, "was " + string(out.Status) + "; now Enabled", nil
		},
		write: func(ctx context.Context) error {
			_, err := client.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
				Bucket:                  &bucket,
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled},
			})
			return err
		},
	}
}
