package warehouse

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/jobpulse/jobpulse/ingest"
)

// ListingRef is a listing of a posting, and the raw page its content was
// last read from.
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
// first: a posting id (its fingerprint, all its listings), a listing's URL,
// or "source:source_id". It returns an error wrapping [ErrNoListing] when
// there is none.
func (w *Warehouse) FindListings(ctx context.Context, ref string) ([]ListingRef, error) {
	rows, err := w.Pool.Query(ctx, `
		SELECT posting_id::text, source, source_id, url, lake_key FROM listings
		WHERE posting_id::text = $1 OR url = $1 OR source || ':' || source_id = $1
		ORDER BY last_seen_at DESC, source, source_id
		LIMIT 20`, ref)
	if err != nil {
		return nil, fmt.Errorf("find listings of %q: %w", ref, err)
	}
	defer rows.Close()
	var out []ListingRef
	for rows.Next() {
		var l ListingRef
		if err := rows.Scan(&l.PostingID, &l.Source, &l.SourceID, &l.URL, &l.LakeKey); err != nil {
			return nil, fmt.Errorf("find listings of %q: %w", ref, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find listings of %q: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%q: %w (want a posting id, a listing's URL or source:source_id)", ref, ErrNoListing)
	}
	return out, nil
}

// ReadListing reads a listing's posting from the lake as a load does: its
// raw page parsed by src (with the other pages of its run for detail pages),
// the record of the listing's source id taken, normalized. It needs no
// network and no warehouse.
func ReadListing(ctx context.Context, lake ingest.Lake, src ingest.Source, l ListingRef) (ingest.Posting, error) {
	body, meta, err := lake.Get(ctx, l.LakeKey)
	if err != nil {
		return ingest.Posting{}, fmt.Errorf("read %s: %w", l.LakeKey, err)
	}
	page := ingest.StoredPage{Key: l.LakeKey, Name: path.Base(l.LakeKey), Body: body, Meta: meta}
	postings, _, err := parsePage(ctx, src, page, lakeLookup(lake, path.Dir(l.LakeKey)+"/"))
	if err != nil {
		return ingest.Posting{}, err
	}
	for _, p := range postings {
		if p.SourceID == l.SourceID {
			return p, nil
		}
	}
	return ingest.Posting{}, fmt.Errorf("%s: no record %s:%s: %w", l.LakeKey, l.Source, l.SourceID, ErrNoListing)
}
