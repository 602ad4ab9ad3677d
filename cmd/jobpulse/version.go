package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// version returns what `jobpulse --version` prints after "jobpulse ": the
// main module's version and the commit the binary was built from, read
// from the build information Go records in it.
func version() string {
	info, ok := debug.ReadBuildInfo()
	return versionOf(info, ok)
}

// versionOf formats build information: "v1.2.0 (commit 0123abc…, 2026-12-05T00:15:00Z,
// modified; go1.26.8)". A commit is vcs.revision, its time vcs.time, and
// "modified" says the working tree had changes not committed (vcs.modified);
// a binary built outside a checkout, or with -buildvcs=false, says that it
// knows no commit.
func versionOf(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "(unknown: built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	var about []string
	if rev := settings["vcs.revision"]; rev != "" {
		about = append(about, "commit "+rev)
		if t := settings["vcs.time"]; t != "" {
			about = append(about, t)
		}
		if settings["vcs.modified"] == "true" {
			about = append(about, "modified")
		}
	} else {
		about = append(about, "commit unknown: built without version control information")
	}
	goVersion := ""
	if info.GoVersion != "" {
		goVersion = "; " + info.GoVersion
	}
	return fmt.Sprintf("%s (%s%s)", v, strings.Join(about, ", "), goVersion)
}
