package objstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

func TestMain(m *testing.M) { s3test.Main(m) }

// statuses returns "step: status" for each step.
func statuses(steps []objstore.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Role+" "+s.Name+": "+string(s.Status))
	}
	return out
}

// newBucketName returns a bucket name that does not exist yet on srv, and
// removes the bucket when the test ends.
func newBucketName(t *testing.T, srv *s3test.Server, prefix string) string {
	t.Helper()
	name := srv.NewBucket(t, prefix) // created and removed by s3test ...
	client := srv.Client(t)
	if _, err := client.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: &name}); err != nil {
		t.Fatal(err) // ... deleted here so that bootstrap creates it
	}
	return name
}

// TestBootstrapVersitygw runs bootstrap twice against a real versitygw and
// reads back what it supports.
func TestBootstrapVersitygw(t *testing.T) {
	srv := s3test.Start(t)
	client := srv.Client(t)
	ctx := context.Background()
	lake := newBucketName(t, srv, "lake")
	site := newBucketName(t, srv, "site")

	wantLake := [][]string{
		{"lake bucket: created", "lake public access block: not supported", "lake default encryption: not supported", "lake versioning: not supported"},
		{"lake bucket: ok", "lake public access block: not supported", "lake default encryption: not supported", "lake versioning: not supported"},
	}
	wantSite := [][]string{
		{"site bucket: created", "site public access block: not supported", "site website: created", "site policy: created"},
		{"site bucket: ok", "site public access block: not supported", "site website: ok", "site policy: ok"},
	}
	for run := range 2 {
		steps, err := objstore.BootstrapLake(ctx, client, objstore.LakeBucket{Bucket: lake}, nil)
		if err != nil {
			t.Fatalf("run %d: lake: %v", run+1, err)
		}
		if diff := cmp.Diff(wantLake[run], statuses(steps)); diff != "" {
			t.Errorf("run %d: lake steps (-want +got):\n%s", run+1, diff)
		}
		steps, err = objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: site, Prefix: "blog"}, nil)
		if err != nil {
			t.Fatalf("run %d: site: %v", run+1, err)
		}
		if diff := cmp.Diff(wantSite[run], statuses(steps)); diff != "" {
			t.Errorf("run %d: site steps (-want +got):\n%s", run+1, diff)
		}
	}
	// The unsupported steps say which call the server lacks.
	steps, _ := objstore.BootstrapLake(ctx, client, objstore.LakeBucket{Bucket: lake}, nil)
	if d := steps[3].Detail; !strings.Contains(d, "PutBucketVersioning") {
		t.Errorf("versioning detail %q does not name PutBucketVersioning", d)
	}

	// Read back the website and the policy.
	web, err := client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: &site})
	if err != nil {
		t.Fatal(err)
	}
	if got := [2]string{aws.ToString(web.IndexDocument.Suffix), aws.ToString(web.ErrorDocument.Key)}; got != [2]string{"index.html", "blog/404.html"} {
		t.Errorf("website documents = %q", got)
	}
	pol, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &site})
	if err != nil {
		t.Fatal(err)
	}
	var doc objstore.Policy
	if err := json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc); err != nil {
		t.Fatal(err)
	}
	want := objstore.Policy{Version: "2012-10-17", Statement: []objstore.Statement{{
		Sid: "JobpulsePublicRead", Effect: "Allow", Principal: "*",
		Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::" + site + "/blog/*"},
	}}}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}

	// Anonymous readers get the site's objects through the website endpoint,
	// and nothing outside its prefix.
	for _, k := range []string{"blog/index.html", "private/secret.txt"} {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: &site, Key: aws.String(k), Body: strings.NewReader("x")}); err != nil {
			t.Fatal(err)
		}
	}
	web2 := srv.WebsiteClient()
	for _, tc := range []struct {
		name, path string
		public     bool
	}{
		{"site page", "blog/index.html", true},
		{"outside the prefix", "private/secret.txt", false}, // versitygw answers 404, AWS 403
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := web2.Get(srv.WebsiteURL(site) + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.StatusCode == http.StatusOK; got != tc.public {
				t.Errorf("GET %s: status %d, want public %t", tc.path, resp.StatusCode, tc.public)
			}
		})
	}

	// A policy with another statement keeps it; a new prefix changes ours.
	other := `{"Version":"2012-10-17","Statement":[{"Sid":"Other","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + site + `/other/*"},` +
		`{"Sid":"JobpulsePublicRead","Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + site + `/blog/*"}]}`
	if _, err := client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &site, Policy: &other}); err != nil {
		t.Fatal(err)
	}
	steps, err = objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: site, Prefix: "blog"}, nil)
	if err != nil || steps[3].Status != objstore.StepOK {
		t.Errorf("same statement in another form: %v, %+v", err, steps)
	}
	steps, err = objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: site, Prefix: "www"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(steps)[2:]; !cmp.Equal(got, []string{"site website: changed", "site policy: changed"}) {
		t.Errorf("new prefix: %q", got)
	}
	pol, err = client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &site})
	if err != nil {
		t.Fatal(err)
	}
	if p := aws.ToString(pol.Policy); !strings.Contains(p, `"Other"`) || !strings.Contains(p, site+"/www/*") || strings.Contains(p, site+"/blog/*") {
		t.Errorf("policy after a new prefix: %s", p)
	}
}

// TestBootstrapFake runs bootstrap against an S3 that implements every call,
// checks what it sends, and that a second run sends no write.
func TestBootstrapFake(t *testing.T) {
	for _, tc := range []struct {
		name   string
		region string
		kms    string
		want   map[string]string // PUT body by sub-resource: the first run's writes
	}{
		{
			name:   "AES256 in us-east-1",
			region: "us-east-1",
			want: map[string]string{
				"":                  "",
				"publicAccessBlock": `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><IgnorePublicAcls>true</IgnorePublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
				"encryption":        `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>`,
				"versioning":        `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`,
			},
		},
		{
			name:   "KMS in eu-west-1",
			region: "eu-west-1",
			kms:    "alias/jobpulse",
			want: map[string]string{
				"":                  `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`,
				"publicAccessBlock": `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><IgnorePublicAcls>true</IgnorePublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
				"encryption":        `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><KMSMasterKeyID>alias/jobpulse</KMSMasterKeyID><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
				"versioning":        `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeS3(t)
			client := f.client(tc.region)
			ctx := context.Background()
			lake := objstore.LakeBucket{Bucket: "my-lake", KMSKeyID: tc.kms}
			steps, err := objstore.BootstrapLake(ctx, client, lake, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantSteps := []string{"lake bucket: created", "lake public access block: created", "lake default encryption: created", "lake versioning: created"}
			if diff := cmp.Diff(wantSteps, statuses(steps)); diff != "" {
				t.Errorf("first run (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, writes(f.take())); diff != "" {
				t.Errorf("first run's writes (-want +got):\n%s", diff)
			}
			steps, err = objstore.BootstrapLake(ctx, client, lake, nil)
			if err != nil {
				t.Fatal(err)
			}
			wantSteps = []string{"lake bucket: ok", "lake public access block: ok", "lake default encryption: ok", "lake versioning: ok"}
			if diff := cmp.Diff(wantSteps, statuses(steps)); diff != "" {
				t.Errorf("second run (-want +got):\n%s", diff)
			}
			if w := writes(f.take()); len(w) > 0 {
				t.Errorf("second run wrote %v", w)
			}
		})
	}
}

// TestBootstrapFakeSite checks the site's writes, relaxing an existing
// public access block, and idempotence.
func TestBootstrapFakeSite(t *testing.T) {
	f := newFakeS3(t)
	client := f.client("us-east-1")
	ctx := context.Background()
	f.buckets["my-site"] = true
	// AWS's default for new buckets: everything blocked.
	f.config["my-site?publicAccessBlock"] = `<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><IgnorePublicAcls>true</IgnorePublicAcls><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
	steps, err := objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: "my-site"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"site bucket: ok", "site public access block: changed", "site website: created", "site policy: created"}
	if diff := cmp.Diff(want, statuses(steps)); diff != "" {
		t.Errorf("first run (-want +got):\n%s", diff)
	}
	reqs := f.take()
	var order []string
	for _, r := range reqs {
		if r.Method == http.MethodPut {
			order = append(order, r.Sub)
		}
	}
	if diff := cmp.Diff([]string{"publicAccessBlock", "website", "policy"}, order); diff != "" {
		t.Errorf("order of writes (-want +got):\n%s", diff)
	}
	wantWrites := map[string]string{
		"publicAccessBlock": `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><IgnorePublicAcls>true</IgnorePublicAcls><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
		"website":           `<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ErrorDocument><Key>404.html</Key></ErrorDocument><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>`,
		"policy":            `{"Version":"2012-10-17","Statement":[{"Sid":"JobpulsePublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::my-site/*"]}]}`,
	}
	if diff := cmp.Diff(wantWrites, writes(reqs)); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	steps, err = objstore.BootstrapSite(ctx, client, objstore.SiteBucket{Bucket: "my-site"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"site bucket: ok", "site public access block: ok", "site website: ok", "site policy: ok"}
	if diff := cmp.Diff(want, statuses(steps)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if w := writes(f.take()); len(w) > 0 {
		t.Errorf("second run wrote %v", w)
	}
}

// TestBootstrapErrors checks that real errors stop with a message naming the
// bucket and the step.
func TestBootstrapErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fail     map[string]fakeError
		exists   bool
		wantErr  error
		wantText []string
	}{
		{
			name:     "bucket of another account",
			fail:     map[string]fakeError{"PUT ": {http.StatusConflict, "BucketAlreadyExists"}},
			wantErr:  objstore.ErrNotOwned,
			wantText: []string{"site bucket my-site", "create", "BucketAlreadyExists"},
		},
		{
			name:     "bucket not reachable",
			fail:     map[string]fakeError{"HEAD ": {http.StatusForbidden, "AccessDenied"}},
			wantErr:  objstore.ErrNotOwned,
			wantText: []string{"site bucket my-site", "bucket"},
		},
		{
			name:     "policy denied",
			exists:   true,
			fail:     map[string]fakeError{"PUT policy": {http.StatusForbidden, "AccessDenied"}},
			wantErr:  objstore.ErrAccessDenied,
			wantText: []string{"site bucket my-site: policy", "s3:PutBucketPolicy", "Block Public Access"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeS3(t)
			f.fail = tc.fail
			f.buckets["my-site"] = tc.exists
			_, err := objstore.BootstrapSite(context.Background(), f.client("us-east-1"), objstore.SiteBucket{Bucket: "my-site"}, nil)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
