package main

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/scrape"
)

// configuredSource is a source of the configuration, enabled or not.
type configuredSource struct {
	source  ingest.Source
	enabled bool
}

// allSources returns every source of the configuration by name, enabled or
// not: replay parses the pages of a source that is no longer enabled.
func (a *app) allSources() map[string]configuredSource {
	// One limiter for every source, API or board: sources that reach one
	// host share its pace and take turns there.
	limiter := ingest.NewHostLimiter()
	fetcher := ingest.NewFetcher(a.cfg.Fetch, &http.Client{}, a.logger).WithLimiter(limiter)
	opts := []ingest.SourceOption{ingest.WithLimiter(limiter), ingest.WithLogger(a.logger)}
	// Each API source redirects only to its own hosts, and stops at its deadline.
	api := func(hosts []string) *ingest.Fetcher { return fetcher.WithRedirectHosts(hosts...) }
	remotive, arbeitnow, remoteok := a.cfg.Sources.Remotive, a.cfg.Sources.Arbeitnow, a.cfg.Sources.RemoteOK
	all := map[string]configuredSource{
		"remotive": {ingest.WithDeadline(ingest.NewRemotive(remotive.RemotiveConfig, api(remotive.RedirectHosts), opts...), remotive.Deadline),
			remotive.Enabled},
		"arbeitnow": {ingest.WithDeadline(ingest.NewArbeitnow(arbeitnow.ArbeitnowConfig, api(arbeitnow.RedirectHosts), opts...), arbeitnow.Deadline),
			arbeitnow.Enabled},
		"remoteok": {ingest.WithDeadline(ingest.NewRemoteOK(remoteok.RemoteOKConfig, api(remoteok.RedirectHosts), opts...), remoteok.Deadline),
			remoteok.Enabled},
	}
	all["francetravail"] = a.franceTravail(opts)
	for _, p := range a.cfg.Scrape {
		all[p.Name] = configuredSource{ingest.WithDeadline(scrape.New(p, a.cfg.Fetch, a.logger, scrape.WithLimiter(limiter)), p.Deadline), p.Enabled}
	}
	a.addBoards(all, fetcher, limiter) // boards.list and boards.file: boards.go
	return all
}

// selectSources returns the sources named, or every enabled source when
// names is empty, sorted by name.
func (a *app) selectSources(names []string) ([]ingest.Source, error) {
	all := a.allSources()
	known := slices.Sorted(maps.Keys(all))
	var out []ingest.Source
	if len(names) == 0 {
		for _, name := range known {
			if all[name].enabled && a.runnable(name) {
				out = append(out, all[name].source)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("config: no source is enabled (sources.<name>.enabled; known: %s)", strings.Join(known, ", "))
		}
		return out, nil
	}
	for _, name := range names {
		cs, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("--source %q: no such source (known: %s)", name, strings.Join(known, ", "))
		}
		if !slices.Contains(out, cs.source) {
			out = append(out, cs.source)
		}
	}
	return out, nil
}
