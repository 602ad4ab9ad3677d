package ingest

import (
	"context"
	"path"
	"testing"
	"time"
)

// oneObjectLake is a lake holding one object, for the fuzz tests of what a
// replay reads from a lake.
type oneObjectLake struct {
	key  string
	body []byte
}

func (l oneObjectLake) Put(context.Context, string, []byte, Meta) error {
	return ErrExist
}
func (l oneObjectLake) Get(_ context.Context, key string) ([]byte, Meta, error) {
	if key != l.key {
		return nil, Meta{}, ErrNotFound
	}
	return l.body, Meta{}, nil
}
func (l oneObjectLake) List(context.Context, string) ([]string, error) { return []string{l.key}, nil }
func (l oneObjectLake) String() string                                 { return "one-object lake" }

// FuzzReadManifest reads any bytes as a run manifest (a lake may hold
// anything its writers left): an error or a run with the id of its key and
// a start time, never a panic.
func FuzzReadManifest(f *testing.F) {
	f.Add("r1", []byte(`{"id":"r1","started_at":"2026-11-29T01:00:00Z","status":"ok","sources":[{"source":"remotive","status":"ok","lake_keys":["raw/source=remotive/date=2026-11-29/run=r1/page-0001.json"]}]}`))
	f.Add("r1", []byte(`{"id":"r2","started_at":"2026-11-29T01:00:00Z"}`))
	f.Add("r1", []byte(`{"id":"r1"}`))
	f.Add("r1", []byte(`{"id":"r1","started_at":"not a time"}`))
	f.Add("r1", []byte(`[]`))
	f.Add("r1", []byte{0xef, 0xbb, 0xbf, '{', '}'})
	f.Fuzz(func(t *testing.T, id string, body []byte) {
		key := ManifestKey(id)
		run, err := readManifest(context.Background(), oneObjectLake{key: key, body: body}, key, id)
		if err == nil && (run.ID != id || run.StartedAt.IsZero()) {
			t.Fatalf("readManifest(%q) = %+v without an error", body, run)
		}
	})
}

// FuzzParseRawKey splits any key as a replay splits the keys it lists: what
// it accepts is exactly a key RawKey makes, so a replay never reads a page
// as another source's or another run's.
func FuzzParseRawKey(f *testing.F) {
	f.Add("raw/source=remotive/date=2026-11-29/run=20261129T010000Z-ab12/page-0001.json")
	f.Add("raw/source=/date=2026-11-29/run=r/p")
	f.Add("raw/source=a/date=2026-02-30/run=r/p")
	f.Add("raw/source=a/date=2026-11-29/run=r/../../x")
	f.Add("runs/run=r.json")
	f.Fuzz(func(t *testing.T, key string) {
		source, date, runID, ok := parseRawKey(key)
		if !ok {
			return
		}
		if want := RawKey(source, date, runID, path.Base(key)); want != key || date.Location() != time.UTC {
			t.Fatalf("parseRawKey(%q) = %q %v %q: RawKey gives %q", key, source, date, runID, want)
		}
	})
}

// FuzzMergeNight reads any bytes as the one shard manifest of a night: an
// error, or a run whose id is the night's and whose every source reads its
// pages in a raw partition of its own name, never a panic.
func FuzzMergeNight(f *testing.F) {
	f.Add([]byte(`{"night":"2026-12-05","shard":1,"of":1,"list":{"sources":1,"sha256":"x"},"run":{"id":"20261205T031700Z-beef-s1of1","started_at":"2026-12-05T03:17:00Z","finished_at":"2026-12-05T03:20:00Z","status":"ok","sources":[{"source":"remotive","status":"ok","pages":1}]}}`))
	f.Add([]byte(`{"night":"2026-12-05","shard":1,"of":1,"run":{"id":"r","started_at":"2026-12-05T03:17:00Z","sources":[{"source":"a","partition":"raw/source=b/date=2026-12-05/run=x/"}]}}`))
	f.Add([]byte(`{"night":"2026-12-05","shard":2,"of":1,"run":{"id":"r","started_at":"2026-12-05T03:17:00Z"}}`))
	f.Add([]byte(`{"night":"2026-12-05","shard":1,"of":1,"run":{"id":"../x","started_at":"2026-12-05T03:17:00Z"}}`))
	f.Add([]byte(`{"night":"2026-12-05","shard":1,"of":1,"attempt":2,"run":{"id":"r","started_at":"2026-12-05T03:17:00Z"}}`))
	f.Add([]byte(`{"night":"2026-12-05","shard":1,"of":1,"attempt":-1,"run":{"id":"r","started_at":"2026-12-05T03:17:00Z"}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		night := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
		lake := oneObjectLake{key: ShardKey(night, Shard{1, 1}, 1), body: body}
		merged, err := MergeNight(context.Background(), lake, night)
		if err != nil {
			return
		}
		run := merged.Run
		if merged.Retries != 0 || merged.ManifestKey() != ManifestKey(run.ID) {
			t.Fatalf("MergeNight(%q): %d retries, manifest %q, from a first attempt", body, merged.Retries, merged.ManifestKey())
		}
		if run.ID != NightRunID(run.StartedAt, 1) {
			t.Fatalf("MergeNight(%q): run id %q", body, run.ID)
		}
		for _, s := range run.Sources {
			if p := partition(s, run); !validPartition(s.Source, p) && s.Source != "" {
				t.Fatalf("MergeNight(%q): source %q reads %q", body, s.Source, p)
			}
		}
	})
}
