package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// named is a source that only has a name: what sharding looks at.
type named string

func (n named) Name() string                                                    { return string(n) }
func (named) Fetch(context.Context, func(context.Context, RawPage) error) error { return nil }
func (named) Parse(context.Context, StoredPage, Lookup) ([]Posting, []Reject, error) {
	return nil, nil, nil
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		err  bool
	}{
		{in: "1/1", want: Shard{1, 1}},
		{in: "2/4", want: Shard{2, 4}},
		{in: "4/4", want: Shard{4, 4}},
		{in: "0/4", err: true},
		{in: "5/4", err: true},
		{in: "1/0", err: true},
		{in: "2", err: true},
		{in: "a/b", err: true},
		{in: "-1/4", err: true},
		{in: "1/1001", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseShard(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("ParseShard(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestShardSelect checks that the shards of a list cut it into n disjoint
// parts, and that adding sources to the list moves no source already in it.
func TestShardSelect(t *testing.T) {
	var list []Source
	for i := range 300 {
		list = append(list, named(fmt.Sprintf("greenhouse-company-%03d", i)))
	}
	const n = 7
	shardOf := func(list []Source) map[string]int {
		out := map[string]int{}
		for i := 1; i <= n; i++ {
			for _, s := range (Shard{i, n}).Select(list) {
				if j, dup := out[s.Name()]; dup {
					t.Fatalf("%s is in shards %d and %d", s.Name(), j, i)
				}
				out[s.Name()] = i
			}
		}
		return out
	}
	before := shardOf(list)
	if len(before) != len(list) {
		t.Fatalf("the shards hold %d of %d sources", len(before), len(list))
	}
	sizes := map[int]int{}
	for _, i := range before {
		sizes[i]++
	}
	for i := 1; i <= n; i++ {
		if sizes[i] < len(list)/n/2 {
			t.Errorf("shard %d/%d holds %d of %d sources: too uneven", i, n, sizes[i], len(list))
		}
	}
	after := shardOf(append([]Source{named("lever-newcomer"), named("ashby-another")}, list...))
	for name, i := range before {
		if after[name] != i {
			t.Errorf("adding two sources moved %s from shard %d to %d", name, i, after[name])
		}
	}
}

// TestMergeNight records shards of a night in a lake, as ingest --shard
// does, and merges them: refused while one is missing, or when the shards
// do not belong together; else one run with every source, each reading its
// pages in its shard's partition.
func TestMergeNight(t *testing.T) {
	ctx := context.Background()
	night := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	list := ListOf([]Source{named("a"), named("b"), named("c")})
	start := time.Date(2026, 12, 5, 3, 17, 0, 0, time.UTC)
	record := func(i, n int, l SourceList, sources ...string) ShardRecord {
		at := start.Add(time.Duration(i) * time.Minute)
		run := jobdata.Run{ID: fmt.Sprintf("20261205T03%02d00Z-beef-s%dof%d", 17+i, i, n), StartedAt: at,
			FinishedAt: at.Add(10 * time.Minute), Status: jobdata.RunOK}
		for _, s := range sources {
			run.Sources = append(run.Sources, jobdata.SourceRun{Source: s, Status: jobdata.SourceOK, Pages: 1})
		}
		return ShardRecord{Night: "2026-12-05", Shard: i, Of: n, List: l, Run: run}
	}
	tests := []struct {
		name    string
		records []ShardRecord
		err     string // "" when the merge succeeds
	}{
		{name: "none", err: "no shard is in"},
		{name: "missing", records: []ShardRecord{record(1, 3, list, "a"), record(3, 3, list, "c")}, err: "2/3 of 3 not in"},
		{name: "two counts", records: []ShardRecord{record(1, 2, list, "a"), record(2, 3, list, "c")}, err: "shards of 2 and of 3"},
		{name: "two lists", records: []ShardRecord{record(1, 2, list, "a"), record(2, 2, ListOf([]Source{named("a")}), "b")},
			err: "another source list"},
		{name: "twice", records: []ShardRecord{record(1, 2, list, "a", "b"), record(2, 2, list, "b")}, err: "source b is in shards 1/2 and 2/2"},
		{name: "whole", records: []ShardRecord{record(2, 3, list, "c", "a"), record(1, 3, list), record(3, 3, list, "b")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lake, err := NewFolderLake(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range tt.records {
				if err := WriteShard(ctx, lake, rec); err != nil {
					t.Fatal(err)
				}
			}
			merged, err := MergeNight(ctx, lake, night)
			run := merged.Run
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("MergeNight: err = %v, want %q", err, tt.err)
				}
				if strings.Contains(tt.err, "not in") && !errors.Is(err, ErrShardMissing) {
					t.Errorf("MergeNight: err = %v, want ErrShardMissing", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := jobdata.Run{
				ID: "20261205T031800Z-night3", StartedAt: start.Add(time.Minute), FinishedAt: start.Add(13 * time.Minute),
				Status: jobdata.RunOK,
				Sources: []jobdata.SourceRun{
					{Source: "a", Status: "ok", Pages: 1, Partition: "raw/source=a/date=2026-12-05/run=20261205T031900Z-beef-s2of3/"},
					{Source: "b", Status: "ok", Pages: 1, Partition: "raw/source=b/date=2026-12-05/run=20261205T032000Z-beef-s3of3/"},
					{Source: "c", Status: "ok", Pages: 1, Partition: "raw/source=c/date=2026-12-05/run=20261205T031900Z-beef-s2of3/"},
				},
			}
			if diff := cmp.Diff(want, run); diff != "" {
				t.Errorf("MergeNight (-want +got):\n%s", diff)
			}
			if merged.Retries != 0 || merged.ManifestKey() != "runs/run=20261205T031800Z-night3.json" {
				t.Errorf("MergeNight: %d retries, manifest at %s; want 0, the run's manifest", merged.Retries, merged.ManifestKey())
			}
			// A shard recorded twice is refused, as is its fetch.
			if err := WriteShard(ctx, lake, tt.records[0]); !errors.Is(err, ErrShardRecorded) {
				t.Errorf("WriteShard again: err = %v, want ErrShardRecorded", err)
			}
			if _, err := NextAttempt(ctx, lake, night, Shard{2, 3}); !errors.Is(err, ErrShardRecorded) {
				t.Errorf("NextAttempt at a recorded shard: err = %v, want ErrShardRecorded", err)
			}
			if k, err := NextAttempt(ctx, lake, night, Shard{2, 4}); err != nil || k != 1 {
				t.Errorf("NextAttempt at a shard not recorded: %d, %v; want 1", k, err)
			}
		})
	}
}

// TestShardFetchedAgain records a night of 3 shards whose second failed
// wholesale, then fetches that shard again, twice: each attempt is
// recorded at a key of its own, and the night merges the newest attempt at
// each shard, under the same run id, with a manifest key of its own; a
// shard that fetched anything is never fetched again.
func TestShardFetchedAgain(t *testing.T) {
	ctx := context.Background()
	night := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	list := ListOf([]Source{named("a"), named("b"), named("c"), named("d")})
	start := time.Date(2026, 12, 5, 3, 17, 0, 0, time.UTC)
	record := func(i, attempt int, at time.Time, status map[string]string) ShardRecord {
		run := jobdata.Run{ID: fmt.Sprintf("%s-beef-s%dof3", at.Format("20060102T150405Z"), i), StartedAt: at,
			FinishedAt: at.Add(10 * time.Minute)}
		for _, s := range []string{"a", "b", "c", "d"} {
			if st, ok := status[s]; ok {
				run.Sources = append(run.Sources, jobdata.SourceRun{Source: s, Status: st, Pages: 1})
			}
		}
		run.Status = runStatus(run.Sources)
		return ShardRecord{Night: "2026-12-05", Shard: i, Of: 3, Attempt: attempt, List: list, Run: run}
	}
	lake, err := NewFolderLake(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	write := func(rec ShardRecord) {
		t.Helper()
		if err := WriteShard(ctx, lake, rec); err != nil {
			t.Fatal(err)
		}
	}
	failed, ok := jobdata.SourceFailed, jobdata.SourceOK
	write(record(1, 1, start, map[string]string{"a": ok}))
	write(record(2, 1, start.Add(time.Minute), map[string]string{"b": failed, "c": failed}))
	write(record(3, 1, start.Add(2*time.Minute), map[string]string{"d": failed}))
	first, err := MergeNight(ctx, lake, night)
	if err != nil {
		t.Fatal(err)
	}
	if first.Run.Status != jobdata.RunPartial || first.Retries != 0 {
		t.Fatalf("night before a fetch again: %s, %d retries; want partial, 0", first.Run.Status, first.Retries)
	}

	// Shard 1 fetched its source: never again. Shards 2 and 3 failed
	// wholesale: fetched again as attempt 2.
	if _, err := NextAttempt(ctx, lake, night, Shard{1, 3}); !errors.Is(err, ErrShardRecorded) ||
		!strings.Contains(err.Error(), "1 of 1 sources fetched") {
		t.Errorf("NextAttempt at a shard that fetched: err = %v, want ErrShardRecorded", err)
	}
	for _, i := range []int{2, 3} {
		if k, err := NextAttempt(ctx, lake, night, Shard{i, 3}); err != nil || k != 2 {
			t.Errorf("NextAttempt at shard %d/3, failed wholesale: %d, %v; want 2", i, k, err)
		}
	}
	// Attempt 2 at shard 2 fails wholesale again, attempt 3 fetches part.
	write(record(2, 2, start.Add(time.Hour), map[string]string{"b": failed, "c": failed}))
	if k, err := NextAttempt(ctx, lake, night, Shard{2, 3}); err != nil || k != 3 {
		t.Errorf("NextAttempt after attempt 2 failed wholesale: %d, %v; want 3", k, err)
	}
	third := record(2, 3, start.Add(2*time.Hour), map[string]string{"b": ok, "c": failed})
	write(third)
	if err := WriteShard(ctx, lake, third); !errors.Is(err, ErrShardRecorded) {
		t.Errorf("WriteShard of attempt 3 again: err = %v, want ErrShardRecorded", err)
	}
	if _, err := NextAttempt(ctx, lake, night, Shard{2, 3}); !errors.Is(err, ErrShardRecorded) {
		t.Errorf("NextAttempt after a partial attempt 3: err = %v, want ErrShardRecorded", err)
	}
	for _, key := range []string{
		"runs/night=2026-12-05/shard=2-of-3.json",
		"runs/night=2026-12-05/shard=2-of-3/attempt=2.json",
		"runs/night=2026-12-05/shard=2-of-3/attempt=3.json",
	} {
		if _, _, err := lake.Get(ctx, key); err != nil {
			t.Errorf("attempt at %s: %v", key, err)
		}
	}

	again, err := MergeNight(ctx, lake, night)
	if err != nil {
		t.Fatal(err)
	}
	want := jobdata.Run{
		ID: first.Run.ID, StartedAt: start, FinishedAt: start.Add(2*time.Hour + 10*time.Minute), Status: jobdata.RunPartial,
		Sources: []jobdata.SourceRun{
			{Source: "a", Status: ok, Pages: 1, Partition: "raw/source=a/date=2026-12-05/run=20261205T031700Z-beef-s1of3/"},
			{Source: "b", Status: ok, Pages: 1, Partition: "raw/source=b/date=2026-12-05/run=20261205T051700Z-beef-s2of3/"},
			{Source: "c", Status: failed, Pages: 1, Partition: "raw/source=c/date=2026-12-05/run=20261205T051700Z-beef-s2of3/"},
			{Source: "d", Status: failed, Pages: 1, Partition: "raw/source=d/date=2026-12-05/run=20261205T031900Z-beef-s3of3/"},
		},
	}
	if diff := cmp.Diff(want, again.Run); diff != "" {
		t.Errorf("the night merged after shard 2 was fetched again (-want +got):\n%s", diff)
	}
	if again.Retries != 2 || again.ManifestKey() != "runs/run=20261205T031700Z-night3/retries=2.json" {
		t.Errorf("night after retries: %d retries, manifest at %s; want 2, its own", again.Retries, again.ManifestKey())
	}
	for _, n := range []NightRun{first, again} {
		if err := WriteNightManifest(ctx, lake, n); err != nil {
			t.Fatal(err)
		}
		if err := WriteNightManifest(ctx, lake, n); !errors.Is(err, ErrExist) {
			t.Errorf("WriteNightManifest again: err = %v, want ErrExist", err)
		}
	}
	// A replay loads the night as each load did, the first first.
	runs, err := findRuns(ctx, lake, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || !cmp.Equal(runs[0].run, first.Run) || !cmp.Equal(runs[1].run, again.Run) {
		t.Errorf("findRuns = %+v, want the night's two loads in turn", runs)
	}
}

// TestPartitionOfOtherSource checks that a manifest cannot make a source
// read another source's pages, or pages outside the raw partitions.
func TestPartitionOfOtherSource(t *testing.T) {
	run := jobdata.Run{ID: "20261205T031700Z-beef", StartedAt: time.Date(2026, 12, 5, 3, 17, 0, 0, time.UTC)}
	own := "raw/source=a/date=2026-12-05/run=20261205T031700Z-beef/"
	for _, p := range []string{
		"raw/source=b/date=2026-12-05/run=x/",
		"raw/source=a/date=2026-12-05/run=x",
		"runs/",
		"raw/source=a/../source=b/date=2026-12-05/run=x/",
		"raw/source=a/date=someday/run=x/",
	} {
		if got := partition(jobdata.SourceRun{Source: "a", Partition: p}, run); got != own {
			t.Errorf("partition with Partition %q = %q, want the run's own %q", p, got, own)
		}
	}
	p := "raw/source=a/date=2026-12-04/run=20261204T235900Z-cafe-s1of2/"
	if got := partition(jobdata.SourceRun{Source: "a", Partition: p}, run); got != p {
		t.Errorf("partition = %q, want the shard's %q", got, p)
	}
}
