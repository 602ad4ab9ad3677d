package publish

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Multipart uploads: a file larger than multipartThreshold goes up in parts
// of multipartPartSize (S3 allows 5 MiB at least, 10,000 parts at most), so
// that a failed part is retried alone. Variables so tests can lower them.
var (
	multipartThreshold int64 = 16 << 20
	multipartPartSize  int64 = 8 << 20
)

// putMultipart uploads body (size bytes) in parts, one after the other (the
// publish runs several files at once), and aborts the upload on failure so
// that no parts are left billed in the bucket.
func (t *bucketTarget) putMultipart(ctx context.Context, f *buildFile, body io.ReaderAt, size int64) (putResult, error) {
	in := &s3.CreateMultipartUploadInput{
		Bucket:   aws.String(t.bucket),
		Key:      t.key(f.key),
		Metadata: map[string]string{sha256Meta: f.sha256},
	}
	t.setHeaders(f, &in.ContentType, &in.CacheControl, &in.ContentEncoding, &in.WebsiteRedirectLocation)
	up, err := t.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return putResult{}, fmt.Errorf("create multipart upload: %w", err)
	}
	abort := func(err error) (putResult, error) {
		// A fresh context: the upload's may be what was canceled.
		_, aerr := t.client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{
			Bucket: aws.String(t.bucket), Key: t.key(f.key), UploadId: up.UploadId,
		})
		if aerr != nil {
			err = errors.Join(err, fmt.Errorf("abort multipart upload: %w", aerr))
		}
		return putResult{}, err
	}
	var parts []types.CompletedPart
	for n, off := int32(1), int64(0); off < size; n, off = n+1, off+multipartPartSize {
		length := min(multipartPartSize, size-off)
		out, err := t.client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket:        aws.String(t.bucket),
			Key:           t.key(f.key),
			UploadId:      up.UploadId,
			PartNumber:    aws.Int32(n),
			Body:          io.NewSectionReader(body, off, length),
			ContentLength: aws.Int64(length),
		})
		if err != nil {
			return abort(fmt.Errorf("upload part %d: %w", n, err))
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(n)})
	}
	out, err := t.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(t.bucket),
		Key:             t.key(f.key),
		UploadId:        up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return abort(fmt.Errorf("complete multipart upload: %w", err))
	}
	return putResult{etag: unquote(aws.ToString(out.ETag)), size: size}, nil
}
