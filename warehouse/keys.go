package warehouse

import (
	"context"
	"fmt"
	"strings"
)

// The primary keys and indexes of the hot tables, as the migrations name
// them. A load into empty tables drops them and builds them again at Commit
// (see [Loader.deferKeys]).
var deferredKeys = []struct{ table, name, build string }{
	{"postings", "postings_pkey", "ALTER TABLE postings ADD CONSTRAINT postings_pkey PRIMARY KEY (id)"},
	{"listings", "listings_pkey", "ALTER TABLE listings ADD CONSTRAINT listings_pkey PRIMARY KEY (source, source_id)"},
	{"postings", "postings_last_seen", "CREATE INDEX postings_last_seen ON postings (last_seen_at)"},
	{"listings", "listings_last_seen", "CREATE INDEX listings_last_seen ON listings (last_seen_at)"},
}

// deferKeys drops the primary keys and indexes of postings and listings when
// both tables are empty, so that Commit builds each once by sorting
// (restoreKeys) instead of inserting every row into it: postings are keyed by
// random ids, and inserting 200,000 of them one by one cost the server about
// as much again as building the index afterwards. The loader never writes a
// key twice (it knows every key it wrote, and an empty warehouse holds none),
// and Commit builds the keys again, checking them, before anything is
// visible.
//
// Dropping a key locks its table (ACCESS EXCLUSIVE) until the load ends:
// while a first load runs, a reader of the empty tables waits for it and then
// reads what it loaded. When a key cannot be dropped (another table's foreign
// key refers to it), the load keeps it and goes on as usual.
func (l *Loader) deferKeys(ctx context.Context) error {
	if !l.empty {
		return nil
	}
	if _, err := l.tx.Exec(ctx, "SAVEPOINT jobpulse_defer_keys"); err != nil {
		return fmt.Errorf("defer keys: %w", err)
	}
	sql := ""
	for _, k := range deferredKeys {
		if strings.HasPrefix(k.build, "ALTER TABLE") {
			sql += "ALTER TABLE " + k.table + " DROP CONSTRAINT " + k.name + ";\n"
		} else {
			sql += "DROP INDEX " + k.name + ";\n"
		}
	}
	if _, err := l.tx.Exec(ctx, sql); err != nil {
		if _, err := l.tx.Exec(ctx, "ROLLBACK TO SAVEPOINT jobpulse_defer_keys"); err != nil {
			return fmt.Errorf("defer keys: %w", err)
		}
		return nil
	}
	l.keysDropped = true
	if _, err := l.tx.Exec(ctx, "RELEASE SAVEPOINT jobpulse_defer_keys"); err != nil {
		return fmt.Errorf("defer keys: %w", err)
	}
	return nil
}

// restoreKeys builds the primary keys and indexes deferKeys dropped.
func (l *Loader) restoreKeys(ctx context.Context) error {
	if !l.keysDropped {
		return nil
	}
	for _, k := range deferredKeys {
		if _, err := l.tx.Exec(ctx, k.build); err != nil {
			return fmt.Errorf("build %s of %s: %w", k.name, k.table, err)
		}
	}
	return nil
}
