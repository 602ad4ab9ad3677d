package scrape

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jobpulse/jobpulse/ingest"
)

var listPage = regexp.MustCompile(`^page-[0-9]{4,}\.html$`)

// Parse parses a stored list page (page-NNNN.html) into postings, completing
// each from its detail page, found with lookup by [DetailPageName]. Other
// pages (detail pages, robots.txt) give nothing.
//
// A list page on which the item selector matches nothing (an error page
// served with 200, a page of another layout, not HTML) is an error wrapping
// [ingest.ErrMalformed]. An item without a title, or without a field marked
// required, or with an id seen earlier on the page, is a [ingest.Reject]
// naming the lake key and the item's index. A posting whose detail page is
// missing or failed is kept without the detail fields, unless one of them is
// marked required: then it is rejected, with the reason. Values are trimmed,
// their white space collapsed, and made valid UTF-8; nothing is normalized.
func (s *Source) Parse(ctx context.Context, page ingest.StoredPage, lookup ingest.Lookup) ([]ingest.Posting, []ingest.Reject, error) {
	if !listPage.MatchString(page.Name) {
		return nil, nil, nil
	}
	postings, rejects, missing, err := s.p.parseList(ctx, page, lookup)
	if missing > 0 {
		s.logger.Warn("postings kept without their detail page", "key", page.Key, "postings", missing)
	}
	return postings, rejects, err
}

// parseList parses one list page; missing counts the postings kept without
// their detail page.
func (p Profile) parseList(ctx context.Context, page ingest.StoredPage, lookup ingest.Lookup) (postings []ingest.Posting, rejects []ingest.Reject, missing int, err error) {
	doc, err := readHTML(page.Body)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("scrape: parse %s: %w: %w", page.Key, ingest.ErrMalformed, err)
	}
	items := doc.Find(p.Item)
	if items.Length() == 0 {
		return nil, nil, 0, fmt.Errorf("scrape: parse %s: %w: no element matches item selector %q", page.Key, ingest.ErrMalformed, p.Item)
	}
	base := docBase(page.Meta.URL, doc.Selection)
	ids := map[string]int{}
	for i := range items.Length() {
		po, noDetail, reason, err := p.item(ctx, items.Eq(i), base, lookup)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("scrape: parse %s: item %d: %w", page.Key, i, err)
		}
		if first, dup := ids[po.SourceID]; reason == "" && dup {
			reason = fmt.Sprintf("id %q repeats item %d of the page", po.SourceID, first)
		}
		if reason != "" {
			rejects = append(rejects, ingest.Reject{LakeKey: page.Key, Index: i, Reason: reason})
			continue
		}
		ids[po.SourceID] = i
		if noDetail {
			missing++
		}
		po.LakeKey = page.Key
		postings = append(postings, po)
	}
	return postings, rejects, missing, nil
}

// item reads one posting. A non-empty reason rejects it; noDetail says it is
// kept without its detail page; err is a lake failure.
func (p Profile) item(ctx context.Context, item *goquery.Selection, base *url.URL, lookup ingest.Lookup) (po ingest.Posting, noDetail bool, reason string, err error) {
	po = ingest.Posting{Source: p.Name}
	if reason := apply(&po, "fields", p.Fields, item); reason != "" {
		return po, false, reason, nil
	}
	if po.Title == "" {
		return po, false, fmt.Sprintf("no title: fields.title %q matched nothing", p.Fields["title"].Selector), nil
	}
	href := p.detailHref(item)
	if p.Detail != (Field{}) {
		why, err := p.detail(ctx, &po, href, lookup)
		if err != nil {
			return po, false, "", err
		}
		if why != "" {
			if required := requiredFields("detail_fields", p.DetailFields); required != "" {
				return po, false, fmt.Sprintf("%q: %s, and %s is required", po.Title, why, required), nil
			}
			noDetail = true
		}
	}
	if po.URL == "" {
		po.URL = href
	}
	po.URL = resolveRef(base, po.URL)
	po.CompanyLogo = resolveRef(base, po.CompanyLogo)
	if po.SourceID == "" {
		po.SourceID = slug(po.URL)
	}
	if po.SourceID == "" {
		sum := sha256.Sum256([]byte(po.Title + "\x00" + po.Company + "\x00" + po.LocationText))
		po.SourceID = "h" + hex.EncodeToString(sum[:8])
	}
	return po, noDetail, "", nil
}

