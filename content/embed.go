// Package content holds the default pages of the jobpulse site, embedded in
// the binary: Markdown files with front matter (index.md is the home page) and
// the named SQL queries they use under queries/. A user can point the build at
// a folder of their own with the same layout instead (site.content).
package content

import "embed"

// FS holds the default pages (*.md; roles/, locations/ and skills/ each
// with an index page and one page per role, place or skill) and the queries
// they share (queries/*.sql). Test files are not pages: only *.md and
// *.sql are embedded.
//
//go:embed *.md roles/*.md locations/*.md skills/*.md queries/*.sql
var FS embed.FS
