package main

import (
	"github.com/jobpulse/jobpulse/ingest"
)

// franceTravail returns the France Travail source of the configuration.
func (a *app) franceTravail(opts []ingest.SourceOption) configuredSource {
	ft := a.cfg.Sources.FranceTravail
	src := ingest.NewFranceTravail(ft.FranceTravailConfig, a.cfg.Fetch, opts...)
	return configuredSource{ingest.WithDeadline(src, ft.Deadline), ft.Enabled}
}

// runnable reports whether the enabled source name can run when no source
// is named (--source): France Travail cannot without its credentials, and
// is then left out with a log line that says what to set, not failed. Named,
// it runs, and fails saying the same.
func (a *app) runnable(name string) bool {
	if name != "francetravail" || a.cfg.Sources.FranceTravail.HasCredentials() {
		return true
	}
	a.logger.Info("source not run: no credentials", "source", name,
		"set", "sources.francetravail.client_id and "+ingest.FranceTravailSecretEnv+
			" (an application of francetravail.io subscribed to the API Offres d'emploi v2)")
	return false
}
