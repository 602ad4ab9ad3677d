package main

import (
	"fmt"
	"slices"

	"github.com/jobpulse/jobpulse/ingest"
	companyboards "github.com/jobpulse/jobpulse/ingest/boards"
	"github.com/jobpulse/jobpulse/warehouse"
)

// readBoards checks the section boards and reads its list and file into
// BoardList, refusing a board whose source name another source has. It is
// called by [Config.validate], after the scrape profiles are made.
func (c *Config) readBoards() error {
	if err := c.Boards.Validate(); err != nil {
		return err
	}
	list, err := c.Boards.Boards()
	if err != nil {
		return err
	}
	taken := []string{"remotive", "arbeitnow", "remoteok"}
	for _, p := range c.Scrape {
		taken = append(taken, p.Name)
	}
	for _, b := range list {
		if slices.Contains(taken, b.Source()) {
			return fmt.Errorf("config: %s: board %s %s is named %s, as the source sources.%s is", b.Origin, b.Kind, b.Name, b.Source(), b.Source())
		}
	}
	c.BoardList = list
	return nil
}

// addBoards adds the company boards of the configuration to all, each a
// source of its own, enabled, fetching with f, spaced per host by limiter
// (the boards of one system share its host) and stopped at boards.deadline.
func (a *app) addBoards(all map[string]configuredSource, f *ingest.Fetcher, limiter *ingest.HostLimiter) {
	for _, b := range a.cfg.BoardList {
		src := companyboards.New(b, a.cfg.Boards, f, limiter, a.logger)
		all[b.Source()] = configuredSource{ingest.WithDeadline(src, a.cfg.Boards.Deadline), true}
	}
}

// unlistedBoard returns the parser of a source of run runID that read a
// company board the configuration no longer lists: the board as the run
// recorded it, or, in a manifest that recorded none, as the source's name
// spells it (see [companyboards.FromRun]); nil for a source that is no
// company board's. It only parses (replay and load read the lake; nothing
// is fetched).
func (a *app) unlistedBoard(runID string, sr warehouse.SourceRun) ingest.Source {
	b, ok := companyboards.FromRun(sr.Source, sr.Board, "run "+runID)
	if !ok {
		return nil
	}
	return companyboards.New(b, a.cfg.Boards, nil, nil, a.logger)
}

// parsersOf returns parsers with, added, one for each source of run that
// it lacks and that read a company board no longer listed (see
// [app.unlistedBoard]).
func (a *app) parsersOf(run warehouse.Run, parsers map[string]ingest.Source) map[string]ingest.Source {
	for _, sr := range run.Sources {
		if _, ok := parsers[sr.Source]; !ok {
			if src := a.unlistedBoard(run.ID, sr); src != nil {
				parsers[sr.Source] = src
			}
		}
	}
	return parsers
}
