package ingest

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Errors returned by every [Lake] implementation, checked with errors.Is.
var (
	// ErrExist is returned by [Lake.Put] when the key already holds an object:
	// raw objects are never overwritten.
	ErrExist = errors.New("object already exists")
	// ErrNotFound is returned by [Lake.Get] when no object has the key.
	ErrNotFound = errors.New("object not found")
)

// Meta describes how a raw object was received. It is stored beside the
// object (an object's user metadata on S3, a sidecar file in a folder).
type Meta struct {
	Source      string    `json:"source"`
	URL         string    `json:"url"`
	FetchedAt   time.Time `json:"fetched_at"`
	Status      int       `json:"status"`
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"` // hex of the body; filled in by Put when empty
	Size        int64     `json:"size"`   // length of the body; filled in by Put
	// Error says why the response is not a whole 2xx answer (a status, a
	// body cut short or over the cap); empty for a page fit to parse.
	Error string `json:"error,omitempty"`
}

// Lake stores raw pages exactly as they were received.
//
// Keys are slash-separated paths relative to the lake's root (see [RawKey]).
// Implementations are safe for concurrent use.
type Lake interface {
	// Put stores body under key with its metadata. It returns an error
	// wrapping [ErrExist] when key is already taken.
	Put(ctx context.Context, key string, body []byte, meta Meta) error
	// Get returns the body and metadata stored under key, or an error
	// wrapping [ErrNotFound].
	Get(ctx context.Context, key string) ([]byte, Meta, error)
	// List returns the keys under prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// String names the lake for logs and errors, e.g. "s3://bucket/prefix".
	String() string
}

// RawKey returns the key of a raw page:
// raw/source=<source>/date=<YYYY-MM-DD>/run=<runID>/<name>.
// The date is the UTC date of the run's start.
func RawKey(source string, date time.Time, runID, name string) string {
	return path.Join("raw",
		"source="+source,
		"date="+date.UTC().Format(time.DateOnly),
		"run="+runID,
		name)
}

// ValidateKey reports whether key is a clean relative key that cannot escape
// the lake's root: no empty, "." or ".." segments, no leading slash, no
// backslashes or NUL bytes.
func ValidateKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00") {
		return fmt.Errorf("lake: invalid key %q", key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("lake: invalid key %q", key)
		}
	}
	return nil
}

// ManifestKey returns the key of a run's manifest, runs/run=<runID>.json: the
// run's record (sources, status, errors, times) written at the end of an
// ingest, from which a replay restores the run.
func ManifestKey(runID string) string {
	return path.Join("runs", "run="+runID+".json")
}
