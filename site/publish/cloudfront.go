package publish

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"path"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// Limits of publish.invalidation_limit.
const (
	// DefaultInvalidationLimit is the most paths one publish invalidates
	// one by one; past it, it invalidates the whole target with one
	// wildcard. CloudFront bills invalidation paths past the first 1,000 a
	// month, and a wildcard counts as one path: 30 paths a night stays
	// within the free 1,000 over a month of nightly publishes (31 x 30 =
	// 930), and a night that changes more (a nightly report rewrites most
	// of its pages anyway) costs one path, and a refill of the cache from
	// the bucket, which for a static site is cheap.
	DefaultInvalidationLimit = 30
	// MaxInvalidationLimit is the most paths CloudFront accepts in one
	// invalidation that names files one by one (3,000 in progress at once).
	MaxInvalidationLimit = 3000
)

// Invalidation is the CloudFront invalidation a publish made, or tried.
type Invalidation struct {
	// Distribution is the CloudFront distribution id.
	Distribution string `json:"distribution"`
	// ID is the invalidation's id as CloudFront answered it; empty when
	// the request failed.
	ID string `json:"id,omitempty"`
	// Paths are the URL paths sent, sorted: each changed object's key with
	// a leading "/", and the folder path of each index.html ("/roles/x/"),
	// or one wildcard ("/*", or "/prefix/*") past the limit.
	Paths []string `json:"paths"`
	// Wildcard tells that Paths is the one wildcard of the whole target.
	Wildcard bool `json:"wildcard,omitempty"`
	// CallerReference is the unique reference of the request.
	CallerReference string `json:"caller_reference"`
	// Error is why the request failed, if it did.
	Error string `json:"error,omitempty"`
}

// invalidationPaths returns the URL paths of the changed keys (relative to
// the target, under the bucket prefix prefix) merged with pending, paths
// left from an earlier publish: sorted, without repeats, collapsed to the
// target's wildcard past limit paths. It assumes the distribution serves the
// bucket from its root (no origin path), so that a URL path is an object key
// with a leading "/". A key index.html also gives its folder's path, the URL
// readers use ("/roles/x/", "/" for the root).
//
// New objects need no invalidation: CloudFront can hold for them no more than
// an error response, for the distribution's error-caching TTL (10 s by
// default), so only updated and deleted objects are changed keys.
func invalidationPaths(prefix string, changed, pending []string, limit int) (paths []string, wildcard bool) {
	all := map[string]bool{}
	for _, p := range pending {
		all[p] = true
	}
	for _, k := range changed {
		full := objstore.JoinKey(prefix, k)
		all[escapePath("/"+full)] = true
		if path.Base(full) == "index.html" {
			dir := path.Dir(full)
			if dir == "." {
				all["/"] = true
			} else {
				all[escapePath("/"+dir+"/")] = true
			}
		}
	}
	star := wildcardPath(prefix)
	if all[star] || len(all) > limit {
		return []string{star}, true
	}
	for p := range all {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths, false
}

// wildcardPath is the invalidation path of everything under the prefix.
func wildcardPath(prefix string) string {
	if prefix == "" {
		return "/*"
	}
	return escapePath("/"+prefix+"/") + "*"
}

// escapePath URL-encodes a path as CloudFront wants it: characters that are
// not safe in a URL, and "*", which would be a wildcard, are %-encoded.
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// callerReference returns a reference unique to one publish: the SDK's
// retries of the same request reuse it (CloudFront then answers the same
// invalidation), and no two publishes share one, even of the same site.
func callerReference(now time.Time) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // never fails
	return "jobpulse-" + now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// newCloudFrontClient returns a CloudFront client configured by the SDK's
// standard chain, which also reads the endpoint (AWS_ENDPOINT_URL_CLOUDFRONT,
// AWS_ENDPOINT_URL, or endpoint_url in the shared config). CloudFront is
// global: with no region configured, [objstore.DefaultRegion] (us-east-1,
// where CloudFront signs) is used.
func newCloudFrontClient(ctx context.Context) (*cloudfront.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = objstore.DefaultRegion
	}
	return cloudfront.NewFromConfig(cfg), nil
}

// invalidate asks CloudFront to invalidate paths of the distribution. It
// returns what it sent, with the invalidation's id or the error.
func invalidate(ctx context.Context, distribution string, paths []string, wildcard bool, log *slog.Logger) (*Invalidation, error) {
	inv := &Invalidation{Distribution: distribution, Paths: paths, Wildcard: wildcard, CallerReference: callerReference(time.Now())}
	err := func() error {
		client, err := newCloudFrontClient(ctx)
		if err != nil {
			return err
		}
		out, err := client.CreateInvalidation(ctx, &cloudfront.CreateInvalidationInput{
			DistributionId: aws.String(distribution),
			InvalidationBatch: &types.InvalidationBatch{
				CallerReference: aws.String(inv.CallerReference),
				Paths:           &types.Paths{Quantity: aws.Int32(int32(len(paths))), Items: paths},
			},
		})
		if err != nil {
			return err
		}
		if out.Invalidation != nil {
			inv.ID = aws.ToString(out.Invalidation.Id)
		}
		return nil
	}()
	if err != nil {
		inv.Error = err.Error()
		return inv, fmt.Errorf("site: cloudfront: invalidate %d paths of distribution %s: %w", len(paths), distribution, err)
	}
	log.Info("invalidated", "distribution", distribution, "id", inv.ID, "paths", len(paths), "wildcard", wildcard)
	return inv, nil
}
