package warehouse

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// runKey identifies a run in time. Runs are ordered by start, then id; the
// start is kept in microseconds, as PostgreSQL keeps it.
type runKey struct {
	micros int64
	id     string
}

func newRunKey(at time.Time, id string) runKey { return runKey{at.UnixMicro(), id} }

// time returns the run's start as stored.
func (k runKey) time() time.Time { return time.UnixMicro(k.micros).UTC() }

func (k runKey) compare(o runKey) int {
	return cmp.Or(cmp.Compare(k.micros, o.micros), strings.Compare(k.id, o.id))
}

// runTable interns the runs that rows name, so that a row's state holds two
// small references, and knows how each compares with the run being loaded.
type runTable struct {
	keys  []runKey
	order []int8 // order[r]: the loaded run compared with keys[r]: -1 older, 0 same, 1 newer
	index map[runKey]int32
	cur   int32 // the run being loaded
}

func newRunTable(cur runKey) *runTable {
	t := &runTable{index: map[runKey]int32{}}
	t.cur = t.ref(cur)
	return t
}

// ref returns the reference of run k, adding it when new.
func (t *runTable) ref(k runKey) int32 {
	if r, ok := t.index[k]; ok {
		return r
	}
	r := int32(len(t.keys))
	t.keys = append(t.keys, k)
	o := 0
	if len(t.keys) > 1 {
		o = t.keys[0].compare(k)
	}
	t.order = append(t.order, int8(o))
	t.index[k] = r
	return r
}

// vs compares the loaded run with run r: -1 when the loaded run is older, 0
// when it is r, 1 when it is newer.
func (t *runTable) vs(r int32) int { return int(t.order[r]) }

// postingState is what a load knows of a posting it saw: what the warehouse
// held, and what this load did to it.
type postingState struct {
	hash        int64 // content_hash
	first, last int32 // first and last seen runs, in the loader's runTable
	page        int32 // with touchLast: the page the loaded run saw it in, in Loader.pages
	seen        seen  // whether this load has seen it, and how
	touch       touch // what Commit updates besides content
}

type seen uint8

const (
	notSeen   seen = iota // read from the warehouse, not routed yet
	seenNew               // inserted by this load
	seenKnown             // in the warehouse before this load
)

type touch uint8

const (
	touchNone  touch = iota
	touchLast        // the loaded run is the newest to see it, with the same content
	touchFirst       // the loaded run is older than its first sighting
	touchStage       // content changed: the staged row updates it (and its last sighting)
)

// A listingKey identifies a listing: a 128-bit hash of its source and source
// id, with the loader's seeds. It holds no pointers, so that the garbage
// collector need not scan the map of listings, and two listings collide with
// a chance of about n²/2¹²⁹, as unlikely as two fingerprints colliding.
type listingKey [16]byte

// listingState is what a load knows of a listing.
type listingState struct {
	hash        uint64 // of posting id, url and lake key (see [Loader.listingHash])
	first, last int32
	seen        bool // this load has seen it
}

