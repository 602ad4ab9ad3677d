package warehouse

import (
	"context"
	"fmt"
)

// The primary keys of the hot tables, as 0001 names them. A load into empty
// tables drops them and builds them again at Commit (see
// [Loader.deferKeys]).
var deferredKeys = []struct{ table, name, columns string }{
	{"postings", "postings_pkey", "id"},
	{"listings", "listings_pkey", "source, source_id"},
}

// deferKeys drops the primary keys of postings and listings when both tables
// are empty, so that Commit builds each once by sorting (restoreKeys) instead
// of inserting every row into it: postings are keyed by random ids, and
// inserting 200,000 of them one by one cost the server about as much again as
// building the index afterwards. The loader never writes a key twice (it
// reads every key first), and Commit builds the keys again, checking them,
// before anything is visible.
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
		sql += "ALTER TABLE " + k.table + " DROP CONSTRAINT " + k.name + ";\n"
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

// restoreKeys builds the primary keys deferKeys dropped.
func (l *Loader) restoreKeys(ctx context.Context) error {
	if !l.keysDropped {
		return nil
	}
	for _, k := range deferredKeys {
		if _, err := l.tx.Exec(ctx, "ALTER TABLE "+k.table+" ADD CONSTRAINT "+k.name+" PRIMARY KEY ("+k.columns+")"); err != nil {
			return fmt.Errorf("build the primary key of %s: %w", k.table, err)
		}
	}
	return nil
}
