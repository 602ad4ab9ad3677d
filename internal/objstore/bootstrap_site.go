package objstore

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Website documents of a site bucket.
const (
	IndexDocument = "index.html" // answers for "/" and every folder
	ErrorDocument = "404.html"   // answers for a missing key
)

// PublicReadSid is the Sid of the bucket policy statement that
// [BootstrapSite] writes and later recognizes as its own.
const PublicReadSid = "JobpulsePublicRead"

// SiteBucket is how the site's bucket is set up by [BootstrapSite].
type SiteBucket struct {
	// Bucket is the bucket's name.
	Bucket string
	// Prefix is the folder the site is published under ("" for the whole
	// bucket), as returned by [ParseURL]: anonymous reads are allowed under it
	// only, and the error document is Prefix/404.html.
	Prefix string
}

// SitePublicAccess is the public access block of a site bucket: public ACLs
// stay blocked and ignored; only bucket policies may grant public reads.
var SitePublicAccess = PublicAccess{BlockPublicACLs: true, IgnorePublicACLs: true}

// BootstrapSite creates or checks the site's bucket: static website hosting
// with index.html and 404.html, a public access block relaxed only so far as
// a public bucket policy needs, and a bucket policy statement (Sid
// [PublicReadSid]) that allows anonymous s3:GetObject on the site's objects
// and nothing else. Statements of other Sids in an existing policy are kept.
// Idempotency and errors are as for [BootstrapLake].
func BootstrapSite(ctx context.Context, client *s3.Client, site SiteBucket, logger *slog.Logger) ([]Step, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &bucketRun{client: client, role: "site", bucket: site.Bucket, logger: logger.WithGroup("objstore")}
	if err := validateBucket(site.Bucket); err != nil {
		return nil, fmt.Errorf("bootstrap: site bucket: %w", err)
	}
	if err := r.ensureBucket(ctx); err != nil {
		return r.steps, err
	}
	// The public access block goes first: while it blocks public policies,
	// S3 refuses the policy.
	for _, c := range []check{
		publicAccessCheck(client, site.Bucket, SitePublicAccess),
		websiteCheck(client, site.Bucket, JoinKey(site.Prefix, ErrorDocument)),
		policyCheck(client, site.Bucket, PublicReadStatement(site.Bucket, site.Prefix)),
	} {
		if err := r.run(ctx, c); err != nil {
			return r.steps, err
		}
	}
	return r.steps, nil
}

func websiteCheck(client *s3.Client, bucket, errorKey string) check {
	want := fmt.Sprintf("index %s, error %s", IndexDocument, errorKey)
	var rules []s3types.RoutingRule // kept from the current configuration
	return check{
		name:   "website",
		action: "s3:PutBucketWebsite",
		read: func(ctx context.Context) (bool, bool, string, error) {
			out, err := client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: &bucket})
			if apiCode(err) == "NoSuchWebsiteConfiguration" {
				return false, false, want, nil
			}
			if err != nil {
				return false, false, "", err
			}
			rules = out.RoutingRules
			var index, errDoc string
			if out.IndexDocument != nil {
				index = aws.ToString(out.IndexDocument.Suffix)
			}
			if out.ErrorDocument != nil {
				errDoc = aws.ToString(out.ErrorDocument.Key)
			}
			if index == IndexDocument && errDoc == errorKey && out.RedirectAllRequestsTo == nil {
				return true, true, want, nil
			}
			got := fmt.Sprintf("index %q, error %q", index, errDoc)
			if out.RedirectAllRequestsTo != nil {
				got = "redirect of all requests to " + aws.ToString(out.RedirectAllRequestsTo.HostName)
			}
			return true, false, "was " + got + "; now " + want, nil
		},
		write: func(ctx context.Context) error {
			_, err := client.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{
				Bucket: &bucket,
				WebsiteConfiguration: &s3types.WebsiteConfiguration{
					IndexDocument: &s3types.IndexDocument{Suffix: aws.String(IndexDocument)},
					ErrorDocument: &s3types.ErrorDocument{Key: aws.String(errorKey)},
					RoutingRules:  rules,
				},
			})
			return err
		},
	}
}

