package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var bucketSeq atomic.Int64

// NewBucket creates a bucket of its own for the test and returns its name:
// prefix (lower-cased, cut to fit) followed by a unique suffix. The bucket
// and its objects are deleted when the test ends.
func (s *Server) NewBucket(t testing.TB, prefix string) string {
	t.Helper()
	name := bucketName(prefix)
	ctx := context.Background()
	client := s.newClient()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("s3test: create bucket %s: %v\n%s", name, err, s.Logs())
	}
	t.Cleanup(func() {
		if err := emptyBucket(context.Background(), client, name); err != nil {
			t.Logf("s3test: empty bucket %s: %v", name, err)
			return
		}
		if _, err := client.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil {
			t.Logf("s3test: delete bucket %s: %v", name, err)
		}
	})
	return name
}

// bucketName builds a valid, unique bucket name from prefix.
func bucketName(prefix string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(prefix) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	p := strings.Trim(b.String(), "-")
	if p == "" {
		p = "test"
	}
	var rnd [4]byte
	rand.Read(rnd[:])
	suffix := fmt.Sprintf("-%d-%s", bucketSeq.Add(1), hex.EncodeToString(rnd[:]))
	if max := 63 - len(suffix); len(p) > max {
		p = strings.TrimRight(p[:max], "-")
	}
	return p + suffix
}

// emptyBucket deletes every object in bucket.
func emptyBucket(ctx context.Context, client *s3.Client, bucket string) error {
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, obj := range page.Contents {
			if _, err := client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: obj.Key}); err != nil {
				return err
			}
		}
	}
	return nil
}

// EnableWebsite configures bucket as a static website, the way a production
// website bucket is set up: index.html answers for "/" and every folder, and
// a bucket policy lets anyone read objects (the website endpoint serves only
// publicly readable objects).
func (s *Server) EnableWebsite(t testing.TB, bucket string) {
	t.Helper()
	ctx := context.Background()
	client := s.newClient()
	_, err := client.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{
		Bucket: aws.String(bucket),
		WebsiteConfiguration: &types.WebsiteConfiguration{
			IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
		},
	})
	if err != nil {
		t.Fatalf("s3test: put website configuration of %s: %v\n%s", bucket, err, s.Logs())
	}
	policy := fmt.Sprintf(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "PublicRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": ["s3:GetObject"],
    "Resource": ["arn:aws:s3:::%s/*"]
  }]
}`, bucket)
	_, err = client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(policy)})
	if err != nil {
		t.Fatalf("s3test: put public-read policy of %s: %v\n%s", bucket, err, s.Logs())
	}
}
