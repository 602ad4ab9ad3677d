package publish

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// sha256Meta is the user metadata key (x-amz-meta-sha256) holding the hex
// sha256 of a published object's source bytes, so that a multipart or
// encrypted object, whose ETag is no MD5, still says what it holds.
const sha256Meta = "sha256"

// deleteBatch is the most keys one DeleteObjects request may name.
const deleteBatch = 1000

// bucketTarget publishes to an S3 bucket under a prefix, which is a folder:
// only keys under prefix + "/" are listed, written and deleted.
type bucketTarget struct {
	client *s3.Client
	bucket string
	prefix string // no leading or trailing slash; "" for the whole bucket
}

func (t *bucketTarget) String() string {
	if t.prefix == "" {
		return objstore.Scheme + t.bucket
	}
	return objstore.Scheme + t.bucket + "/" + t.prefix
}

func (t *bucketTarget) keepsHeaders() bool { return true }

// folder is the key prefix of every object of the target.
func (t *bucketTarget) folder() string {
	if t.prefix == "" {
		return ""
	}
	return t.prefix + "/"
}

func (t *bucketTarget) key(k string) *string { return aws.String(objstore.JoinKey(t.prefix, k)) }

func (t *bucketTarget) list(ctx context.Context) (map[string]remoteObject, error) {
	objs := map[string]remoteObject{}
	pages := s3.NewListObjectsV2Paginator(t.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(t.bucket),
		Prefix: aws.String(t.folder()),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, obj := range page.Contents {
			key := strings.TrimPrefix(aws.ToString(obj.Key), t.folder())
			if key == "" || strings.HasSuffix(key, "/") || key == lockKey { // folder markers, the lock
				continue
			}
			objs[key] = remoteObject{size: aws.ToInt64(obj.Size), etag: unquote(aws.ToString(obj.ETag))}
		}
	}
	return objs, nil
}

// unquote removes the quotes around an ETag.
func unquote(etag string) string { return strings.Trim(etag, `"`) }

// get reads the object at key (see [objstore.ReadObject]).
func (t *bucketTarget) get(ctx context.Context, key string) ([]byte, error) {
	body, _, err := objstore.ReadObject(ctx, t.client, &s3.GetObjectInput{Bucket: aws.String(t.bucket), Key: t.key(key)})
	return body, err
}

func (t *bucketTarget) put(ctx context.Context, f *buildFile) (putResult, error) {
	body, size, err := f.body()
	if err != nil {
		return putResult{}, err
	}
	defer body.Close()
	if size > multipartThreshold {
		return t.putMultipart(ctx, f, body, size)
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(t.bucket),
		Key:           t.key(f.key),
		Body:          body,
		ContentLength: aws.Int64(size),
		Metadata:      map[string]string{sha256Meta: f.sha256},
	}
	t.setHeaders(f, &in.ContentType, &in.CacheControl, &in.ContentEncoding, &in.WebsiteRedirectLocation)
	if f.contentEncoding == "" {
		// The source bytes are the object's: let the server check them.
		sum, err := hex.DecodeString(f.sha256)
		if err != nil {
			return putResult{}, fmt.Errorf("sha256 %q: %w", f.sha256, err)
		}
		in.ChecksumSHA256 = aws.String(base64.StdEncoding.EncodeToString(sum))
	}
	out, err := t.client.PutObject(ctx, in)
	if err != nil {
		return putResult{}, err
	}
	return putResult{etag: unquote(aws.ToString(out.ETag)), size: size}, nil
}

// setHeaders fills the headers of an upload of f.
func (t *bucketTarget) setHeaders(f *buildFile, contentType, cacheControl, contentEncoding, redirect **string) {
	*contentType = aws.String(f.contentType)
	*cacheControl = aws.String(f.cacheControl)
	if f.contentEncoding != "" {
		*contentEncoding = aws.String(f.contentEncoding)
	}
	if f.redirect != "" {
		*redirect = aws.String(f.redirect)
	}
}

func (t *bucketTarget) delete(ctx context.Context, keys []string) (int, error) {
	n := 0
	for start := 0; start < len(keys); start += deleteBatch {
		batch := keys[start:min(start+deleteBatch, len(keys))]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, k := range batch {
			ids[i] = types.ObjectIdentifier{Key: t.key(k)}
		}
		out, err := t.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(t.bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return n, err
		}
		n += len(batch) - len(out.Errors)
		if len(out.Errors) > 0 {
			var errs []error
			for _, e := range out.Errors {
				errs = append(errs, fmt.Errorf("%s: %s: %s", aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message)))
			}
			return n, errors.Join(errs...)
		}
	}
	return n, nil
}
