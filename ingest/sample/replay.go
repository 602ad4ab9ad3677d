package sample

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// poolJSONL is the pool of real postings ([PoolFile]).
//
//go:embed pool.jsonl
var poolJSONL []byte

// Replay is a board that replays the pool of real postings ([PoolPosting])
// night by night, as if they were collected from today's boards: each day a
// plausible subset of them is open, each in the shape of its source.
//
// A posting (the listings of the pool that name one company, title and
// place, as the warehouse counts them: [normalize.Fingerprint]) is open for
// a stretch of each cycle of cycleDays days and closed for the rest, at least
// minGapDays: so a posting that goes comes back only after weeks, as a
// repost (new listing ids). The stretches of one role's postings start
// evenly spaced over the cycle, so that on any day a role has about its
// share of the pool open. That share grows with Size; on a board of
// [MaxReplaySize], a role with too few postings in the pool to keep five
// open at that share keeps five open (all, for a role of five), so that
// every role with five postings in the pool is ranked in the report, and
// its lists of the most, middle and least demanded roles are filled every
// day. Roles with driftMin postings or more drift: over a
// season (driftPeriod) the share of them open falls by up to driftDepth and
// rises again, each role at its own time.
//
// Everything is drawn from the day, so the same day gives the same bytes.
type Replay struct {
	// Size is the number of postings open on a typical day, at most
	// [MaxReplaySize]: less leaves more of each cycle closed.
	Size int
}

// Cycle and drift of a [Replay].
const (
	cycleDays  = 100
	minGapDays = 14 // closed for at least two weeks: no reposts within a two-week demo
	// driftDepth is how much of its share a drifting role loses at the
	// trough of its season. Below 1/(π cycleDays/driftPeriod maxOpen), a
	// stretch never grows faster than a day a day, so a posting that
	// closes stays closed until its next cycle.
	driftDepth = 0.3
	driftMin   = 10 // postings a role needs in the pool to drift
	// rankMin is the number of open postings a role needs to be ranked in
	// the report.
	rankMin = 5
)

// maxOpen is the largest share of a cycle a posting is open.
const maxOpen = float64(cycleDays-minGapDays) / cycleDays

// MaxReplaySize returns the largest [Replay.Size]: the postings of the pool
// open on a typical day when each is open for as much of its cycle as it
// can be (all but the gap, less its role's drift on average).
func MaxReplaySize() int { return int(pool().full) }

// replayIDBase is added to a listing's number to give its id.
const replayIDBase = 3_000_000

// replayPool is the pool read, with its postings grouped as the warehouse
// groups them.
type replayPool struct {
	listings []PoolPosting
	units    []unit  // in the order of their first listing
	full     float64 // the postings open on a typical day of a full board
}

// unit is one posting: the listings of the pool with one fingerprint.
type unit struct {
	listings []int // indexes into replayPool.listings
	role     string
	depth    float64 // how much of its share its role loses at the trough of its season
	full     float64 // its share of the cycle open on a board of MaxReplaySize
	phase    float64 // in days: where its stretches start in the cycle
	drift    float64 // the drift's phase, in radians
}

// pool reads the embedded pool once.
var pool = sync.OnceValue(func() *replayPool {
	p, err := readPool(poolJSONL)
	if err != nil {
		panic(fmt.Sprintf("sample: the embedded %s: %v", PoolFile, err)) // a bug: go generate wrote it
	}
	return p
})

