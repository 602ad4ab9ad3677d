// Command mkpool writes the pool of real postings that `jobpulse demo`
// replays (package sample's pool.jsonl) from the real captures of
// ingest/testdata/real. It runs from `go generate ./ingest/sample`, in that
// folder.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jobpulse/jobpulse/ingest/sample"
)

func main() {
	pool, err := sample.DerivePool(filepath.Join("..", "testdata", "real"))
	if err == nil {
		err = os.WriteFile(sample.PoolFile, pool, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkpool:", err)
		os.Exit(1)
	}
}
