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
	fetcher := ingest.NewFetcher(a.cfg.Fetch, &http.Client{}, a.logger)
	opts := []ingest.SourceOption{ingest.WithLimiter(ingest.NewHostLimiter()), ingest.WithLogger(a.logger)}
	// Each API source redirects only to its own hosts, and stops at its deadline.
	api := func(name string) *ingest.Fetcher { return fetcher.WithRedirectHosts(a.cfg.RedirectHosts[name]...) }
	all := map[string]configuredSource{
		"remotive":  {ingest.NewRemotive(a.cfg.Remotive, api("remotive"), opts...), a.cfg.Remotive.Enabled},
		"arbeitnow": {ingest.NewArbeitnow(a.cfg.Arbeitnow, api("arbeitnow"), opts...), a.cfg.Arbeitnow.Enabled},
		"remoteok":  {ingest.NewRemoteOK(a.cfg.RemoteOK, api("remoteok"), opts...), a.cfg.RemoteOK.Enabled},
	}
	for name, cs := range all {
		cs.source = ingest.WithDeadline(cs.source, a.cfg.Deadlines[name])
		all[name] = cs
	}
	for _, p := range a.cfg.Scrape {
		all[p.Name] = configuredSource{ingest.WithDeadline(scrape.New(p, a.cfg.Fetch, a.logger), p.Deadline), p.Enabled}
	}
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
			if all[name].enabled {
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
