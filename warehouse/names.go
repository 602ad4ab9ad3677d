package warehouse

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// namesDigestSQL is the MD5 of the rows of search_names, one line each,
// "kind TAB value TAB alias", in byte order: what [namesDigest] computes
// of the normalizer's names.
const namesDigestSQL = `SELECT coalesce(md5(string_agg(kind || E'\t' || value || E'\t' || alias, E'\n'
    ORDER BY kind COLLATE "C", value COLLATE "C", alias COLLATE "C")), '') FROM search_names`

// namesDigest is the MD5 of names as namesDigestSQL computes it of the
// table; "" for none.
func namesDigest(names []jobdata.Name) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(n.Kind + "\t" + n.Value + "\t" + n.Alias)
	}
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// saveNames makes search_names hold names, the names of the normalizer
// that made the postings of this load (see migrations/0007_search_names.sql
// and [RunStream]). It writes them only when they differ, so a load with the
// same rules costs one read of a few thousand short rows. names must be
// sorted by kind, value and alias, without duplicates, as the normalizer
// gives them.
func saveNames(ctx context.Context, tx pgx.Tx, names []jobdata.Name) error {
	var have string
	if err := tx.QueryRow(ctx, namesDigestSQL).Scan(&have); err != nil {
		return fmt.Errorf("read search_names: %w", err)
	}
	if have == namesDigest(names) {
		return nil
	}
	if _, err := tx.Exec(ctx, "DELETE FROM search_names"); err != nil {
		return fmt.Errorf("clear search_names: %w", err)
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"search_names"}, []string{"kind", "value", "alias"},
		pgx.CopyFromSlice(len(names), func(i int) ([]any, error) {
			return []any{names[i].Kind, names[i].Value, names[i].Alias}, nil
		}))
	if err != nil {
		return fmt.Errorf("write search_names: %w", err)
	}
	return nil
}
