// Package objstore holds what the lake and the site publisher share about S3:
// parsing s3://bucket/prefix URLs and building an S3 client from the AWS SDK's
// standard configuration chain, tuned so that S3-compatible servers (such as
// versitygw on 127.0.0.1) work as well as AWS itself.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
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

// validateBucket checks the bucket name against S3's naming rules for
// general purpose buckets: 3 to 63 characters; lower-case letters, digits,
// dots and hyphens; a letter or digit first and last; no two dots in a row;
// not an IP address (192.168.5.4); none of the reserved prefixes xn--,
// sthree- and amzn-s3-demo-. The reserved suffixes are let through: they
// name access point aliases (-s3alias, --ol-s3) and directory buckets
// (--x-s3), which S3 takes in place of a bucket name.
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
	if strings.Contains(b, "..") {
		return fmt.Errorf("bucket name %q holds two dots in a row", b)
	}
	if ip := net.ParseIP(b); ip != nil {
		return fmt.Errorf("bucket name %q is an IP address", b)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(b, p) {
			return fmt.Errorf("bucket name %q starts with %q, which S3 keeps for itself", b, p)
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

// Defaults of [ClientConfig].
const (
	// DefaultMaxAttempts tries a request five times in all (the SDK's default
	// is three): a run of a nightly job should ride out a few seconds of
	// failures rather than lose a source or a publish to them.
	DefaultMaxAttempts = 5
	// DefaultIdleTimeout fails an attempt when nothing has moved on its
	// connection for a minute: no byte of the request could be sent, no
	// byte of the response came. (The SDK has no time limit for S3: a hung
	// server would hang jobpulse.)
	DefaultIdleTimeout = time.Minute
	// DefaultAttemptTimeout caps one attempt, request and response bodies
	// included, for a server that trickles bytes just fast enough to escape
	// the idle timeout.
	DefaultAttemptTimeout = 10 * time.Minute
)

// ClientConfig sets the retries and time limits of the S3 clients made by
// [NewClient]. A request that fails with a 5xx answer, a throttling error, a
// reset connection, a response cut short or a timeout is tried again, up to
// MaxAttempts times in all, with the SDK's jittered exponential backoff (up
// to 20 s between attempts), and without the SDK's client-side retry quota.
// Start from [DefaultClientConfig].
type ClientConfig struct {
	// MaxAttempts is how many times one request is tried, the first
	// included (s3.max_attempts). Without a ClientConfig in the context,
	// AWS_MAX_ATTEMPTS (or max_attempts in the shared config) wins over the
	// default.
	MaxAttempts int
	// IdleTimeout fails an attempt when nothing moves on its connection for
	// that long: the request cannot be sent, or the response does not come
	// or stalls (s3.idle_timeout). A slow upload that keeps sending is not
	// idle.
	IdleTimeout time.Duration
	// AttemptTimeout is the longest one attempt may take in all
	// (s3.attempt_timeout).
	AttemptTimeout time.Duration
}

// DefaultClientConfig returns the configuration with its defaults.
func DefaultClientConfig() ClientConfig {
	return ClientConfig{MaxAttempts: DefaultMaxAttempts, IdleTimeout: DefaultIdleTimeout, AttemptTimeout: DefaultAttemptTimeout}
}

// Validate checks the configuration, naming the key of a bad value.
func (c ClientConfig) Validate() error {
	var errs []error
	if c.MaxAttempts < 1 || c.MaxAttempts > 20 {
		errs = append(errs, fmt.Errorf("objstore: s3.max_attempts: %d is not between 1 and 20", c.MaxAttempts))
	}
	if c.IdleTimeout <= 0 {
		errs = append(errs, fmt.Errorf("objstore: s3.idle_timeout: %s: want a positive duration", c.IdleTimeout))
	}
	if c.AttemptTimeout < c.IdleTimeout {
		errs = append(errs, fmt.Errorf("objstore: s3.attempt_timeout: %s is shorter than s3.idle_timeout %s", c.AttemptTimeout, c.IdleTimeout))
	}
	return errors.Join(errs...)
}

type clientConfigKey struct{}

// WithClientConfig returns a context that makes [NewClient] build its
// clients with cfg. The lake and the publisher both build their clients
// with NewClient(ctx), so a command sets cfg once for all of them.
func WithClientConfig(ctx context.Context, cfg ClientConfig) context.Context {
	return context.WithValue(ctx, clientConfigKey{}, cfg)
}

// clientConfigFrom returns the ClientConfig of ctx, and whether ctx had one.
func clientConfigFrom(ctx context.Context) (ClientConfig, bool) {
	cfg, ok := ctx.Value(clientConfigKey{}).(ClientConfig)
	if !ok {
		return DefaultClientConfig(), false
	}
	return cfg, true
}

// apply sets the retryer and the HTTP client's time limits of o.
func (c ClientConfig) apply(o *s3.Options) {
	var hc *awshttp.BuildableClient
	switch v := o.HTTPClient.(type) {
	case nil:
		hc = awshttp.NewBuildableClient()
	case *awshttp.BuildableClient:
		hc = v // keeps what the chain set, e.g. AWS_CA_BUNDLE
	}
	if hc != nil {
		// The SDK's own read timeout (WithReadTimeout) counts reads only:
		// it fails an upload still sending after the timeout. Frozen, the
		// client keeps the dialer that idleConn wraps.
		o.HTTPClient = hc.WithTimeout(c.AttemptTimeout).WithReadTimeout(0).
			WithTransportOptions(func(tr *http.Transport) {
				dial := tr.DialContext
				if dial == nil {
					dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
				}
				tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
					conn, err := dial(ctx, network, addr)
					if err != nil {
						return nil, err
					}
					return &idleConn{Conn: conn, timeout: c.IdleTimeout}, nil
				}
			}).Freeze()
	}
	standard := func(so *retry.StandardOptions) {
		so.MaxAttempts = c.MaxAttempts
		so.Retryables = append(so.Retryables, retryCutResponse{})
		// No client-side retry quota: the SDK's (500 tokens, 14 per retry,
		// refunded when the retry succeeds) runs dry after a few hundred
		// requests at a 25% failure rate, and from then on every failure
		// fails its operation at once. A request is still tried at most
		// MaxAttempts times, with backoff, and the lake and the publisher
		// stop at their first failed operation: no retry storm.
		so.RateLimiter = ratelimit.None
	}
	if o.RetryMode == aws.RetryModeAdaptive {
		o.Retryer = retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
			ao.StandardOptions = append(ao.StandardOptions, standard)
		})
	} else {
		o.Retryer = retry.NewStandard(standard)
	}
	o.RetryMaxAttempts = c.MaxAttempts
}

