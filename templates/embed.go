// Package templates holds the default layouts and assets of the jobpulse site,
// embedded in the binary. A user can point the build at a folder of their own
// with the same layout instead (site.templates).
//
// The folder has two parts:
//
//   - layouts/: html/template files. base.html is the page frame; chart.html
//     and table.html render the chart and table blocks placed in Markdown.
//   - assets/: files copied to the built site under assets/ with a content
//     hash in their names (style.css becomes style.<hash>.css).
//
// ECharts is the pinned npm package in package.json, installed with
// `npm ci --prefix templates` into node_modules/ (never committed). Only the
// parts of it the site uses ([EChartsParts]) go into the binary: go generate
// bundles them into echarts/echarts.min.js (generated, never committed),
// which [ECharts] returns and the build copies into the site.
package templates

import "embed"

// FS holds layouts/ and assets/ of the default templates.
//
//go:embed layouts assets
var FS embed.FS
