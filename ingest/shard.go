package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// Errors of a night fetched in shards, checked with errors.Is.
var (
	// ErrShardMissing is wrapped by [MergeNight]'s error while a shard of
	// the night has not recorded itself in the lake yet.
	ErrShardMissing = errors.New("shard missing")
	// ErrShardRecorded is wrapped by [WriteShard]'s error, and by
	// [NextAttempt]'s, when the shard of that night is already in the lake
	// (and, for NextAttempt, fetched something: see there).
	ErrShardRecorded = errors.New("shard already in the lake")
)

// Shard is the I-th (1 to N) of N shards of the source list: the sources
// whose name hashes to I-1 modulo N (see [Shard.Has]).
type Shard struct{ I, N int }

// ParseShard parses "i/n", e.g. "2/4": the second of four shards.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n || n > 1000 {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n <= 1000, e.g. 2/4", s)
	}
	return Shard{I: i, N: n}, nil
}

// String returns the shard as "i/n".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// Has reports whether the source named name is in the shard: FNV-1a (32
// bits) of the name, modulo N, is I-1. A source's shard depends on its name
// and N only, so adding or removing a board moves no other board, and every
// runner cuts the same shards from the same list without talking to the
// others. (A contiguous cut of the sorted list would move every board after
// the one added.)
func (s Shard) Has(name string) bool {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32()%uint32(s.N)) == s.I-1
}

// Select returns the sources of list that are in the shard, in list order.
func (s Shard) Select(list []Source) []Source {
	var out []Source
	for _, src := range list {
		if s.Has(src.Name()) {
			out = append(out, src)
		}
	}
	return out
}

// ShardRecord is what one attempt at one shard of a night fetched: its
// manifest in the lake, at [ShardKey]. Its Run is the attempt's own run:
// its id names the partitions of the attempt's raw pages, and its sources
// say what each fetch did (pages, errors), as an ingest's manifest does. A
// shard whose sources all failed is recorded too: the night is then loaded
// without them, and says why, until the shard is fetched again as a new
// attempt (see [NextAttempt]), which the night then loads instead.
type ShardRecord struct {
	Night string `json:"night"` // YYYY-MM-DD
	Shard int    `json:"shard"` // 1 to Of
	Of    int    `json:"of"`
	// Attempt is 1 for the shard's first fetch that night, and one more for
	// each fetch again of a shard whose every source failed. (0, in a
	// record of a binary that did not retry, reads as 1.)
	Attempt int         `json:"attempt"`
	List    SourceList  `json:"list"` // the whole list the shard was cut from
	Run     jobdata.Run `json:"run"`
}

// maxAttempts bounds the attempts at one shard of one night: far more
// than an operator re-runs a job, and small enough that a night's
// retries add up without overflow.
const maxAttempts = 1000

// SourceList identifies a list of sources without naming each: shards cut
// from different lists (a configuration changed between two shards' jobs)
// would load a night with sources missing or twice, so [MergeNight]
// refuses them.
type SourceList struct {
	Sources int    `json:"sources"`
	SHA256  string `json:"sha256"` // of the sorted names, one a line
}

// ListOf returns the [SourceList] of sources.
func ListOf(sources []Source) SourceList {
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = s.Name()
	}
	slices.Sort(names)
	sum := sha256.Sum256([]byte(strings.Join(names, "\n")))
	return SourceList{Sources: len(names), SHA256: hex.EncodeToString(sum[:])}
}

// ShardRunID returns the id of a shard's run started at t: a run id (see
// [jobdata.NewRunID]) that names the shard, e.g. 20261205T031700Z-3f9a-s2of4.
// Each attempt at a shard has its own, so a retried shard never meets the
// pages of an attempt that died (raw objects are never overwritten).
func ShardRunID(t time.Time, s Shard) string {
	return fmt.Sprintf("%s-s%dof%d", jobdata.NewRunID(t), s.I, s.N)
}

// NightRunID returns the id of the run that loads a night fetched in n
// shards, the first of which started at start: e.g.
// 20261205T031700Z-night4. It sorts with other runs by start time, and is the
// same whenever the same shards are merged, so loading a night again loads
// the same run.
func NightRunID(start time.Time, n int) string {
	return fmt.Sprintf("%s-night%d", start.UTC().Format("20060102T150405Z"), n)
}