// readPool reads a pool in [PoolFile]'s format and groups its listings
// into postings.
func readPool(b []byte) (*replayPool, error) {
	p := &replayPool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var l PoolPosting
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("pool line %d: %w", n, err)
		}
		if l.Shape != "remotive" && l.Shape != "remoteok" && l.Shape != "arbeitnow" {
			return nil, fmt.Errorf("pool line %d: shape %q", n, l.Shape)
		}
		p.listings = append(p.listings, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("pool: %w", err)
	}
	if len(p.listings) == 0 {
		return nil, errors.New("pool: no postings")
	}
	byPrint := map[string]int{}
	byRole := map[string][]int{}
	for i, l := range p.listings {
		print := normalize.Fingerprint(sampleCompany(l.Company), l.Title, normalize.ParseLocation(l.Location))
		if u, ok := byPrint[print]; ok {
			p.units[u].listings = append(p.units[u].listings, i)
			continue
		}
		role, _ := normalize.Title(l.Title)
		byPrint[print] = len(p.units)
		byRole[role] = append(byRole[role], len(p.units))
		p.units = append(p.units, unit{listings: []int{i}, role: role})
	}
	for role, us := range byRole {
		h := hash(role)
		offset := float64(h%1000) / 1000
		for k, u := range us {
			p.units[u].phase = (float64(k) + offset) / float64(len(us)) * cycleDays
			if role != "" && len(us) >= driftMin {
				// A drifting role keeps rankMin+2 postings open at its
				// trough, clear of the roles that are just ranked.
				p.units[u].depth = max(0, min(driftDepth, 1-(rankMin+2.5)/(float64(len(us))*maxOpen)))
			}
			p.units[u].full = maxOpen
			if role != "" && float64(len(us))*maxOpen < rankMin {
				p.units[u].full = min(1, rankMin/float64(len(us)))
			}
			p.units[u].drift = 2 * math.Pi * float64(h>>32%1000) / 1000
		}
	}
	for _, u := range p.units {
		p.full += u.full * (1 - u.depth/2)
	}
	return p, nil
}

// hash returns a hash of s.
func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// sampleCompany returns the name a sample posting gives for a company
// published as name: its name without legal form ([normalize.Company]) and
// " (sample)", so that every company the demo shows says it is sample data;
// "" when name names no company.
func sampleCompany(name string) string {
	n, _ := normalize.Company(name)
	if n == "" {
		return ""
	}
	return n + " (sample)"
}

// listing is one listing open on a day: a posting of the pool, its id on
// the board and the day its stretch began.
type listing struct {
	*PoolPosting
	n    int64 // the listing's number: its id is replayIDBase+n
	born int64 // the day (since 1970) it appeared
}

// open returns the listings open on day d (days since 1970), in the pool's
// order.
func (r Replay) open(d int64) []listing {
	p := pool()
	fill := 1.0 // how full the board is: 1 at MaxReplaySize
	if r.Size < MaxReplaySize() {
		fill = float64(r.Size) / p.full
	}
	var out []listing
	for ui := range p.units {
		u := &p.units[ui]
		x := float64(d) + u.phase
		c := math.Floor(x / cycleDays)
		start := c*cycleDays - u.phase // the day (fractional) this cycle began
		f := u.full                    // always open when 1
		if fill < 1 {
			f = min(fill*u.full, maxOpen) // a posting that closes stays closed minGapDays
		}
		f *= 1 - u.depth*(1+math.Sin(2*math.Pi*float64(d)/driftPeriod+u.drift))/2
		if x-c*cycleDays >= f*cycleDays {
			continue
		}
		for _, li := range u.listings {
			out = append(out, listing{PoolPosting: &p.listings[li], n: int64(c)*int64(len(p.listings)) + int64(li), born: int64(math.Ceil(start))})
		}
	}
	slices.SortFunc(out, func(a, b listing) int { return int(a.n%int64(len(p.listings)) - b.n%int64(len(p.listings))) })
	return out
}

// published returns when a listing was published: in the day before the
// night it was first seen (02:00 UTC of the day it appeared).
func (l listing) published() time.Time {
	minutes := 1 + int(hash(fmt.Sprint(l.n))%(22*60))
	return time.Unix(l.born*secondsPerDay, 0).UTC().Add(2*time.Hour - time.Duration(minutes)*time.Minute)
}
