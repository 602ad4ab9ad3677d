package site

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

	"github.com/jobpulse/jobpulse/ingest/objstore"
)

// sha256Meta is the user metadata key (x-amz-meta-sha256) holding the hex
// sha256 of a published object, which publish compares with the build.
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

// folder is the key prefix of every object of the target.
func (t *bucketTarget) folder() string {
	if t.prefix == "" {
		return ""
	}
	return t.prefix + "/"
}

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
			if key == "" || strings.HasSuffix(key, "/") { // folder markers
				continue
			}
			objs[key] = remoteObject{size: aws.ToInt64(obj.Size)}
		}
	}
	return objs, nil
}

func (t *bucketTarget) stat(ctx context.Context, key string) (remoteObject, error) {
	out, err := t.client.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(t.bucket),
		Key:    aws.String(objstore.JoinKey(t.prefix, key)),
	})
	var notFound *types.NotFound
	if errors.As(err, &notFound) {
		return remoteObject{size: -1}, nil // removed since listed: upload
	}
	if err != nil {
		return remoteObject{}, err
	}
	return remoteObject{
		size:         aws.ToInt64(out.ContentLength),
		sha256:       out.Metadata[sha256Meta], // "" when not published by us: uploaded again
		headers:      true,
		contentType:  aws.ToString(out.ContentType),
		cacheControl: aws.ToString(out.CacheControl),
	}, nil
}

func (t *bucketTarget) put(ctx context.Context, f buildFile) error {
	sum, err := hex.DecodeString(f.sha256)
	if err != nil {
		return fmt.Errorf("sha256 %q: %w", f.sha256, err)
	}
	body, err := f.open()
	if err != nil {
		return err
	}
	defer body.Close()
	_, err = t.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:         aws.String(t.bucket),
		Key:            aws.String(objstore.JoinKey(t.prefix, f.key)),
		Body:           body,
		ContentLength:  aws.Int64(f.size),
		ContentType:    aws.String(f.contentType),
		CacheControl:   aws.String(f.cacheControl),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum)),
		Metadata:       map[string]string{sha256Meta: f.sha256},
	})
	return err
}

func (t *bucketTarget) delete(ctx context.Context, keys []string) (int, error) {
	n := 0
	for start := 0; start < len(keys); start += deleteBatch {
		batch := keys[start:min(start+deleteBatch, len(keys))]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, k := range batch {
			ids[i] = types.ObjectIdentifier{Key: aws.String(objstore.JoinKey(t.prefix, k))}
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
