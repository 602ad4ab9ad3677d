package warehouse

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// loadLockKey is the transaction advisory lock that serialises loads on one
// database: "jobload" in ASCII.
const loadLockKey int64 = 0x6a6f626c6f6164

// LoadStats counts what a load did. Postings are counted once per
// fingerprint: Inserted + Updated + Unchanged is the number of distinct
// postings the run saw.
type LoadStats struct {
	Inserted   int `json:"inserted"`   // postings seen for the first time
	Updated    int `json:"updated"`    // postings already known whose content this run changed
	Unchanged  int `json:"unchanged"`  // postings already known with the same content, or whose newer content an older run must not replace
	Duplicates int `json:"duplicates"` // listings of a posting the run had already seen (another source, a repost, the same record twice)
	Sightings  int `json:"sightings"`  // new (run, posting) sightings; 0 when the run was loaded before
	Rejected   int `json:"rejected"`   // rejects recorded for the run
}

// Add returns the sum of s and o.
func (s LoadStats) Add(o LoadStats) LoadStats {
	return LoadStats{s.Inserted + o.Inserted, s.Updated + o.Updated, s.Unchanged + o.Unchanged,
		s.Duplicates + o.Duplicates, s.Sightings + o.Sightings, s.Rejected + o.Rejected}
}

// Loader streams one run into the warehouse, in one transaction: [BeginLoad],
// then [Loader.Copy] (once or more), then [Loader.Commit], or
// [Loader.Rollback] to give up. A crash or an error at any point leaves the
// warehouse as it was before BeginLoad. A Loader is not safe for concurrent
// use.
//
// Loads never interleave: BeginLoad takes a transaction advisory lock, held
// until Commit or Rollback, so a second load on the same database waits.
// Postings are read from the stream in batches; for each batch the loader
// reads, by key, the few columns it compares of the postings and listings it
// has not met yet in this load (posting ids, content hashes, first and last
// runs; the same for listings), into maps without pointers. Its work and
// memory therefore grow with the run loaded, by about 150 bytes per posting
// and listing, never with the warehouse's history. A load into an empty
// warehouse reads nothing. New postings and listings are written by binary
// COPY straight into their tables, the run's sightings at Commit as one
// sorted array; postings whose content changed and listings that changed go
// through temporary staging tables and are merged at Commit. No row that
// would not change is written.
//
// How a posting is identified, and which content wins, is documented in
// migrations/0001_init.sql: the fingerprint (or source and source id when
// there is none); the newest run's content; within one run, the first
// listing streamed.
type Loader struct {
	tx   pgx.Tx
	run  Run
	runs *runTable
	cur  runKey
	at   time.Time // cur's start, as stored

	empty    bool                      // the warehouse held no posting and no listing: nothing to read
	postings map[[16]byte]postingState // those this load met
	listings map[listingKey]listingState
	sighted  map[[16]byte]bool // the run's sightings before this load (when loaded again)
	pages    []string          // lake keys postingState.page refers to
	pageRefs map[string]int32
	keyHash  [2]maphash.Hash // for listing keys
	rowHash  maphash.Hash    // for listing rows

	countries map[string]string // country code to the name posting_places gives it
	names     tally             // names of the postings added or changed (posting_names)
	seen      tally             // names of the postings the run saw in this load (run_tallies)
	nameBuf   []nameKey         // one posting's names, reused

	seg     segment
	staged  map[string]bool // staging tables created
	stats   LoadStats
	err     error // first failure: the load can only be rolled back
	settled bool  // committed or rolled back

	keysDropped bool // by deferKeys: Commit builds them again
}

