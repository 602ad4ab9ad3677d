package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

var _ Lake = (*S3Lake)(nil)

// User metadata keys of a raw object on S3 (sent as x-amz-meta-<key>).
const (
	metaSource    = "source"
	metaURL       = "url"
	metaFetchedAt = "fetched-at"
	metaStatus    = "status"
	metaSHA256    = "sha256"
	metaError     = "error"
)

// S3Lake is a [Lake] in an S3 bucket, under an optional prefix. Objects are
// written with server-side encryption (SSE-S3, AES256), their [Meta] as user
// metadata and a SHA-256 checksum the server verifies.
//
// Put never overwrites: it writes with If-None-Match: *, so the server
// refuses a key that is taken, atomically. Against a server that does not
// implement conditional writes, Put falls back to checking with HeadObject
// first, which is not atomic under concurrent writers of the same key.
type S3Lake struct {
	client *s3.Client
	bucket string
	prefix string
	// noConditional is set once the server answered that it does not
	// implement If-None-Match on PutObject.
	noConditional atomic.Bool
}

// NewS3Lake returns the lake in bucket under prefix ("" for the whole
// bucket; leading and trailing slashes are ignored).
func NewS3Lake(client *s3.Client, bucket, prefix string) *S3Lake {
	return &S3Lake{client: client, bucket: bucket, prefix: strings.Trim(prefix, "/")}
}

// String returns the lake's location, e.g. "s3://bucket/prefix".
func (l *S3Lake) String() string {
	if l.prefix == "" {
		return objstore.Scheme + l.bucket
	}
	return objstore.Scheme + l.bucket + "/" + l.prefix
}

// Put stores body under key. It fails with [ErrExist] when key is taken.
func (l *S3Lake) Put(ctx context.Context, key string, body []byte, meta Meta) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	meta, err := fillMeta(key, meta, body)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	in := &s3.PutObjectInput{
		Bucket:               aws.String(l.bucket),
		Key:                  aws.String(objstore.JoinKey(l.prefix, key)),
		ContentLength:        aws.Int64(int64(len(body))),
		ServerSideEncryption: types.ServerSideEncryptionAes256,
		ChecksumSHA256:       aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		Metadata:             encodeMeta(meta),
	}
	if meta.ContentType != "" {
		in.ContentType = aws.String(meta.ContentType)
	}

	if !l.noConditional.Load() {
		err := l.putConditional(ctx, in, body)
		if !isNotImplemented(err) {
			if err != nil {
				return fmt.Errorf("lake: put %s in %s: %w", key, l, err)
			}
			return nil
		}
		l.noConditional.Store(true)
	}
	// The server does not implement If-None-Match: check, then write.
	if _, err := l.head(ctx, *in.Key); err == nil {
		return fmt.Errorf("lake: put %s in %s: %w", key, l, ErrExist)
	} else if !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("lake: put %s in %s: %w", key, l, err)
	}
	in.IfNoneMatch = nil
	in.Body = bytes.NewReader(body)
	if _, err := l.client.PutObject(ctx, in); err != nil {
		return fmt.Errorf("lake: put %s in %s: %w", key, l, err)
	}
	return nil
}

// putConditional writes with If-None-Match: *. It maps 412 Precondition
// Failed to [ErrExist] and retries a 409 ConditionalRequestConflict (S3's
// answer when a concurrent conditional write of the key was in flight).
//
// A 412 after more than one attempt may answer this very Put: an earlier
// attempt was written, but its answer was lost (a reset connection, a
// timeout) and the SDK tried again. When the object holds exactly this
// Put's bytes and metadata, the write is ours and Put succeeds.
func (l *S3Lake) putConditional(ctx context.Context, in *s3.PutObjectInput, body []byte) error {
	in.IfNoneMatch = aws.String("*")
	attempts := 0
	count := func(o *s3.Options) { o.APIOptions = append(o.APIOptions, countAttempts(&attempts)) }
	for try := 0; ; try++ {
		in.Body = bytes.NewReader(body)
		_, err := l.client.PutObject(ctx, in, count)
		switch {
		case err == nil:
			return nil
		case httpStatus(err) == http.StatusPreconditionFailed || apiCode(err) == "PreconditionFailed":
			if attempts == 1 {
				return ErrExist
			}
			ours, err := l.holds(ctx, in)
			if err != nil {
				return fmt.Errorf("taken after %d attempts, and reading it failed: %w", attempts, err)
			}
			if ours {
				return nil
			}
			return ErrExist
		case httpStatus(err) == http.StatusConflict && try < 5:
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(try+1) * 50 * time.Millisecond):
			}
		default:
			return err
		}
	}
}

