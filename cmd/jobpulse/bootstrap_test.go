package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// TestBootstrapCommand runs "jobpulse bootstrap" twice against versitygw:
// buckets from lake.url and publish.target, text then JSON output.
func TestBootstrapCommand(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t)
	client := srv.Client(t)
	var buckets []string
	for _, p := range []string{"lake", "site"} {
		b := srv.NewBucket(t, p)
		if _, err := client.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: &b}); err != nil {
			t.Fatal(err) // bootstrap creates it; s3test's cleanup removes it
		}
		buckets = append(buckets, b)
	}
	args := []string{"bootstrap", "--lake.url=s3://" + buckets[0] + "/jobpulse", "--publish.target=s3://" + buckets[1]}
	out, err := jobpulse(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"lake " + buckets[0], "bucket               created",
		"versioning           not supported the server does not implement PutBucketVersioning",
		"site " + buckets[1], "policy               created",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = jobpulse(t, append(args, "--json")...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var rep struct{ Steps []objstore.Step }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, s := range rep.Steps {
		got = append(got, s.Role+" "+s.Name+": "+string(s.Status))
	}
	want := []string{
		"lake bucket: ok", "lake public access block: not supported", "lake default encryption: not supported", "lake versioning: not supported",
		"site bucket: ok", "site public access block: not supported", "site website: ok", "site policy: ok",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
}

func TestBootstrapCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nothing on S3", []string{"bootstrap", "--lake.url=./data/lake"}, "nothing to set up"},
		{"same bucket", []string{"bootstrap", "--lake=s3://one-bucket/a", "--site=s3://one-bucket/b"}, "two buckets"},
		{"not s3", []string{"bootstrap", "--lake=/tmp/lake"}, "--lake"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := jobpulse(t, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q\n%s", err, tc.want, out)
			}
		})
	}
}

// TestIAMPolicyCommand checks that the command prints the policy of
// PipelinePolicy for the configured buckets and flags.
func TestIAMPolicyCommand(t *testing.T) {
	out, err := jobpulse(t, "iam-policy", "--lake.url=s3://acme-lake/jobpulse", "--publish.target=s3://acme-site/jobs",
		"--cloudfront=E2EXAMPLE", "--account-id=123456789012", "--db-region=eu-west-1",
		"--db-resource-id=db-ABCDEFGHIJKLMNOPQRSTUVWXY1", "--warehouse.url=postgres://jobpulse@mydb.example:5432/jobpulse")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want, err := objstore.PipelinePolicy(objstore.PipelineAccess{
		LakeBucket: "acme-lake", LakePrefix: "jobpulse", SiteBucket: "acme-site", SitePrefix: "jobs",
		CloudFrontDistribution: "E2EXAMPLE", AccountID: "123456789012",
		RDS: &objstore.RDSUser{Region: "eu-west-1", ResourceID: "db-ABCDEFGHIJKLMNOPQRSTUVWXY1", User: "jobpulse"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got objstore.Policy
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Principal decodes as nil either way; compare the rest.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
}