// ShardKey returns the key of the manifest of an attempt at a shard:
// runs/night=<YYYY-MM-DD>/shard=<i>-of-<n>.json for the first (attempt 1,
// or 0), runs/night=<YYYY-MM-DD>/shard=<i>-of-<n>/attempt=<k>.json for the
// k-th. [Replay] does not read it as a run's manifest; [MergeNight] does.
func ShardKey(night time.Time, s Shard, attempt int) string {
	if attempt <= 1 {
		return fmt.Sprintf("%s/shard=%d-of-%d.json", nightPrefix(night), s.I, s.N)
	}
	return fmt.Sprintf("%s/shard=%d-of-%d/attempt=%d.json", nightPrefix(night), s.I, s.N, attempt)
}

// shardAttempt returns the attempt whose manifest key is key, when key is
// that of an attempt at shard s of night (see [ShardKey]).
func shardAttempt(key string, night time.Time, s Shard) (int, bool) {
	rest, ok := strings.CutPrefix(key, fmt.Sprintf("%s/shard=%d-of-%d", nightPrefix(night), s.I, s.N))
	if !ok {
		return 0, false
	}
	if rest == ".json" {
		return 1, true
	}
	k, ok := strings.CutPrefix(rest, "/attempt=")
	if k, ok = strings.CutSuffix(k, ".json"); !ok {
		return 0, false
	}
	attempt, err := strconv.Atoi(k)
	if err != nil || attempt < 2 || attempt > maxAttempts || key != ShardKey(night, s, attempt) {
		return 0, false
	}
	return attempt, true
}

func nightPrefix(night time.Time) string {
	return "runs/night=" + night.UTC().Format(time.DateOnly)
}

// NextAttempt returns the attempt at shard s of night that a fetch of it
// makes now: 1 when the shard is not in the lake; the next attempt when the
// newest one recorded failed wholesale (every source of it failed: the
// runner's network was down, say), as nothing of it is worth keeping and a
// fetch again is what the operator who re-runs the job wants; else an error
// wrapping [ErrShardRecorded], before anything is fetched, as the shard
// fetched something and fetching it again would give the night twice.
//
// A shard that fetched some of its sources (partial) is refused too: its
// failed sources are failed for that night, as in a run on one runner.
func NextAttempt(ctx context.Context, lake Lake, night time.Time, s Shard) (int, error) {
	date := night.UTC().Format(time.DateOnly)
	keys, err := lake.List(ctx, nightPrefix(night)+"/")
	if err != nil {
		return 0, fmt.Errorf("ingest: shard %s of night %s: list %s: %w", s, date, lake, err)
	}
	newest := 0
	for _, key := range keys {
		if k, ok := shardAttempt(key, night, s); ok && k > newest {
			newest = k
		}
	}
	if newest == 0 {
		return 1, nil
	}
	rec, err := readShard(ctx, lake, ShardKey(night, s, newest))
	if err != nil {
		return 0, fmt.Errorf("ingest: shard %s of night %s: %w", s, date, err)
	}
	if rec.Run.Status == jobdata.RunFailed {
		if newest >= maxAttempts {
			return 0, fmt.Errorf("ingest: shard %s of night %s: %d attempts already: no more", s, date, newest)
		}
		return newest + 1, nil
	}
	fetched := 0
	for _, src := range rec.Run.Sources {
		if src.Status != jobdata.SourceFailed {
			fetched++
		}
	}
	return 0, fmt.Errorf("ingest: shard %s of night %s: %w (attempt %d, run %s, finished %s, %d of %d sources fetched): "+
		"nothing fetched; only a shard whose every source failed is fetched again",
		s, date, ErrShardRecorded, rec.Attempt, rec.Run.ID, rec.Run.FinishedAt.Format(time.RFC3339), fetched, len(rec.Run.Sources))
}