// holds reports whether the object at in.Key has the size, content type and
// user metadata (the sha256 of the body among them) that in writes.
func (l *S3Lake) holds(ctx context.Context, in *s3.PutObjectInput) (bool, error) {
	out, err := l.head(ctx, *in.Key)
	if err != nil {
		return false, err
	}
	return aws.ToInt64(out.ContentLength) == aws.ToInt64(in.ContentLength) &&
		(in.ContentType == nil || aws.ToString(out.ContentType) == aws.ToString(in.ContentType)) &&
		maps.Equal(out.Metadata, in.Metadata), nil
}

// countAttempts returns an SDK stack option that counts in n the attempts
// of one operation.
func countAttempts(n *int) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("jobpulse:countAttempts",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				*n++
				return next.HandleFinalize(ctx, in)
			}), "Retry", middleware.After)
	}
}

// Get returns the body and metadata stored under key, or [ErrNotFound].
func (l *S3Lake) Get(ctx context.Context, key string) ([]byte, Meta, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Meta{}, err
	}
	body, out, err := objstore.ReadObject(ctx, l.client, &s3.GetObjectInput{
		Bucket: aws.String(l.bucket),
		Key:    aws.String(objstore.JoinKey(l.prefix, key)),
	})
	if err != nil {
		if isNotFound(err) {
			err = ErrNotFound
		}
		return nil, Meta{}, fmt.Errorf("lake: get %s in %s: %w", key, l, err)
	}
	meta := decodeMeta(out.Metadata)
	meta.ContentType = aws.ToString(out.ContentType)
	meta.Size = int64(len(body))
	if meta.SHA256 == "" {
		meta, _ = fillMeta(key, meta, body)
	}
	return body, meta, nil
}

// head returns the object's metadata, or [ErrNotFound].
func (l *S3Lake) head(ctx context.Context, fullKey string) (*s3.HeadObjectOutput, error) {
	out, err := l.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(l.bucket),
		Key:    aws.String(fullKey),
	})
	if err != nil {
		if isNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return out, nil
}

// List returns the keys that start with prefix, sorted.
func (l *S3Lake) List(ctx context.Context, prefix string) ([]string, error) {
	full := objstore.JoinKey(l.prefix, prefix)
	if l.prefix != "" && prefix == "" {
		full = l.prefix + "/"
	}
	pages := s3.NewListObjectsV2Paginator(l.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(l.bucket),
		Prefix: aws.String(full),
	})
	var keys []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("lake: list %q in %s: %w", prefix, l, err)
		}
		for _, obj := range page.Contents {
			k := aws.ToString(obj.Key)
			if l.prefix != "" {
				k = strings.TrimPrefix(k, l.prefix+"/")
			}
			if strings.HasSuffix(k, "/") { // a folder marker, not an object
				continue
			}
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// encodeMeta turns meta into S3 user metadata. Values that are not printable
// ASCII (HTTP headers cannot carry them) are RFC 2047 encoded, as S3 does.
func encodeMeta(meta Meta) map[string]string {
	m := map[string]string{
		metaSHA256: meta.SHA256,
		metaStatus: strconv.Itoa(meta.Status),
	}
	if meta.Source != "" {
		m[metaSource] = headerValue(meta.Source)
	}
	if meta.URL != "" {
		m[metaURL] = headerValue(meta.URL)
	}
	if !meta.FetchedAt.IsZero() {
		m[metaFetchedAt] = meta.FetchedAt.UTC().Format(time.RFC3339Nano)
	}
	if meta.Error != "" {
		// S3 allows 2 KB of user metadata in all: keep the start of a long
		// error, cut on a rune boundary.
		e := meta.Error
		if len(e) > maxMetaError {
			e = strings.ToValidUTF8(e[:maxMetaError], "") + "…"
		}
		m[metaError] = headerValue(e)
	}
	return m
}

// maxMetaError is the longest error kept in an object's user metadata.
const maxMetaError = 512

func headerValue(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return mime.QEncoding.Encode("utf-8", s)
		}
	}
	return s
}

// decodeMeta reads the user metadata written by encodeMeta. Malformed values
// are left zero: the body is what matters.
func decodeMeta(m map[string]string) Meta {
	var dec mime.WordDecoder
	text := func(k string) string {
		v := m[k]
		if s, err := dec.DecodeHeader(v); err == nil {
			return s
		}
		return v
	}
	meta := Meta{Source: text(metaSource), URL: text(metaURL), SHA256: m[metaSHA256], Error: text(metaError)}
	meta.Status, _ = strconv.Atoi(m[metaStatus])
	if t, err := time.Parse(time.RFC3339Nano, m[metaFetchedAt]); err == nil {
		meta.FetchedAt = t
	}
	return meta
}

// httpStatus returns the HTTP status code of an SDK error, or 0.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// apiCode returns the S3 error code of an SDK error, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	return errors.As(err, &nsk) || errors.As(err, &nf) || httpStatus(err) == http.StatusNotFound
}

func isNotImplemented(err error) bool {
	return err != nil && (httpStatus(err) == http.StatusNotImplemented || apiCode(err) == "NotImplemented")
}
