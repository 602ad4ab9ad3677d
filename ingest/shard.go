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
	// [CheckShardFree]'s, when the shard of that night is already in the lake.
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

// ShardRecord is what one shard of a night fetched: its manifest in the
// lake, at [ShardKey]. Its Run is the shard's own run: its id names the
// partitions of the shard's raw pages, and its sources say what each fetch
// did (pages, errors), as an ingest's manifest does. A shard whose
// sources all failed is recorded too: the night is then loaded without
// them, and says why.
type ShardRecord struct {
	Night string      `json:"night"` // YYYY-MM-DD
	Shard int         `json:"shard"` // 1 to Of
	Of    int         `json:"of"`
	List  SourceList  `json:"list"` // the whole list the shard was cut from
	Run   jobdata.Run `json:"run"`
}

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

// ShardKey returns the key of a shard's manifest:
// runs/night=<YYYY-MM-DD>/shard=<i>-of-<n>.json. [Replay] does not read it as
// a run's manifest; [MergeNight] does.
func ShardKey(night time.Time, s Shard) string {
	return fmt.Sprintf("%s/shard=%d-of-%d.json", nightPrefix(night), s.I, s.N)
}

func nightPrefix(night time.Time) string {
	return "runs/night=" + night.UTC().Format(time.DateOnly)
}

// CheckShardFree returns an error wrapping [ErrShardRecorded] when the
// shard of night is already in the lake: a shard job run again after it
// succeeded fetches nothing (the night has it already).
func CheckShardFree(ctx context.Context, lake Lake, night time.Time, s Shard) error {
	key := ShardKey(night, s)
	rec, err := readShard(ctx, lake, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("ingest: shard %s of night %s: %w", s, night.Format(time.DateOnly), err)
	}
	return fmt.Errorf("ingest: shard %s of night %s: %w (run %s, finished %s): nothing fetched",
		s, night.Format(time.DateOnly), ErrShardRecorded, rec.Run.ID, rec.Run.FinishedAt.Format(time.RFC3339))
}

// WriteShard writes rec to the lake at its [ShardKey]. When the key is
// taken (another attempt at the shard recorded itself first) the error
// wraps [ErrShardRecorded] and this attempt's pages stay in the lake,
// never loaded.
func WriteShard(ctx context.Context, lake Lake, rec ShardRecord) error {
	night, err := time.Parse(time.DateOnly, rec.Night)
	if err != nil {
		return fmt.Errorf("ingest: shard record: night %q: %w", rec.Night, err)
	}
	s := Shard{I: rec.Shard, N: rec.Of}
	body, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return fmt.Errorf("ingest: shard %s of night %s: %w", s, rec.Night, err)
	}
	key := ShardKey(night, s)
	meta := Meta{Source: "jobpulse", FetchedAt: rec.Run.FinishedAt, Status: 200, ContentType: "application/json"}
	if err := lake.Put(ctx, key, body, meta); err != nil {
		if errors.Is(err, ErrExist) {
			err = fmt.Errorf("%w: another attempt recorded it first; the pages of run %s are left unloaded", ErrShardRecorded, rec.Run.ID)
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
	night, err := time.Parse(time.DateOnly, rec.Night)
	switch {
	case err != nil:
		return ShardRecord{}, fmt.Errorf("%s: night %q: %w", key, rec.Night, err)
	case key != ShardKey(night, Shard{I: rec.Shard, N: rec.Of}):
		return ShardRecord{}, fmt.Errorf("%s: records shard %d/%d of night %s", key, rec.Shard, rec.Of, rec.Night)
	case rec.Run.ID == "" || strings.ContainsAny(rec.Run.ID, "/\\") || rec.Run.StartedAt.IsZero():
		return ShardRecord{}, fmt.Errorf("%s: no run id or start", key)
	}
	return rec, nil
}

// MergeNight merges the shards of night in the lake into the run that loads
// it: one run, with every source of every shard (each reading its pages in
// its shard's partition, see [jobdata.SourceRun].Partition), started when
// the first shard started and finished when the last finished, its id from
// [NightRunID].
//
// While a shard is missing the error wraps [ErrShardMissing] and names the
// missing shards; shards of different counts (n), or cut from different
// source lists, are refused too.
func MergeNight(ctx context.Context, lake Lake, night time.Time) (jobdata.Run, error) {
	date := night.UTC().Format(time.DateOnly)
	fail := func(format string, args ...any) (jobdata.Run, error) {
		return jobdata.Run{}, fmt.Errorf("ingest: night %s: "+format, append([]any{date}, args...)...)
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
	n, list := recs[0].Of, recs[0].List
	have := map[int]bool{}
	for _, rec := range recs {
		switch {
		case rec.Of != n:
			return fail("shards of %d and of %d are both in %s: a night is cut in one count of shards", n, rec.Of, lake)
		case rec.List != list:
			return fail("shard %d/%d was cut from another source list (%d sources) than shard %d/%d (%d sources): "+
				"the configuration changed between them", rec.Shard, n, rec.List.Sources, recs[0].Shard, n, list.Sources)
		}
		have[rec.Shard] = true
	}
	var missing []string
	for i := 1; i <= n; i++ {
		if !have[i] {
			missing = append(missing, fmt.Sprintf("%d/%d", i, n))
		}
	}
	if len(missing) > 0 {
		return fail("%w: %s of %d not in %s yet (jobpulse ingest --shard <i/n> --night %s); nothing loaded",
			ErrShardMissing, strings.Join(missing, ", "), n, lake, date)
	}
	slices.SortFunc(recs, func(a, b ShardRecord) int { return cmp.Compare(a.Shard, b.Shard) })
	run := jobdata.Run{StartedAt: recs[0].Run.StartedAt.UTC()}
	seen := map[string]int{}
	for _, rec := range recs {
		if rec.Run.StartedAt.Before(run.StartedAt) {
			run.StartedAt = rec.Run.StartedAt.UTC()
		}
		if rec.Run.FinishedAt.After(run.FinishedAt) {
			run.FinishedAt = rec.Run.FinishedAt.UTC()
		}
		run.Sample = run.Sample || rec.Run.Sample
		for _, s := range rec.Run.Sources {
			if i, dup := seen[s.Source]; dup {
				return fail("source %s is in shards %d/%d and %d/%d", s.Source, i, n, rec.Shard, n)
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
	return run, nil
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