// WriteShard writes rec to the lake at its [ShardKey] (of its attempt; 0
// is the first).
// When the key is taken (another fetch of the same attempt at the shard
// recorded itself first) the error wraps [ErrShardRecorded] and this
// fetch's pages stay in the lake, never loaded.
func WriteShard(ctx context.Context, lake Lake, rec ShardRecord) error {
	night, err := time.Parse(time.DateOnly, rec.Night)
	if err != nil {
		return fmt.Errorf("ingest: shard record: night %q: %w", rec.Night, err)
	}
	s := Shard{I: rec.Shard, N: rec.Of}
	if rec.Attempt == 0 {
		rec.Attempt = 1
	}
	if rec.Attempt < 1 || rec.Attempt > maxAttempts {
		return fmt.Errorf("ingest: shard %s of night %s: attempt %d", s, rec.Night, rec.Attempt)
	}
	body, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("ingest: shard %s of night %s: %w", s, rec.Night, err)
	}
	key := ShardKey(night, s, rec.Attempt)
	meta := Meta{Source: "jobpulse", FetchedAt: rec.Run.FinishedAt, Status: 200, ContentType: "application/json"}
	if err := lake.Put(ctx, key, body, meta); err != nil {
		if errors.Is(err, ErrExist) {
			err = fmt.Errorf("%w: another fetch recorded attempt %d first; the pages of run %s are left unloaded",
				ErrShardRecorded, rec.Attempt, rec.Run.ID)
		}
		return fmt.Errorf("ingest: shard %s of night %s: %w", s, rec.Night, err)
	}
	return nil
}

// readShard reads and checks the shard manifest at key.
func readShard(ctx context.Context, lake Lake, key string) (ShardRecord, error) {
	body, _, err := lake.Get(ctx, key)
	if err != nil {
		return ShardRecord{}, err
	}
	var rec ShardRecord
	if err := json.Unmarshal(body, &rec); err != nil {
		return ShardRecord{}, fmt.Errorf("decode %s: %w", key, err)
	}
	if rec.Attempt == 0 {
		rec.Attempt = 1
	}
	night, err := time.Parse(time.DateOnly, rec.Night)
	switch {
	case err != nil:
		return ShardRecord{}, fmt.Errorf("%s: night %q: %w", key, rec.Night, err)
	case rec.Attempt < 1 || rec.Attempt > maxAttempts || key != ShardKey(night, Shard{I: rec.Shard, N: rec.Of}, rec.Attempt):
		return ShardRecord{}, fmt.Errorf("%s: records attempt %d at shard %d/%d of night %s", key, rec.Attempt, rec.Shard, rec.Of, rec.Night)
	case rec.Run.ID == "" || strings.ContainsAny(rec.Run.ID, "/\\") || rec.Run.StartedAt.IsZero():
		return ShardRecord{}, fmt.Errorf("%s: no run id or start", key)
	}
	return rec, nil
}

// NightRun is a night fetched in shards, merged by [MergeNight] into the
// run that loads it.
type NightRun struct {
	Run jobdata.Run
	// Retries counts the attempts merged that fetched a shard again: the
	// sum over the shards of their newest attempt less one. It only grows
	// as shards are fetched again, so it tells apart the loads of one night
	// (see [NightRun.ManifestKey]).
	Retries int
}

// ManifestKey returns the key of the manifest of the night's run as merged:
// the run's [ManifestKey] when no shard was fetched again, else
// runs/run=<id>/retries=<k>.json. Each load of a night writes its own, the
// lake never overwriting the manifest of an earlier load, and [Replay]
// restores each in turn, as the warehouse loaded them.
func (n NightRun) ManifestKey() string {
	if n.Retries == 0 {
		return ManifestKey(n.Run.ID)
	}
	return fmt.Sprintf("runs/run=%s/retries=%d.json", keySegment.Replace(n.Run.ID), n.Retries)
}

// WriteNightManifest writes the manifest of the night's run, at its
// [NightRun.ManifestKey]. The error wraps [ErrExist] when that load of the
// night was written already (the same shards merged again).
func WriteNightManifest(ctx context.Context, lake Lake, n NightRun) error {
	body, err := json.MarshalIndent(n.Run, "", "  ")
	if err != nil {
		return fmt.Errorf("ingest: manifest of night run %s: %w", n.Run.ID, err)
	}
	meta := Meta{Source: "jobpulse", FetchedAt: n.Run.FinishedAt, Status: 200, ContentType: "application/json"}
	if err := lake.Put(ctx, n.ManifestKey(), body, meta); err != nil {
		return fmt.Errorf("ingest: manifest of night run %s (%d retried shards): %w", n.Run.ID, n.Retries, err)
	}
	return nil
}