// PublicReadStatement is the bucket policy statement of a site bucket:
// anyone may s3:GetObject the objects under prefix (the whole bucket when
// prefix is ""), and nothing else.
func PublicReadStatement(bucket, prefix string) Statement {
	return Statement{
		Sid:       PublicReadSid,
		Effect:    "Allow",
		Principal: "*",
		Action:    []string{"s3:GetObject"},
		Resource:  []string{"arn:aws:s3:::" + bucket + "/" + JoinKey(prefix, "*")},
	}
}

func policyCheck(client *s3.Client, bucket string, want Statement) check {
	var others []json.RawMessage // statements of other Sids, kept
	return check{
		name:   "policy",
		action: "s3:PutBucketPolicy",
		hint:   "an account-level S3 Block Public Access setting also refuses public policies",
		read: func(ctx context.Context) (bool, bool, string, error) {
			out, err := client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &bucket})
			if apiCode(err) == "NoSuchBucketPolicy" {
				return false, false, "anonymous s3:GetObject on " + want.Resource[0], nil
			}
			if err != nil {
				return false, false, "", err
			}
			mine, rest, err := splitPolicy(aws.ToString(out.Policy))
			if err != nil {
				return false, false, "", fmt.Errorf("read the current policy: %w", err)
			}
			others = rest
			kept := ""
			if len(rest) > 0 {
				kept = fmt.Sprintf(" (kept %d statement(s) of other Sids)", len(rest))
			}
			if mine != nil && sameStatement(*mine, want) {
				return true, true, "", nil
			}
			if mine == nil {
				return true, false, "added statement " + PublicReadSid + kept, nil
			}
			return true, false, "replaced statement " + PublicReadSid + kept, nil
		},
		write: func(ctx context.Context) error {
			stmts := append([]json.RawMessage{}, others...)
			b, err := json.Marshal(want)
			if err != nil {
				return err
			}
			stmts = append(stmts, b)
			doc, err := json.Marshal(struct {
				Version   string
				Statement []json.RawMessage
			}{PolicyVersion, stmts})
			if err != nil {
				return err
			}
			_, err = client.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &bucket, Policy: aws.String(string(doc))})
			return err
		},
	}
}

// flexStatement decodes a policy statement in any of the forms IAM accepts
// (a string or a list for Action and Resource).
type flexStatement struct {
	Sid          string
	Effect       string
	Principal    json.RawMessage
	Action       stringOrList
	Resource     stringOrList
	Condition    json.RawMessage
	NotAction    json.RawMessage
	NotResource  json.RawMessage
	NotPrincipal json.RawMessage
}

// splitPolicy returns the statement of Sid [PublicReadSid] in policy (nil
// when there is none) and the other statements as they were.
func splitPolicy(policy string) (*flexStatement, []json.RawMessage, error) {
	var doc struct{ Statement json.RawMessage }
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(doc.Statement, &raw); err != nil {
		raw = []json.RawMessage{doc.Statement} // a single statement object
	}
	var mine *flexStatement
	var others []json.RawMessage
	for _, r := range raw {
		var s flexStatement
		if err := json.Unmarshal(r, &s); err != nil {
			return nil, nil, err
		}
		if s.Sid == PublicReadSid {
			mine = &s
			continue
		}
		others = append(others, r)
	}
	return mine, others, nil
}

// sameStatement reports whether got grants exactly what want does.
func sameStatement(got flexStatement, want Statement) bool {
	if got.Effect != want.Effect || len(got.Condition) > 0 || got.NotAction != nil || got.NotResource != nil || got.NotPrincipal != nil {
		return false
	}
	var p any
	if err := json.Unmarshal(got.Principal, &p); err != nil {
		return false
	}
	if m, ok := p.(map[string]any); ok && len(m) == 1 {
		p = m["AWS"]
		if l, ok := p.([]any); ok && len(l) == 1 {
			p = l[0]
		}
	}
	if p != "*" {
		return false
	}
	a, r := slices.Sorted(slices.Values(got.Action)), slices.Sorted(slices.Values(got.Resource))
	return slices.Equal(a, want.Action) && slices.Equal(r, want.Resource)
}

// stringOrList is a JSON string or list of strings, as a list.
type stringOrList []string

// UnmarshalJSON accepts "x" or ["x", ...].
func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}
