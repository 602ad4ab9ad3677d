package ingest

import (
	"context"
	"errors"
	"fmt"
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
//
// Each part stays one segment of the key, whatever it holds, so that the
// key is always valid ([ValidateKey]) and under its source's, date's and
// run's folder: "/", "\" and NUL are written %2F, %5C and %00, and a name
// that is empty, "." or ".." is written "%00", "%2E" or "%2E%2E". The parts
// jobpulse makes (source names, run ids, page names) hold none of these and
// are kept as they are.
func RawKey(source string, date time.Time, runID, name string) string {
	switch name {
	case "":
		name = "%00"
	case ".":
		name = "%2E"
	case "..":
		name = "%2E%2E"
	}
	return "raw/source=" + keySegment.Replace(source) +
		"/date=" + date.UTC().Format(time.DateOnly) +
		"/run=" + keySegment.Replace(runID) +
		"/" + keySegment.Replace(name)
}

// keySegment escapes what would split a key segment or make it invalid.
var keySegment = strings.NewReplacer("/", "%2F", "\\", "%5C", "\x00", "%00")

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
// ingest, from which a replay restores the run. As in [RawKey], the run id
// stays one segment of the key.
func ManifestKey(runID string) string {
	return "runs/run=" + keySegment.Replace(runID) + ".json"
}
