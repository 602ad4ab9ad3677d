package warehouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// maxReason bounds a stored reject reason; a parser error quoting a huge
// record says enough in its first kilobytes.
const maxReason = 4096

// saveRejects makes the run's rows in rejects exactly rejects: new ones are
// inserted, changed ones updated, those no longer given deleted, and equal
// ones left alone. The same (lake key, index) given twice is stored once,
// with the first reason. It returns the number of rows the run has.
func saveRejects(ctx context.Context, tx pgx.Tx, runID string, rejects []jobdata.Reject) (int, error) {
	type key struct {
		lakeKey string
		index   int
	}
	seen := make(map[key]bool, len(rejects))
	var sources, keys, reasons []string
	var indexes []int32
	for _, r := range rejects {
		k := key{cleanKey(r.LakeKey), max(r.Index, -1)}
		if seen[k] {
			continue
		}
		seen[k] = true
		reason := clean(r.Reason)
		if len(reason) > maxReason {
			reason = clean(reason[:maxReason]) + "…"
		}
		sources = append(sources, cleanKey(keySource(k.lakeKey)))
		keys = append(keys, k.lakeKey)
		indexes = append(indexes, int32(min(k.index, 1<<31-1)))
		reasons = append(reasons, reason)
	}
	batch := &pgx.Batch{}
	batch.Queue(`DELETE FROM rejects r WHERE run_id = $1 AND NOT EXISTS (
			SELECT 1 FROM unnest($2::text[], $3::integer[]) AS g (lake_key, record_index)
			WHERE g.lake_key = r.lake_key AND g.record_index = r.record_index)`,
		runID, keys, indexes)
	if len(keys) > 0 {
		batch.Queue(`INSERT INTO rejects (run_id, source, lake_key, record_index, reason)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::integer[], $5::text[])
			ON CONFLICT (run_id, lake_key, record_index) DO UPDATE
				SET source = EXCLUDED.source, reason = EXCLUDED.reason
				WHERE (rejects.source, rejects.reason) IS DISTINCT FROM (EXCLUDED.source, EXCLUDED.reason)`,
			runID, sources, keys, indexes, reasons)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return 0, fmt.Errorf("save rejects: %w", err)
	}
	return len(keys), nil
}

// keySource returns the source a raw lake key names (raw/source=<s>/...),
// or "".
func keySource(key string) string {
	rest, ok := strings.CutPrefix(key, "raw/source=")
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(rest, "/")
	return s
}
