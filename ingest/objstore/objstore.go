// Package objstore holds what the lake and the site publisher share about S3:
// parsing s3://bucket/prefix URLs and building an S3 client from the AWS SDK's
// standard configuration chain, tuned so that S3-compatible servers (such as
// versitygw on 127.0.0.1) work as well as AWS itself.
package objstore

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Scheme is the URL scheme of S3 locations: s3://bucket/prefix.
const Scheme = "s3://"

// DefaultRegion is the region used when the configuration chain names none,
// so that a local S3-compatible endpoint works without an AWS profile.
const DefaultRegion = "us-east-1"

// IsS3URL reports whether s names an S3 location (s3://...) rather than a
// folder.
func IsS3URL(s string) bool {
	return strings.HasPrefix(s, Scheme)
}

// ParseURL splits an s3://bucket[/prefix] URL into its bucket and prefix. The
// prefix is cleaned and has no leading or trailing slash; it is empty when the
// URL names the whole bucket. A prefix that would climb out of the bucket
// ("..") is rejected.
func ParseURL(raw string) (bucket, prefix string, err error) {
	if !IsS3URL(raw) {
		return "", "", fmt.Errorf("objstore: parse %q: not an s3:// URL", raw)
	}
	rest := strings.TrimPrefix(raw, Scheme)
	if strings.ContainsAny(rest, "?#\\\x00") {
		return "", "", fmt.Errorf("objstore: parse %q: query, fragment, backslash or NUL not allowed", raw)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if err := validateBucket(bucket); err != nil {
		return "", "", fmt.Errorf("objstore: parse %q: %w", raw, err)
	}
	if prefix != "" {
		for _, seg := range strings.Split(prefix, "/") {
			if seg == ".." {
				return "", "", fmt.Errorf("objstore: parse %q: prefix must not contain \"..\"", raw)
			}
		}
		prefix = strings.Trim(path.Clean("/"+prefix), "/")
	}
	return bucket, prefix, nil
}

// validateBucket checks the bucket name against S3's naming rules (3 to 63
// characters; lower-case letters, digits, dots and hyphens; starts and ends
// with a letter or digit).
func validateBucket(b string) error {
	if len(b) < 3 || len(b) > 63 {
		return fmt.Errorf("bucket name %q must be 3 to 63 characters", b)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case (c == '-' || c == '.') && i > 0 && i < len(b)-1:
		default:
			return fmt.Errorf("bucket name %q: invalid character %q at %d", b, c, i)
		}
	}
	return nil
}

// JoinKey joins a prefix (as returned by [ParseURL]) and a relative key.
func JoinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "/" + key
}

// NewClient returns an S3 client configured by the SDK's standard chain
// (environment, shared config and credentials files, SSO, instance roles).
//
// When a custom endpoint is configured (AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL, or endpoint_url in the shared config), the client uses
// path-style addressing, so that a server on 127.0.0.1 or behind a single host
// name works, and it computes and validates checksums only where an operation
// requires them, unless AWS_REQUEST_CHECKSUM_CALCULATION or
// AWS_RESPONSE_CHECKSUM_VALIDATION say otherwise. (Since aws-sdk-go-v2
// service/s3 v1.73 the default is "when supported": a CRC32 on every upload,
// which older S3-compatible servers reject. The lake and the publisher send
// an explicit SHA-256 checksum on every upload instead.) When no region is
// configured, [DefaultRegion] is used.
func NewClient(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("objstore: load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	req, resp := checksumSettings(cfg)
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if o.BaseEndpoint == nil {
			return
		}
		o.UsePathStyle = true
		if !req {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		}
		if !resp {
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
	}), nil
}

// checksumSettings reports whether the user set the request checksum
// calculation and the response checksum validation explicitly, in the
// environment or the shared config. (LoadDefaultConfig fills in "when
// supported" for both when they are not set, so cfg alone cannot tell.)
func checksumSettings(cfg aws.Config) (request, response bool) {
	for _, src := range cfg.ConfigSources {
		switch c := src.(type) {
		case config.EnvConfig:
			request = request || c.RequestChecksumCalculation != aws.RequestChecksumCalculationUnset
			response = response || c.ResponseChecksumValidation != aws.ResponseChecksumValidationUnset
		case config.SharedConfig:
			request = request || c.RequestChecksumCalculation != aws.RequestChecksumCalculationUnset
			response = response || c.ResponseChecksumValidation != aws.ResponseChecksumValidationUnset
		}
	}
	return request, response
}