// readEmpty finds whether the warehouse holds no posting and no listing: a
// load into it need not read any state, and may build its keys at the end.
func (l *Loader) readEmpty(ctx context.Context) error {
	err := l.tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM postings) AND NOT EXISTS (SELECT FROM listings)`).Scan(&l.empty)
	if err != nil {
		return fmt.Errorf("read whether the warehouse is empty: %w", err)
	}
	return nil
}

// readSightings reads the loaded run's sightings, when the run was loaded
// before: ids of postings it saw (some may be missing from postings).
func (l *Loader) readSightings(ctx context.Context) error {
	var sighted [][16]byte
	err := l.tx.QueryRow(ctx, `SELECT posting_ids FROM run_sightings WHERE run_id = $1`, l.run.ID).Scan(&sighted)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("read sightings of run %s: %w", l.run.ID, err)
	}
	for _, id := range sighted {
		l.sighted[id] = true
	}
	return nil
}

// A queued posting is cleaned, with its id, waiting for its state to be read.
type queued struct {
	id [16]byte
	p  jobdata.Posting
}

// readState reads what the warehouse holds of the postings and listings of
// the queued postings that this load has not met yet: the few columns a load
// compares, not the content, by key through the primary keys. What a night's
// load reads is therefore the night's rows, whatever the history.
func (l *Loader) readState(ctx context.Context, batch []queued) error {
	if l.empty {
		return nil
	}
	var ids [][16]byte
	askedIDs := map[[16]byte]bool{}
	bySource := map[string][]string{}
	var sources []string
	asked := map[listingKey]bool{}
	for i := range batch {
		q := &batch[i]
		if _, ok := l.postings[q.id]; !ok && !askedIDs[q.id] {
			askedIDs[q.id] = true
			ids = append(ids, q.id)
		}
		k := l.listingKey(q.p.Source, q.p.SourceID)
		if _, ok := l.listings[k]; !ok && !asked[k] {
			asked[k] = true
			if _, ok := bySource[q.p.Source]; !ok {
				sources = append(sources, q.p.Source)
			}
			bySource[q.p.Source] = append(bySource[q.p.Source], q.p.SourceID)
		}
	}
	var (
		id     [16]byte
		hash   int64
		fa, la time.Time
		fr, lr string
	)
	if len(ids) > 0 {
		rows, _ := l.tx.Query(ctx, `SELECT id, content_hash, first_seen_at, first_seen_run, last_seen_at, last_seen_run
			FROM postings WHERE id = ANY ($1::uuid[])`, ids)
		_, err := pgx.ForEachRow(rows, []any{&id, &hash, &fa, &fr, &la, &lr}, func() error {
			l.postings[id] = postingState{hash: hash, first: l.runs.ref(newRunKey(fa, fr)), last: l.runs.ref(newRunKey(la, lr))}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read postings: %w", err)
		}
	}
	var sourceID, url, lakeKey string
	for _, source := range sources {
		rows, _ := l.tx.Query(ctx, `SELECT source_id, posting_id, url, lake_key, first_seen_at, first_seen_run,
			last_seen_at, last_seen_run FROM listings WHERE source = $1 AND source_id = ANY ($2::text[])`, source, bySource[source])
		_, err := pgx.ForEachRow(rows, []any{&sourceID, &id, &url, &lakeKey, &fa, &fr, &la, &lr}, func() error {
			l.listings[l.listingKey(source, sourceID)] = listingState{
				hash:  l.listingHash(id, url, lakeKey),
				first: l.runs.ref(newRunKey(fa, fr)),
				last:  l.runs.ref(newRunKey(la, lr)),
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read listings of %s: %w", source, err)
		}
	}
	return nil
}

// page returns the reference of a lake key in l.pages, adding it when new.
func (l *Loader) page(key string) int32 {
	if r, ok := l.pageRefs[key]; ok {
		return r
	}
	key = strings.Clone(key) // kept for the whole load: do not pin what it was cut from
	r := int32(len(l.pages))
	l.pages = append(l.pages, key)
	l.pageRefs[key] = r
	return r
}

// listingKey returns the key of the listing (source, id).
func (l *Loader) listingKey(source, id string) listingKey {
	var k listingKey
	for i := range 2 {
		h := &l.keyHash[i]
		h.Reset()
		h.WriteString(source)
		h.WriteByte(0)
		h.WriteString(id)
		binary.LittleEndian.PutUint64(k[8*i:], h.Sum64())
	}
	return k
}

// listingHash hashes what a listing's row holds besides its lineage.
func (l *Loader) listingHash(postingID [16]byte, url, lakeKey string) uint64 {
	h := &l.rowHash
	h.Reset()
	h.Write(postingID[:])
	h.WriteString(url)
	h.WriteByte(0)
	h.WriteString(lakeKey)
	return h.Sum64()
}
