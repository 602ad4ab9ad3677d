package scrape

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
)

// DetailPageName returns the name under which a crawl keeps the detail page
// that href links to: "detail-" and 16 hex digits of the SHA-256 of href as
// written in the list page (before any mapping or resolution, so the name
// does not depend on where the board was served from), then ".html".
func DetailPageName(href string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(href)))
	return "detail-" + hex.EncodeToString(sum[:8]) + ".html"
}

// listPageName returns the name of the n-th list page of a crawl (from 1).
func listPageName(n int) string {
	return fmt.Sprintf("page-%04d.html", n)
}

// values returns the values that f reads in sel (an item, or a whole
// document): cleaned, empty ones dropped, the first match only unless f.All.
func values(sel *goquery.Selection, f Field) []string {
	if f.Selector != "" {
		sel = sel.Find(f.Selector)
	}
	if !f.All {
		sel = sel.First()
	}
	var out []string
	sel.Each(func(_ int, s *goquery.Selection) {
		var v string
		switch {
		case f.HTML:
			h, err := goquery.OuterHtml(s)
			if err != nil {
				return
			}
			v = strings.TrimSpace(clean(h))
		case f.Attr != "":
			v = collapse(s.AttrOr(f.Attr, ""))
		default:
			v = collapse(s.Text())
		}
		if v != "" {
			out = append(out, v)
		}
	})
	return out
}

// value returns the values of f joined: by a newline for HTML, else by ", ".
func value(sel *goquery.Selection, f Field) string {
	sep := ", "
	if f.HTML {
		sep = "\n"
	}
	return strings.Join(values(sel, f), sep)
}

// clean makes s valid UTF-8 without NUL bytes (PostgreSQL text refuses both).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// collapse trims s and collapses its runs of white space into one space:
// boards pad their text (fake-jobs' locations) for their own layout.
func collapse(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

// detailHref returns the detail link of an item as written, or "".
func (p Profile) detailHref(item *goquery.Selection) string {
	if p.Detail == (Field{}) {
		return ""
	}
	f := p.Detail
	f.Attr = p.detailAttr()
	f.All = false
	if vs := values(item, f); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// nextHref returns the next-page link of a list page as written, or "".
func (p Profile) nextHref(doc *goquery.Selection) string {
	if p.Next == "" {
		return ""
	}
	if vs := values(doc, Field{Selector: p.Next, Attr: "href"}); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// mapOrigin maps href onto base when it starts with origin (both without a
// trailing slash); it reports whether it did.
func mapOrigin(href, origin, base string) (string, bool) {
	if origin == "" {
		return href, false
	}
	rest, ok := strings.CutPrefix(href, origin)
	if !ok || (rest != "" && !strings.ContainsAny(rest[:1], "/?#")) {
		return href, false
	}
	return base + rest, true
}

// startBase returns the start URL up to its last "/", without the trailing
// slash and without a query: the base onto which [Profile.Origin] is mapped.
func startBase(u *url.URL) string {
	b := *u
	b.RawQuery, b.Fragment, b.RawFragment = "", "", ""
	if i := strings.LastIndex(b.Path, "/"); i >= 0 {
		b.Path = b.Path[:i]
	} else {
		b.Path = ""
	}
	b.RawPath = ""
	return strings.TrimSuffix(b.String(), "/")
}

// canonicalOrigin returns scheme://host[:port] of u as colly writes request
// URLs: lower case, without the scheme's default port.
func canonicalOrigin(u *url.URL) string {
	host := strings.ToLower(u.Host)
	switch scheme := strings.ToLower(u.Scheme); {
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	}
	return strings.ToLower(u.Scheme) + "://" + host
}
