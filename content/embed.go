// Package content holds the default pages of the jobpulse site, embedded in
// the binary: Markdown files with front matter (index.md is the home page) and
// the named SQL queries they use under queries/. A user can point the build at
// a folder of their own with the same layout instead (site.content).
package content

import "embed"

// FS holds the default pages (*.md, roles/[role].md: one page per role)
// and queries (queries/*.sql).
//
//go:embed *.md roles queries
var FS embed.FS
