package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ListingRef is a listing of a posting, and the raw page its content was
// last read from (which ingest.ReadListing reads again).
type ListingRef struct {
	PostingID string // postings.id
	Source    string
	SourceID  string
	URL       string
	LakeKey   string
}

// ErrNoListing is returned by [Warehouse.FindListings] when no listing
// answers a reference.
var ErrNoListing = errors.New("no such posting or listing")

// FindListings returns the listings a reference names, most recently seen
// first: a posting id (its fingerprint, as a UUID: all its listings), a
// listing's URL, or "source:source_id" (a source the warehouse holds). It
// returns an error wrapping [ErrNoListing] when there is none, and at most
// 20 listings.
func (w *Warehouse) FindListings(ctx context.Context, ref string) ([]ListingRef, error) {
	const cols = `SELECT posting_id::text, source, source_id, url, lake_key FROM listings WHERE `
	const order = ` ORDER BY last_seen_at DESC, source, source_id LIMIT 20`
	var queries []string
	var args [][]any
	if isUUID(ref) {
		queries, args = append(queries, cols+`posting_id = $1`+order), append(args, []any{strings.ToLower(ref)})
	}
	if source, id, ok := strings.Cut(ref, ":"); ok && source != "" && id != "" && !strings.HasPrefix(id, "//") {
		// On the key (source, source_id); a URL ("https://...") is not one.
		queries, args = append(queries, cols+`source = $1 AND source_id = $2`+order), append(args, []any{source, id})
	}
	queries, args = append(queries, cols+`url = $1`+order), append(args, []any{ref})
	for i, q := range queries {
		out, err := w.listings(ctx, q, args[i]...)
		if err != nil {
			return nil, fmt.Errorf("warehouse: find listings of %q: %w", ref, err)
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, fmt.Errorf("warehouse: %q: %w (want a posting id, a listing's URL or source:source_id)", ref, ErrNoListing)
}

// isUUID reports whether s is written as a UUID: 32 hex digits in groups of
// 8, 4, 4, 4 and 12, joined by hyphens.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// listings runs a query of listings. None of the three is indexed but the
// key (source, source_id): the others scan listings, some tens of
// milliseconds for 200,000, which a command a person runs can afford.
func (w *Warehouse) listings(ctx context.Context, query string, args ...any) ([]ListingRef, error) {
	rows, err := w.Pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ListingRef
	for rows.Next() {
		var l ListingRef
		if err := rows.Scan(&l.PostingID, &l.Source, &l.SourceID, &l.URL, &l.LakeKey); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
