package ingest

import (
	"context"
	"fmt"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// OpenLake opens the lake at url: an s3://bucket[/prefix] URL opens an
// [S3Lake] with a client from the AWS SDK's standard configuration chain (see
// [objstore.NewClient]); anything else is a folder, opened as a [FolderLake].
func OpenLake(ctx context.Context, url string) (Lake, error) {
	if url == "" {
		return nil, fmt.Errorf("lake: open: empty location")
	}
	if !objstore.IsS3URL(url) {
		return NewFolderLake(url)
	}
	bucket, prefix, err := objstore.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", url, err)
	}
	client, err := objstore.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", url, err)
	}
	return NewS3Lake(client, bucket, prefix), nil
}