// MergeNight merges the shards of night in the lake into the run that loads
// it: one run, with every source of the newest attempt at every shard (each
// reading its pages in that attempt's partition, see
// [jobdata.SourceRun].Partition, so the pages of two attempts never mix),
// started when the first attempt at any shard started and finished when the
// last finished, its id from [NightRunID]. The id is therefore the same
// however often a shard was fetched again: a night loaded before a shard
// was fetched again and after is one run, loaded twice.
//
// While a shard is missing the error wraps [ErrShardMissing] and names the
// missing shards; shards of different counts (n), or whose newest attempts
// were cut from different source lists, are refused too.
func MergeNight(ctx context.Context, lake Lake, night time.Time) (NightRun, error) {
	date := night.UTC().Format(time.DateOnly)
	fail := func(format string, args ...any) (NightRun, error) {
		return NightRun{}, fmt.Errorf("ingest: night %s: "+format, append([]any{date}, args...)...)
	}
	keys, err := lake.List(ctx, nightPrefix(night)+"/")
	if err != nil {
		return fail("list the shards in %s: %w", lake, err)
	}
	var recs []ShardRecord
	for _, key := range keys {
		if path.Ext(key) != ".json" {
			continue
		}
		rec, err := readShard(ctx, lake, key)
		if err != nil {
			return fail("shard manifest: %w", err)
		}
		recs = append(recs, rec)
	}
	if len(recs) == 0 {
		return fail("%w: no shard is in %s (jobpulse ingest --shard i/n --night %s)", ErrShardMissing, lake, date)
	}
	n := recs[0].Of
	newest := map[int]ShardRecord{} // by shard
	for _, rec := range recs {
		if rec.Of != n {
			return fail("shards of %d and of %d are both in %s: a night is cut in one count of shards", n, rec.Of, lake)
		}
		if cur, ok := newest[rec.Shard]; !ok || rec.Attempt > cur.Attempt {
			newest[rec.Shard] = rec
		}
	}
	var missing []string
	for i := 1; i <= n; i++ {
		if _, ok := newest[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	if len(missing) > 0 {
		return fail("%w: %s of %d not in %s yet (jobpulse ingest --shard <i/n> --night %s); nothing loaded",
			ErrShardMissing, strings.Join(missing, ", "), n, lake, date)
	}
	first := newest[1]
	for i := 2; i <= n; i++ {
		if rec := newest[i]; rec.List != first.List {
			return fail("shard %d/%d was cut from another source list (%d sources) than shard %d/%d (%d sources): "+
				"the configuration changed between them", rec.Shard, n, rec.List.Sources, first.Shard, n, first.List.Sources)
		}
	}
	night1 := NightRun{Run: jobdata.Run{StartedAt: recs[0].Run.StartedAt.UTC()}}
	run := &night1.Run
	for _, rec := range recs { // every attempt: when the night began and ended
		if rec.Run.StartedAt.Before(run.StartedAt) {
			run.StartedAt = rec.Run.StartedAt.UTC()
		}
		if rec.Run.FinishedAt.After(run.FinishedAt) {
			run.FinishedAt = rec.Run.FinishedAt.UTC()
		}
	}
	seen := map[string]int{}
	for i := 1; i <= n; i++ {
		rec := newest[i]
		night1.Retries += rec.Attempt - 1
		run.Sample = run.Sample || rec.Run.Sample
		for _, s := range rec.Run.Sources {
			if j, dup := seen[s.Source]; dup {
				return fail("source %s is in shards %d/%d and %d/%d", s.Source, j, n, rec.Shard, n)
			}
			seen[s.Source] = rec.Shard
			if s.Partition == "" {
				s.Partition = partition(s, rec.Run)
			}
			run.Sources = append(run.Sources, s)
		}
	}
	slices.SortFunc(run.Sources, func(a, b jobdata.SourceRun) int { return cmp.Compare(a.Source, b.Source) })
	run.ID = NightRunID(run.StartedAt, n)
	run.Status = runStatus(run.Sources)
	return night1, nil
}

// validPartition reports whether p is a partition of source's raw pages, as
// [RawKey] makes them: raw/source=<source>/date=<d>/run=<id>/.
func validPartition(source, p string) bool {
	dir, ok := strings.CutSuffix(p, "/")
	if !ok {
		return false
	}
	s, _, _, ok := parseRawKey(dir + "/x")
	return ok && s == keySegment.Replace(source)
}
