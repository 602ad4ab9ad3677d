// Package site builds the jobpulse report site from one read-only snapshot
// of the warehouse; package [github.com/jobpulse/jobpulse/site/publish]
// publishes it.
//
// A page is a Markdown file with YAML front matter in the content folder
// (the embedded [content.FS] by default). The front matter gives the page's
// title, description, place in the navigation, and the named SQL queries it
// uses, either files under queries/ or inline SQL:
//
//	---
//	title: The job market
//	description: Which jobs are in demand and where.
//	nav: 1
//	queries:
//	  top_titles: top_titles.sql
//	  top_locations: |
//	    SELECT location, count(*) AS postings FROM postings GROUP BY 1
//	---
//
// Fenced blocks whose info string is "chart" or "table" place a query's result
// in the prose; their body is YAML:
//
//	```chart
//	type: bar          # see below
//	query: top_titles
//	x: title
//	y: postings        # or a list of columns, one series each
//	title: Most demanded job titles
//	```
//
// Chart types: bar, hbar (horizontal bars), stacked (stacked bars), line,
// area (stacked areas): x categories, y one or more numeric columns; pie,
// donut, treemap: x names, y one numeric column; scatter: x and y numeric;
// heatmap: x and y categories, value: the numeric column that colours each
// cell; histogram: x numeric, counted into bins: (20 by default).
//
//	```table
//	query: top_titles
//	columns: [title, postings]   # optional: all columns by default
//	link:                        # optional: cells that are links,
//	  role: /roles/[role]/       # to the page of the row's role,
//	  title: "[url]"             # or outside, to the http(s) URL in column url
//	```
//
// Every figure must be reproducible from the warehouse: a page that uses
// queries ends with a section, "How these figures were computed"
// (layouts/sql.html), that shows the SQL of each, and every chart and table
// links to its query there (#sql-NAME). The whole result of the query of
// every chart and table is also a CSV and a JSON file beside its page,
// named after the query (/roles/top_roles.csv), which the block's Download
// links lead to; the data page (/data/) and data/index.json list them all
// (see data.go). changes.atom is an Atom feed of what changed at each of
// the latest runs (see feed.go), linked from every page. The build also
// writes search.json, one entry per page, which the search box of
// assets/site.js reads; the navigation marks the page and its section, and
// pages two folders down get a breadcrumb.
//
// [Build] parses every page first (so a typo fails before any query runs),
// then runs all queries of the build in one read-only REPEATABLE READ
// transaction with a statement timeout, so every page reads the same snapshot
// and report SQL can never change data. It renders pages with goldmark (raw
// HTML disabled) and the html/template layouts of the templates folder (the
// embedded [templates.FS] by default), and writes the site into a temporary
// folder next to the output folder that replaces it only when everything
// succeeded. The same warehouse state gives a byte-identical site.
//
// Charts carry their ECharts option as JSON in a
// <script type="application/json"> element, escaped by encoding/json so that
// text from the warehouse can never close the element; one script of the
// site's own (assets/site.js) starts them, under a Content-Security-Policy
// that allows scripts from the site only. ECharts is served from the site,
// copied from the pinned npm package.
package site
