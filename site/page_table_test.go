package site

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgtype"
)

func TestFormatValue(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{name: "null", in: nil, want: ""},
		{name: "text", in: "<b>", want: "<b>"},
		{name: "small int", in: int64(999), want: "999"},
		{name: "thousands", in: int64(1234567), want: "1,234,567"},
		{name: "negative", in: int64(-1234), want: "-1,234"},
		{name: "negative small", in: int64(-12), want: "-12"},
		{name: "float", in: 1234.5678, want: "1,234.57"},
		{name: "whole float", in: 50.0, want: "50"},
		{name: "negative zero", in: -0.001, want: "0"},
		{name: "bool", in: true, want: "true"},
		{name: "date", in: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), want: "2026-11-29"},
		{name: "time", in: time.Date(2026, 11, 29, 2, 28, 0, 0, time.FixedZone("CET", 3600)), want: "2026-11-29 01:28 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatValue(tt.in); got != tt.want {
				t.Errorf("formatValue(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	num := func(s string) pgtype.Numeric {
		var n pgtype.Numeric
		if err := n.Scan(s); err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "int32", in: int32(7), want: int64(7)},
		{name: "float32", in: float32(0.5), want: 0.5},
		{name: "whole numeric", in: num("42"), want: int64(42)},
		{name: "big numeric", in: num("1000000000000000000000000000000"), want: 1e30},
		{name: "decimal numeric", in: num("16.67"), want: 16.67},
		{name: "NaN numeric", in: num("NaN"), want: nil},
		{name: "array", in: []any{"go", "sql", nil}, want: "go, sql, "},
		{name: "uuid", in: [16]byte{0: 0xab, 15: 0xcd}, want: "ab000000-0000-0000-0000-0000000000cd"},
		{name: "bytes", in: []byte("x"), want: "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, normalize(tt.in)); diff != "" {
				t.Errorf("normalize(%v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTableView(t *testing.T) {
	res := &result{
		columns: []string{"name", "n", "note"},
		rows:    [][]any{{"a", int64(1000), nil}, {"b", nil, "x"}},
	}
	got := newTableView("Cap", res, []string{"n", "name"})
	want := tableView{
		Caption: "Cap",
		Columns: []tableColumn{{Name: "n", Numeric: true}, {Name: "name"}},
		Rows: [][]tableCell{
			{{Text: "1,000", Numeric: true, Value: "1000"}, {Text: "a"}},
			{{Text: "", Numeric: true}, {Text: "b"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestExternalURL checks which values from the warehouse become links to
// outside the site: only absolute http and https URLs with a host, never
// another scheme, a relative URL or a URL carrying a user name.
func TestExternalURL(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string // "" for a cell that stays text
	}{
		{name: "https", in: "https://remotive.com/remote-jobs/1", want: "https://remotive.com/remote-jobs/1"},
		{name: "http with port and query", in: "http://jobs.example:8080/a?b=c#d", want: "http://jobs.example:8080/a?b=c#d"},
		{name: "upper case scheme", in: "HTTPS://Example.com/X", want: "https://Example.com/X"},
		{name: "IPv6 host", in: "https://[::1]:8443/x", want: "https://[::1]:8443/x"},
		{name: "quotes are escaped", in: `https://example.com/a"onmouseover="alert(1)`, want: "https://example.com/a%22onmouseover=%22alert%281%29"},
		{name: "unicode host and path", in: "https://exämple.com/offres/ünï", want: "https://xn--exmple-cua.com/offres/%C3%BCn%C3%AF"},
		{name: "unicode host with port", in: "https://bücher.example:8080/", want: "https://xn--bcher-kva.example:8080/"},
		{name: "right-to-left override", in: "https://example.com/\u202etxt.exe", want: "https://example.com/%E2%80%AEtxt.exe"},
		{name: "javascript", in: "javascript:alert(1)"},
		{name: "javascript, mixed case", in: "JaVaScRiPt:alert(1)"},
		{name: "javascript with a host-like part", in: "javascript://example.com/%0Aalert(1)"},
		{name: "javascript after a space", in: " javascript:alert(1)"},
		{name: "javascript after a tab", in: "\tjavascript:alert(1)"},
		{name: "data", in: "data:text/html,<script>alert(1)</script>"},
		{name: "vbscript", in: "vbscript:msgbox(1)"},
		{name: "mailto", in: "mailto:jobs@example.com"},
		{name: "ftp", in: "ftp://example.com/x"},
		{name: "scheme-relative", in: "//evil.example/x"},
		{name: "relative", in: "/roles/"},
		{name: "no host", in: "http:///x"},
		{name: "only a port", in: "http://:80/x"},
		{name: "user and password", in: "https://user:pw@evil.example/"},
		{name: "host hidden behind a user", in: "https://remotive.com@evil.example/"},
		{name: "space inside", in: "https://example.com/a b"},
		{name: "newline inside", in: "https://example.com/a\nb"},
		{name: "invisible characters in a host are dropped, as browsers do", in: "https://ex\u00adample\u200b.com/", want: "https://example.com/"},
		{name: "brackets and quotes in the query", in: "https://example.com/?q=<b>'x'&r=\"", want: "https://example.com/?q=%3Cb%3E%27x%27&r=%22"},
		{name: "opaque", in: "https:example.com"},
		{name: "quote in the host", in: `http://00"`},
		{name: "percent in the host", in: "https://ex%61mple.com/"},
		{name: "IPv4 host", in: "http://127.0.0.1/x", want: "http://127.0.0.1/x"},
		{name: "empty", in: ""},
		{name: "null", in: nil},
		{name: "number", in: int64(42)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := externalURL(tt.in); got != tt.want {
				t.Errorf("externalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzExternalURL checks that whatever a column holds, a link made of it is
// an http or https URL with a host.
func FuzzExternalURL(f *testing.F) {
	for _, s := range []string{"https://example.com/", "javascript:alert(1)", "https://exämple.com/ü", "//x", "http://[::1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := externalURL(s)
		if u == "" {
			return
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" || p.User != nil {
			t.Errorf("externalURL(%q) = %q: not an http(s) URL with a host", s, u)
		}
		if strings.ContainsAny(u, "\"'<>` \t\n") {
			t.Errorf("externalURL(%q) = %q holds a quote, bracket or space", s, u)
		}
	})
}
