package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// searchFile is the search index at the site root, read by the search box
// of site.js: the site needs no search service.
const searchFile = "search.json"

// searchEntry is one page of the search index. URL is relative to the site
// root ("./" for the home page, "roles/backend-engineer/"), so the index
// works under any prefix; Section is the title of the page's first folder's
// page (see [sectionOf]).
type searchEntry struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
	Section     string `json:"section,omitempty"`
}

// searchIndex returns search.json for the pages: a JSON array with one
// entry per page, sorted by URL, one entry a line. encoding/json escapes
// <, > and &.
func searchIndex(pages []*page, byURL map[string]*page) ([]byte, error) {
	entries := make([]searchEntry, 0, len(pages))
	for _, p := range pages {
		u := strings.TrimPrefix(p.url, "/")
		if u == "" {
			u = "./"
		}
		entries = append(entries, searchEntry{
			Title:       p.meta.Title,
			URL:         u,
			Description: p.meta.Description,
			Section:     sectionOf(p, byURL),
		})
	}
	sort.Slice(entries, func(i, j int) bool { return searchKey(entries[i].URL) < searchKey(entries[j].URL) })
	var b bytes.Buffer
	b.WriteString("[")
	for i, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("site: %s: encode %s: %w", searchFile, e.URL, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		b.Write(line)
	}
	b.WriteString("\n]\n")
	return b.Bytes(), nil
}

// searchKey orders index entries by URL, the home page first.
func searchKey(u string) string {
	if u == "./" {
		return ""
	}
	return u
}
