package warehouse_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// applied lists the versions recorded in schema_migrations.
func applied(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, _ := pool.Query(context.Background(), "SELECT version FROM schema_migrations ORDER BY version")
	v, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	return v
}

func TestMigrate(t *testing.T) {
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, m := range all {
		versions = append(versions, m.Version)
	}
	if len(versions) == 0 || versions[0] != "0001_init" {
		t.Fatalf("embedded migrations %v, want 0001_init first", versions)
	}
	tests := []struct {
		name  string
		times int // Migrate calls
		par   bool
	}{
		{name: "once", times: 1},
		{name: "twice is a no-op", times: 2},
		{name: "concurrently", times: 4, par: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			pool := pgtest.NewEmpty(t)
			errs := make([]error, tt.times)
			var wg sync.WaitGroup
			for i := range tt.times {
				if tt.par {
					wg.Go(func() { errs[i] = warehouse.Migrate(ctx, pool) })
				} else {
					errs[i] = warehouse.Migrate(ctx, pool)
				}
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("Migrate %d: %v", i, err)
				}
			}
			if diff := cmp.Diff(versions, applied(t, pool)); diff != "" {
				t.Errorf("schema_migrations (-want +got):\n%s", diff)
			}
			if n := count(t, pool, "SELECT count(*) FROM postings"); n != 0 {
				t.Errorf("postings: %d rows after Migrate", n)
			}
		})
	}
}

// TestMigrateChanged checks that a database which applied another version of
// a migration is refused with ErrMigrationChanged, not migrated over.
func TestMigrateChanged(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t) // migrated
	if _, err := pool.Exec(ctx, "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = '0001_init'"); err != nil {
		t.Fatal(err)
	}
	if err := warehouse.Migrate(ctx, pool); !errors.Is(err, warehouse.ErrMigrationChanged) {
		t.Fatalf("Migrate over a changed migration: err = %v, want ErrMigrationChanged", err)
	}
}

// TestMigrateSightingsPerRun checks that 0002 keeps the sightings 0001 stored
// as rows: the view gives them back, those of unknown runs excepted.
func TestMigrateSightingsPerRun(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewEmpty(t)
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(all[0].SQL))
	setup := all[0].SQL + `;
		CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(),
			sha256 text NOT NULL DEFAULT '');
		INSERT INTO schema_migrations (version, sha256) VALUES ('` + all[0].Version + `', '` + hex.EncodeToString(sum[:]) + `');
		INSERT INTO runs (id, started_at, status) VALUES ('r1', '2026-11-27T01:00:00Z', 'ok'), ('r2', '2026-11-28T01:00:00Z', 'ok');
		INSERT INTO sightings (run_id, posting_id) VALUES
			('r1', 'ffffffff-0000-0000-0000-000000000000'), ('r1', '00000000-0000-0000-0000-000000000001'),
			('r1', '80000000-0000-0000-0000-000000000000'), ('r2', '00000000-0000-0000-0000-000000000001'),
			('gone', '00000000-0000-0000-0000-000000000002')`
	if _, err := pool.Exec(ctx, setup); err != nil {
		t.Fatalf("set up a 0001 warehouse: %v", err)
	}
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"r1 00000000-0000-0000-0000-000000000001 80000000-0000-0000-0000-000000000000 ffffffff-0000-0000-0000-000000000000",
		"r2 00000000-0000-0000-0000-000000000001",
	}
	got := texts(t, pool, `SELECT run_id || ' ' || array_to_string(posting_ids, ' ') FROM run_sightings ORDER BY run_id`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("run_sightings (-want +got):\n%s", diff)
	}
	if n := count(t, pool, "SELECT count(*) FROM sightings"); n != 4 {
		t.Errorf("sightings view: %d rows, want 4", n)
	}
}

// TestMigrateBeforeHashes checks that a database migrated by a jobpulse that
// kept no hashes of its migrations (schema_migrations without sha256) is
// taken as it is, and its hashes recorded.
func TestMigrateBeforeHashes(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewEmpty(t)
	all, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	setup := all[0].SQL + `;
		CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
		INSERT INTO schema_migrations (version) VALUES ('` + all[0].Version + `')`
	if _, err := pool.Exec(ctx, setup); err != nil {
		t.Fatalf("set up a warehouse without migration hashes: %v", err)
	}
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, "SELECT count(*) FROM schema_migrations WHERE sha256 = ''"); n != 0 {
		t.Errorf("%d migrations without a hash after Migrate", n)
	}
	if err := warehouse.Migrate(ctx, pool); err != nil {
		t.Errorf("second Migrate: %v", err)
	}
}
