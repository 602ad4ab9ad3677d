package ingest_test

import (
	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/boards"
)

// The Greenhouse gold sets are read through the Greenhouse board's parser,
// as a run reads a Greenhouse board.
func init() {
	ingest.GoldParsers["greenhouse"] = func(board string, body []byte, lakeKey string) ([]ingest.Posting, error) {
		ps, _, err := boards.Parse(boards.Board{Kind: "greenhouse", Name: board}, body, lakeKey)
		return ps, err
	}
}