// detail completes po from its detail page. why says why the page could not
// be read; err is a lake failure.
func (p Profile) detail(ctx context.Context, po *ingest.Posting, href string, lookup ingest.Lookup) (why string, err error) {
	if href == "" {
		return fmt.Sprintf("no detail link (detail %q matched nothing)", p.Detail.Selector), nil
	}
	name := DetailPageName(href)
	if lookup == nil {
		return fmt.Sprintf("detail page %s (%s) was not fetched", name, href), nil
	}
	dp, err := lookup(ctx, name)
	switch {
	case errors.Is(err, ingest.ErrNotFound):
		return fmt.Sprintf("detail page %s (%s) was not fetched", name, href), nil
	case err != nil:
		return "", fmt.Errorf("detail page %s: %w", name, err)
	case dp.Meta.Error != "":
		return fmt.Sprintf("detail page %s (%s) failed: %s", name, href, dp.Meta.Error), nil
	}
	doc, err := readHTML(dp.Body)
	if err != nil {
		return fmt.Sprintf("detail page %s (%s) is not HTML: %v", name, href, err), nil
	}
	return apply(po, "detail_fields", p.DetailFields, doc.Selection), nil
}

// apply sets po's fields from sel; a non-empty value replaces the one set.
// It returns a reason when a required field is empty.
func apply(po *ingest.Posting, key string, fields map[string]Field, sel *goquery.Selection) string {
	for _, name := range sortedKeys(fields) {
		f := fields[name]
		vs := values(sel, f)
		if len(vs) == 0 {
			if f.Required {
				return fmt.Sprintf("%s.%s %q is empty", key, name, f.Selector)
			}
			continue
		}
		if set, ok := setters[name]; ok {
			set(po, vs, f)
		}
	}
	return ""
}

// setters fill a posting field from the values of the profile field of the
// same name (see [FieldNames]).
var setters = map[string]func(po *ingest.Posting, vs []string, f Field){
	"id":           func(po *ingest.Posting, vs []string, f Field) { po.SourceID = join(vs, f) },
	"title":        func(po *ingest.Posting, vs []string, f Field) { po.Title = join(vs, f) },
	"company":      func(po *ingest.Posting, vs []string, f Field) { po.Company = join(vs, f) },
	"company_logo": func(po *ingest.Posting, vs []string, f Field) { po.CompanyLogo = vs[0] },
	"location":     func(po *ingest.Posting, vs []string, f Field) { po.LocationText = join(vs, f) },
	"salary":       func(po *ingest.Posting, vs []string, f Field) { po.SalaryText = join(vs, f) },
	"url":          func(po *ingest.Posting, vs []string, f Field) { po.URL = vs[0] },
	"published":    func(po *ingest.Posting, vs []string, f Field) { po.PublishedAt = parseDate(vs[0]) },
	"tags":         func(po *ingest.Posting, vs []string, f Field) { po.Tags = tags(vs, f) },
	"category":     func(po *ingest.Posting, vs []string, f Field) { po.Category = join(vs, f) },
	"job_type":     func(po *ingest.Posting, vs []string, f Field) { po.JobType = join(vs, f) },
	"description":  func(po *ingest.Posting, vs []string, f Field) { po.Description = join(vs, f) },
}

func join(vs []string, f Field) string {
	if f.HTML {
		return strings.Join(vs, "\n")
	}
	return strings.Join(vs, ", ")
}

// tags returns one tag per element with all, else the single value split at
// commas; empty and repeated tags are dropped.
func tags(vs []string, f Field) []string {
	if !f.All && len(vs) == 1 {
		vs = strings.Split(vs[0], ",")
	}
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func requiredFields(key string, fields map[string]Field) string {
	for _, name := range sortedKeys(fields) {
		if fields[name].Required {
			return key + "." + name
		}
	}
	return ""
}

// dateLayouts are the layouts read in a published field, e.g. the datetime
// attribute of <time>; a date without a zone is taken as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	time.DateOnly,
}

// parseDate returns the time in UTC, or the zero time when s matches no layout.
func parseDate(s string) time.Time {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// readHTML parses a page, without a UTF-8 byte-order mark.
func readHTML(body []byte) (*goquery.Document, error) {
	return goquery.NewDocumentFromReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
}

// docBase returns the URL that relative links of a page resolve against: its
// <base href> resolved against the page's URL; nil when unknown.
func docBase(pageURL string, doc *goquery.Selection) *url.URL {
	base, err := url.Parse(pageURL)
	if err != nil || !base.IsAbs() {
		base = nil
	}
	if href, ok := doc.Find("base[href]").Attr("href"); ok {
		if b, err := url.Parse(strings.TrimSpace(href)); err == nil {
			if base != nil {
				b = base.ResolveReference(b)
			}
			if b.IsAbs() {
				base = b
			}
		}
	}
	return base
}

// resolveRef resolves ref against base; it returns ref as written when it
// cannot (no base, not a URL).
func resolveRef(base *url.URL, ref string) string {
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

// slug returns the last segment of a URL's path without its extension, and
// its query if any: ".../jobs/senior-python-developer-0.html" gives
// "senior-python-developer-0". Set fields.id where that is not unique.
func slug(ref string) string {
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	seg := path.Base(strings.TrimRight(u.Path, "/"))
	if seg == "." || seg == "/" {
		seg = ""
	}
	seg = strings.TrimSuffix(seg, path.Ext(seg))
	if u.RawQuery != "" {
		seg += "?" + u.RawQuery
	}
	return clean(seg)
}