// idleConn fails a connection on which nothing moves for timeout: a read
// waits at most timeout for a byte, a write at most timeout to send, and
// every write that sends gives a pending read (the wait for the response
// while the request body goes out) timeout again.
type idleConn struct {
	net.Conn
	timeout time.Duration
}

// Read implements [io.Reader].
func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = &awshttp.ResponseTimeoutError{TimeoutDur: c.timeout} // a timeout: retried
	}
	return n, err
}

// Write implements [io.Writer]. It sends p in chunks, each with the time
// limit of its own, so that a large buffer sent at a steady pace is not
// idle.
func (c *idleConn) Write(p []byte) (int, error) {
	const chunk = 64 << 10
	sent := 0
	for sent < len(p) {
		if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
			return sent, err
		}
		n, err := c.Conn.Write(p[sent:min(sent+chunk, len(p))])
		sent += n
		if n > 0 {
			c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
		}
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// retryCutResponse retries a request whose response was cut short by the
// connection closing (io.ErrUnexpectedEOF while decoding it): the SDK
// retries a reset connection but not a plain early EOF.
type retryCutResponse struct{}

// IsErrorRetryable implements [retry.IsErrorRetryable].
func (retryCutResponse) IsErrorRetryable(err error) aws.Ternary {
	var de *smithy.DeserializationError
	if errors.As(err, &de) && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)) {
		return aws.TrueTernary
	}
	return aws.UnknownTernary
}

// NewClient returns an S3 client configured by the SDK's standard chain
// (environment, shared config and credentials files, SSO, instance roles),
// with the retries and time limits of the [ClientConfig] in ctx (see
// [WithClientConfig]), or of [DefaultClientConfig].
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
// configured, [DefaultRegion] is used. The client logs through the SDK's
// logger (stderr), less one warning that only repeats a request's error (see
// quietDrain).
func NewClient(ctx context.Context) (*s3.Client, error) {
	cc, explicit := clientConfigFrom(ctx)
	if err := cc.Validate(); err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("objstore: load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if !explicit && cfg.RetryMaxAttempts > 0 {
		cc.MaxAttempts = cfg.RetryMaxAttempts // AWS_MAX_ATTEMPTS or max_attempts
	}
	if cfg.Logger != nil {
		cfg.Logger = quietDrain{cfg.Logger}
	}
	req, resp := checksumSettings(cfg)
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		cc.apply(o)
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

// drainWarning begins the warning smithy-go logs when it cannot read a
// response body to its end before closing it (transport/http
// CloseResponseBody, "failed to discard remaining HTTP response body, this
// may affect connection reuse: <error>").
const drainWarning = "failed to discard remaining HTTP response body"

// quietDrain is the SDK's logger less [drainWarning]. smithy-go drains the
// body of every response it closes, so that the connection can be reused;
// the drain fails when the connection has already failed (reset, cut short,
// timed out, or its context cancelled, as when a failed upload stops the
// others). A request that failed so says it in its own error, retried or
// returned; one whose answer was already decoded lost nothing; and net/http
// never reuses a connection whose read failed. The warning tells nothing
// more. It went to stderr in the SDK's format, beside jobpulse's
// logs, once per cut response: TestS3LakeFaults and TestPublishFaults, whose
// proxy cuts and resets responses on purpose, printed it 18 times. Every
// other SDK message still goes through.
type quietDrain struct{ logging.Logger }

// Logf passes the message on unless it is the drain warning.
func (q quietDrain) Logf(c logging.Classification, format string, v ...any) {
	if c == logging.Warn && strings.HasPrefix(format, drainWarning) {
		return
	}
	q.Logger.Logf(c, format, v...)
}

// WithContext keeps the wrapped logger's context, if it takes one.
func (q quietDrain) WithContext(ctx context.Context) logging.Logger {
	return quietDrain{logging.WithContext(ctx, q.Logger)}
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

// ReadObject gets the object in asks for and reads its body whole. The SDK
// retries a failed request, but not a failed read of the body it has handed
// over: ReadObject reads a body cut short again, as many times as client
// tries a request. A read that fails every time is returned as "read: ...".
func ReadObject(ctx context.Context, client *s3.Client, in *s3.GetObjectInput) ([]byte, *s3.GetObjectOutput, error) {
	attempts := max(client.Options().Retryer.MaxAttempts(), 1)
	for try := 1; ; try++ {
		out, err := client.GetObject(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		body, err := io.ReadAll(out.Body)
		out.Body.Close()
		switch {
		case err == nil:
			return body, out, nil
		case try >= attempts || ctx.Err() != nil:
			return nil, nil, fmt.Errorf("read: %w", err)
		}
	}
}
