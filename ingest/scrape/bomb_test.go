package scrape

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/internal/testenv"
)

// bombSize is what the test's gzip bombs decode to: 256 times the cap of
// testFetchConfig, in a body of about 260 KB, a quarter of the cap.
const bombSize = 256 << 20

// capped keeps the first n bytes written to it and counts the rest.
type capped struct {
	bytes.Buffer
	n int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.n - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// TestGzipBomb serves a list page whose small body decodes to far more than
// fetch.max_bytes, gzip-encoded as colly decompresses it (Content-Encoding
// x-gzip, which net/http leaves alone, or a gzip Content-Type): the crawl
// fails the page with ingest.ErrTooLarge without ever holding the decoded
// body, and keeps the body as received. A small x-gzip page is decoded and
// crawled as any other, and kept decoded, as net/http keeps a gzip one.
func TestGzipBomb(t *testing.T) {
	page := `<html><body>` + strings.Repeat(`<div class="job"><a class="t" href="/j.html">A job</a></div>`, 5) + `</body></html>`
	var small bytes.Buffer
	zw := gzip.NewWriter(&small)
	zw.Write([]byte(page))
	zw.Close()
	tests := []struct {
		name     string
		header   string // header naming gzip
		value    string
		bomb     bool
		wantErr  error
		wantBody string // "" for the bomb's first bytes
	}{
		{name: "Content-Encoding x-gzip bomb", header: "Content-Encoding", value: "x-gzip", bomb: true, wantErr: ingest.ErrTooLarge},
		{name: "Content-Type application/x-gzip bomb", header: "Content-Type", value: "application/x-gzip", bomb: true, wantErr: ingest.ErrTooLarge},
		{name: "Content-Encoding gzip bomb", header: "Content-Encoding", value: "gzip", bomb: true, wantErr: ingest.ErrTooLarge},
		{name: "small x-gzip page", header: "Content-Encoding", value: "x-gzip", wantBody: page},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newBoard(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/":
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set(tt.header, tt.value)
					if tt.bomb {
						testenv.WriteGzipBomb(w, bombSize)
					} else {
						w.Write(small.Bytes())
					}
				case "/j.html":
					w.Header().Set("Content-Type", "text/html")
					w.Write([]byte(`<html><body><p>The job</p></body></html>`))
				default:
					http.NotFound(w, r)
				}
			}))
			p := NewProfile("bomb")
			p.URL, p.Item, p.Delay, p.Robots = srv.URL+"/", "div.job", 0, false
			p.Fields = map[string]Field{"title": {Selector: "a.t"}}
			p.Detail = Field{Selector: "a.t"}
			cfg := testFetchConfig()
			src := New(p, cfg, testLogger(t), WithTransport(newLocalOnly()))
			lake := newMemLake()

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := src.Fetch(t.Context(), lake.keep)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("crawl allocated %d MiB; error: %v", alloc>>20, err)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Fetch error %v, want %v", err, tt.wantErr)
			}
			// The cap holds memory to a few times max_bytes (1 MiB), whatever
			// the body decodes to.
			if limit := uint64(32 * cfg.MaxBytes); alloc > limit {
				t.Errorf("the crawl allocated %d MiB, want at most %d MiB", alloc>>20, limit>>20)
			}
			list, ok := lake.pages["page-0001.html"]
			if !ok {
				t.Fatalf("list page not kept; kept %v", lake.names)
			}
			if !tt.bomb {
				if string(list.Body) != tt.wantBody || list.Meta.Error != "" || srv.hits("/j.html") != 1 {
					t.Errorf("small gzip page kept as %q (error %q), detail fetched %d times; want it decoded, and its link followed",
						list.Body, list.Meta.Error, srv.hits("/j.html"))
				}
				return
			}
			sent := &capped{n: int(cfg.MaxBytes)}
			testenv.WriteGzipBomb(sent, bombSize)
			if !bytes.Equal(list.Body, sent.Bytes()) || !strings.Contains(list.Meta.Error, "decompressed") {
				t.Errorf("bomb kept as %d bytes (the %d bytes sent: %v), error %q; want the bytes as received, and the cap named",
					len(list.Body), sent.Len(), bytes.Equal(list.Body, sent.Bytes()), list.Meta.Error)
			}
			if srv.hits("/j.html") != 0 {
				t.Errorf("links of the bomb followed")
			}
		})
	}
}
