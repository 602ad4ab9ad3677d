package publish

import (
	"fmt"
	"html"
	"path"
	"strings"
)

// Default Cache-Control of published files (see [cacheControlOf]).
const (
	// CacheImmutable is for a file whose name carries a content hash
	// (assets/site.3f2a9c01b7de.css): it never changes under that name.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is for pages and data (HTML, JSON, CSV, XML, text),
	// which change at every publish: readers see a new site within minutes.
	CacheRevalidate = "public, max-age=300, must-revalidate"
	// CacheDefault is for any other file whose name carries no hash (an
	// image, a font, a script without a hash): an hour.
	CacheDefault = "public, max-age=3600"
	// cacheNever is for the manifest, which no reader needs.
	cacheNever = "no-cache"
)

// CacheRule sets the Cache-Control of the published files whose key matches
// Pattern (publish.cache_control). Pattern is a [path.Match] glob on the key
// relative to the site root ("assets/*.css", "data/*/*.json"); a pattern
// without a slash is matched against the file's name alone ("*.pdf").
type CacheRule struct {
	Pattern string `mapstructure:"pattern" json:"pattern"`
	Value   string `mapstructure:"value" json:"value"`
}

// match reports whether the rule applies to key.
func (r CacheRule) match(key string) bool {
	name := key
	if !strings.Contains(r.Pattern, "/") {
		name = path.Base(key)
	}
	ok, _ := path.Match(r.Pattern, name)
	return ok
}

// Redirect publishes a redirect at Path to To (publish.redirects): a
// zero-byte object with x-amz-website-redirect-location on a bucket, a small
// HTML page that sends the reader on in a folder. Path is a key relative to
// the site root; one ending in "/" (or empty) is the folder's index.html. To
// is a URL or a path starting with "/".
type Redirect struct {
	Path string `mapstructure:"path" json:"path"`
	To   string `mapstructure:"to" json:"to"`
}

// key returns the object key the redirect is published at.
func (r Redirect) key() string {
	k := strings.TrimPrefix(r.Path, "/")
	if k == "" || strings.HasSuffix(k, "/") {
		k += "index.html"
	}
	return k
}

// validate checks one redirect; i is its place in publish.redirects.
func (r Redirect) validate(i int) error {
	k := r.key()
	if path.Clean(k) != k || strings.HasPrefix(k, "../") || k == MarkerKey || k == lockKey {
		return fmt.Errorf("site: publish.redirects[%d]: path %q is not a clean key of the site", i, r.Path)
	}
	if !strings.HasPrefix(r.To, "/") && !strings.HasPrefix(r.To, "http://") && !strings.HasPrefix(r.To, "https://") {
		return fmt.Errorf("site: publish.redirects[%d]: to %q: want a path starting with / or an http(s) URL", i, r.To)
	}
	return nil
}

// file returns what publishes the redirect: an empty object that the
// website endpoint turns into a 301 when the target keeps headers (a
// bucket), else an HTML page with a refresh to r.To.
func (r Redirect) file(headers bool) *buildFile {
	if headers {
		f := memFile(r.key(), "text/html; charset=utf-8", CacheRevalidate, nil)
		f.redirect = r.To
		return f
	}
	to := html.EscapeString(r.To)
	page := fmt.Sprintf("<!doctype html>\n<meta charset=utf-8>\n<title>Moved</title>\n<meta http-equiv=refresh content=\"0; url=%s\">\n<link rel=canonical href=\"%s\">\n<p>This page moved to <a href=\"%s\">%s</a>.</p>\n", to, to, to, to)
	return memFile(r.key(), "text/html; charset=utf-8", CacheRevalidate, []byte(page))
}

// cacheControlOf returns the Cache-Control of the file at key: the first of
// rules that matches, else [CacheImmutable] when its name carries a content
// hash, [CacheRevalidate] for pages and data, [CacheDefault] otherwise.
func cacheControlOf(key, contentType string, rules []CacheRule) string {
	for _, r := range rules {
		if r.match(key) {
			return r.Value
		}
	}
	for _, part := range strings.Split(path.Base(key), ".") {
		if isContentHash(part) {
			return CacheImmutable
		}
	}
	if publishClass(key, contentType) != classAsset {
		return CacheRevalidate
	}
	return CacheDefault
}

// isContentHash reports whether s looks like a hex content hash (as the
// build puts in asset names): at least 8 hex digits, at least one a digit.
func isContentHash(s string) bool {
	if len(s) < 8 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f':
		default:
			return false
		}
	}
	return digit
}

// Upload classes, in the order publish uploads them: a reader never gets a
// page whose assets or data are not there yet, and the entry pages go last.
const (
	classAsset = iota // styles, scripts, images, fonts: anything else
	classData         // json, csv, xml, txt
	classPage         // HTML pages and redirects
	classEntry        // the root index.html and 404.html
)

// classNames name the classes in logs.
var classNames = [...]string{"assets", "data", "pages", "entry pages"}

// publishClass returns the upload class of the file at key.
func publishClass(key, contentType string) int {
	if key == "index.html" || key == "404.html" {
		return classEntry
	}
	if strings.HasPrefix(contentType, "text/html") {
		return classPage
	}
	switch strings.ToLower(path.Ext(key)) {
	case ".json", ".csv", ".xml", ".txt", ".rss", ".atom", ".webmanifest", ".md":
		return classData
	}
	return classAsset
}