// BeginLoad starts the load of run: it checks the run, begins a transaction,
// waits for the load lock and reads the warehouse's state. The run's rows
// are written at [Loader.Commit].
func BeginLoad(ctx context.Context, pool *pgxpool.Pool, run Run) (*Loader, error) {
	if err := validateRun(run); err != nil {
		return nil, fmt.Errorf("warehouse: load: %w", err)
	}
	cur := newRunKey(run.StartedAt, run.ID)
	l := &Loader{
		run:      run,
		runs:     newRunTable(cur),
		cur:      cur,
		at:       cur.time(),
		postings: map[[16]byte]postingState{},
		listings: map[listingKey]listingState{},
		sighted:  map[[16]byte]bool{},
		pageRefs: map[string]int32{},
		staged:   map[string]bool{},
		names:    tally{},
		seen:     tally{},
	}
	seed := maphash.MakeSeed()
	l.keyHash[0].SetSeed(seed)
	l.keyHash[1].SetSeed(maphash.MakeSeed())
	l.rowHash.SetSeed(seed)
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("warehouse: load run %s: begin: %w", run.ID, err)
	}
	l.tx = tx
	err = l.begin(ctx)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("warehouse: load run %s: %w", run.ID, err), l.Rollback(ctx))
	}
	return l, nil
}

func (l *Loader) begin(ctx context.Context) error {
	if _, err := l.tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", loadLockKey); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	// synchronous_commit stays on: a load commits once, and not waiting for
	// that one WAL flush made no measurable difference (200,000 postings).
	if err := l.readEmpty(ctx); err != nil {
		return err
	}
	if err := l.readSightings(ctx); err != nil {
		return err
	}
	if err := l.readCountries(ctx); err != nil {
		return err
	}
	return l.deferKeys(ctx)
}

// Copy streams postings into the load. They should be normalized (see
// ingest.Normalize); strings are cleaned (NUL bytes dropped, invalid UTF-8
// replaced), and a posting without a source or a source id, or with a
// normalized value the schema does not allow, fails the load. An error from
// the iterator aborts the load: the caller then calls [Loader.Rollback].
// Memory stays flat: postings are encoded and sent as they come, and the
// loader keeps at most a few thousand small rows for other tables.
func (l *Loader) Copy(ctx context.Context, postings iter.Seq2[jobdata.Posting, error]) error {
	if err := l.usable(); err != nil {
		return err
	}
	next, stop := iter.Pull2(postings)
	defer stop()
	src := &postingSource{l: l, next: next}
	for !src.done || src.pos < len(src.batch) {
		if !l.empty && src.pos == len(src.batch) {
			if err := src.pull(ctx); err != nil {
				return l.fail(err)
			}
		}
		err := copyIn(ctx, l.tx, "postings", postingColumns, src.fill)
		if src.err != nil {
			return l.fail(src.err)
		}
		if err != nil {
			return l.fail(err)
		}
		if err := l.flush(ctx); err != nil {
			return l.fail(err)
		}
	}
	return nil
}

// batchPostings is how many postings a load reads the state of at once,
// between two COPYs into postings (into a warehouse that is not empty).
const batchPostings = 2048

// postingSource feeds new postings to a COPY into postings, and routes the
// others' rows to the segment. It ends the COPY when the segment is full, so
// the segment can be written before the stream goes on, and, into a
// warehouse that is not empty, at the end of each batch, so that the next
// batch's state can be read.
type postingSource struct {
	l     *Loader
	next  func() (jobdata.Posting, error, bool)
	batch []queued // cleaned postings whose state has been read
	pos   int      // the next of batch to route
	done  bool
	err   error
}

// pull reads the next batch of postings from the stream, cleans them and
// reads their state.
func (s *postingSource) pull(ctx context.Context) error {
	clear(s.batch) // release the postings' strings
	s.batch, s.pos = s.batch[:0], 0
	for len(s.batch) < batchPostings {
		p, err, ok := s.next()
		if !ok {
			s.done = true
			break
		}
		if err == nil {
			err = cleanPosting(&p)
		}
		if err != nil {
			return err
		}
		s.batch = append(s.batch, queued{id: postingID(p.Fingerprint, p.Source, p.SourceID), p: p})
	}
	return s.l.readState(ctx, s.batch)
}

// fill appends about 64 kB of new postings to c; false when the COPY ends.
func (s *postingSource) fill(c *copyBuf) (bool, error) {
	start := len(c.b)
	for len(c.b)-start < 64<<10 {
		if s.l.seg.full() {
			return false, nil
		}
		if !s.l.empty { // postings come from the batch read
			if s.pos == len(s.batch) {
				return false, nil
			}
			q := &s.batch[s.pos]
			s.pos++
			s.l.add(q.id, &q.p, c)
			continue
		}
		p, err, ok := s.next()
		if !ok {
			s.done = true
			return false, nil
		}
		if err == nil {
			err = cleanPosting(&p)
		}
		if err != nil {
			s.err = err
			return false, err
		}
		s.l.add(postingID(p.Fingerprint, p.Source, p.SourceID), &p, c)
	}
	return true, nil
}

