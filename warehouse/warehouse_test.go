package warehouse_test

import (
	"context"
	"testing"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// TestOpenURL opens a warehouse on a server named by URL: no managed server
// is involved, and Close leaves that server alone.
func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	w, err := warehouse.Open(ctx, warehouse.Config{URL: u}, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := w.Pool.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if err := w.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	// The database is still there: pgtest can drop it, and a new pool works.
	w, err = warehouse.Open(ctx, warehouse.Config{URL: u}, nil)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer w.Close(ctx)
	if _, err := warehouse.LastRun(ctx, w.Pool); err == nil {
		t.Error("LastRun on a fresh database found a run")
	}
}

func TestOpenBadConfig(t *testing.T) {
	_, err := warehouse.Open(context.Background(), warehouse.Config{URL: "postgres://h:badport/db"}, nil)
	if err == nil {
		t.Fatal("Open with a bad URL succeeded")
	}
}