// add routes one cleaned posting, of id: a new one is appended to c (the
// COPY into postings sends it); for a known one, what must change is queued.
func (l *Loader) add(id [16]byte, p *jobdata.Posting, c *copyBuf) {
	mark := len(c.b)
	hash := encodeHead(c, id, p) // the start of the row, kept if the posting is new
	cur := l.runs.cur
	st, known := l.postings[id]
	if known {
		c.b = c.b[:mark]
	}
	first := st.seen == notSeen // the first time this load sees it
	switch {
	case !known:
		st = postingState{hash: hash, first: cur, last: cur, seen: seenNew}
		encodeTail(c, p.LakeKey, hash, l.cur, l.at)
		l.stats.Inserted++
	case st.seen != notSeen:
		l.stats.Duplicates++
	default:
		st.seen = seenKnown
		switch vsLast := l.runs.vs(st.last); {
		case vsLast >= 0 && st.hash != hash:
			st.hash, st.last, st.touch = hash, cur, touchStage
			l.seg.changed = append(l.seg.changed, postingRow{id: id, hash: hash, p: *p})
			l.stats.Updated++
		case vsLast > 0:
			st.last, st.touch, st.page = cur, touchLast, l.page(p.LakeKey)
			l.stats.Unchanged++
		case l.runs.vs(st.first) < 0:
			st.first, st.touch = cur, touchFirst
			l.stats.Unchanged++
		default:
			l.stats.Unchanged++
		}
	}
	sighted := first && !l.sighted[id]
	named := first && (st.seen == seenNew || st.touch == touchStage)
	if sighted || named { // the posting's names, made once for both counts
		l.nameBuf = appendNames(l.nameBuf[:0], p, l.countries)
	}
	if sighted {
		l.stats.Sightings++
		l.seen.count(l.nameBuf, false)
	}
	if named {
		l.names.count(l.nameBuf, true)
	}
	l.postings[id] = st
	l.addListing(id, p)
}

// addListing queues p's listing (of posting id): a new row, or an update
// when this run changes it. The first listing with a key in a load wins.
func (l *Loader) addListing(id [16]byte, p *jobdata.Posting) {
	k := l.listingKey(p.Source, p.SourceID)
	h := l.listingHash(id, p.URL, p.LakeKey)
	ls, known := l.listings[k]
	switch {
	case !known:
		l.listings[k] = listingState{hash: h, first: l.runs.cur, last: l.runs.cur, seen: true}
		l.seg.listings = append(l.seg.listings, newListingRow(id, p))
	case ls.seen:
	default:
		ls.seen = true
		l.listings[k] = ls
		vsLast := l.runs.vs(ls.last)
		if vsLast > 0 || l.runs.vs(ls.first) < 0 || (vsLast == 0 && ls.hash != h) {
			l.seg.listingUpdates = append(l.seg.listingUpdates, newListingRow(id, p))
		}
	}
}

// fail records the load's first error and returns it, wrapped.
func (l *Loader) fail(err error) error {
	if l.err == nil {
		l.err = fmt.Errorf("warehouse: load run %s: %w", l.run.ID, err)
	}
	return l.err
}

// usable returns why the loader can no longer be used, if it cannot.
func (l *Loader) usable() error {
	switch {
	case l.err != nil:
		return l.err
	case l.settled:
		return fmt.Errorf("warehouse: load run %s: already committed or rolled back", l.run.ID)
	}
	return nil
}

// Rollback ends the load without changing the warehouse. It is safe to call
// after Commit (it then does nothing), so it can be deferred.
func (l *Loader) Rollback(ctx context.Context) error {
	if l.settled {
		return nil
	}
	l.settled = true
	err := l.tx.Rollback(context.WithoutCancel(ctx))
	if err != nil && !errors.Is(err, pgx.ErrTxClosed) {
		return fmt.Errorf("warehouse: load run %s: rollback: %w", l.run.ID, err)
	}
	return nil
}
