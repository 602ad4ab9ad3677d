package ingest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFetcherRedirectPolicy redirects a source on 127.0.0.1 off its host:
// to the cloud metadata address, and to a second server on 127.0.0.1 named
// "localhost". A redirect is followed only within the source's host or to a
// host of its redirect_hosts, and never connects to a loopback, private or
// link-local address but the source's own: the refused redirect is kept and
// named in the error, nothing is retried, and the second server sees no
// connection at all. It runs with a direct transport (the addresses are
// checked as they are dialled) and through a proxy (checked as resolved
// here, before the proxy is asked).
func TestFetcherRedirectPolicy(t *testing.T) {
	var proxied atomic.Int32
	direct := &http.Transport{}
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		if r.URL.Hostname() != "127.0.0.1" {
			http.Error(w, "the test proxy forwards to 127.0.0.1 only", http.StatusBadGateway)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		resp, err := direct.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		maps.Copy(w.Header(), resp.Header)
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)
	transports := []struct {
		name   string
		client *http.Client
	}{
		{"direct", &http.Client{Transport: &http.Transport{}}},
		{"proxy", &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}},
	}
	var conns atomic.Int32
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"secret":"AKIA..."}`)
	}))
	other.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	other.Start()
	defer other.Close()
	_, otherPort, _ := net.SplitHostPort(other.Listener.Addr().String())
	metadata := "http://169.254.169.254/latest/meta-data/iam/security-credentials/"

	tests := []struct {
		name      string
		to        string // Location of the source's answer; "" when the test serves it
		hosts     []string
		wantErr   string // "" when the redirect is followed
		wantConns int32
	}{
		{name: "metadata address, not a redirect host", to: metadata,
			wantErr: `redirect refused: .* answered 302 to http://169\.254\.169\.254/.*: off the source's host 127\.0\.0\.1 \(sources\.test\.redirect_hosts`},
		{name: "metadata address, a redirect host", to: metadata, hosts: []string{"169.254.169.254"},
			wantErr: `redirect refused: 169\.254\.169\.254 is a link-local address`},
		{name: "localhost, not a redirect host", to: "http://localhost:" + otherPort + "/x",
			wantErr: `redirect refused: .*: off the source's host 127\.0\.0\.1`},
		{name: "localhost, a redirect host that resolves to loopback", to: "http://LocalHost:" + otherPort + "/x", hosts: []string{"localhost"},
			wantErr: `redirect refused: 127\.0\.0\.1 is a loopback address, and not the source's own host`},
		{name: "not http", to: "file:///etc/passwd", wantErr: `redirect refused: .*: not an http\(s\) URL`},
		{name: "the source's own host, another port", to: other.URL + "/x", wantConns: 1},
	}
	for _, tr := range transports {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				conns.Store(0)
				proxied.Store(0)
				var calls atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					calls.Add(1)
					http.Redirect(w, r, tt.to, http.StatusFound)
				}))
				defer srv.Close()
				var pages []string
				keep := func(_ context.Context, p RawPage) error {
					pages = append(pages, p.Name+" "+strconv.Itoa(p.Meta.Status))
					if p.Meta.Status == http.StatusFound && tt.wantErr != "" && !strings.Contains(p.Meta.Error, "redirect") {
						t.Errorf("redirect kept with error %q", p.Meta.Error)
					}
					return nil
				}
				cfg := DefaultFetchConfig()
				cfg.RetryDelay = time.Millisecond
				f := NewFetcher(cfg, tr.client, slog.New(slog.DiscardHandler)).WithRedirectHosts(tt.hosts...)
				err := f.Get(context.Background(), "test", srv.URL+"/api", "page-0001.json", keep)
				t.Logf("error: %v", err)
				wantPages := []string{"page-0001.attempt-1.json 302", "page-0001.json 200"}
				wantProxied := int32(0) // requests through the proxy
				if tr.name == "proxy" {
					wantProxied = 1 + tt.wantConns
				}
				switch {
				case tt.wantErr == "":
					if err != nil {
						t.Fatalf("Get: %v", err)
					}
				case !errors.Is(err, ErrRedirectRefused) || !matches(tt.wantErr, err.Error()):
					t.Fatalf("Get error %v, want ErrRedirectRefused matching %q", err, tt.wantErr)
				case strings.Contains(tt.wantErr, "off the source's host"), strings.Contains(tt.wantErr, "not an http"):
					wantPages = []string{"page-0001.json 302"} // refused before any request
				default:
					wantPages = []string{"page-0001.attempt-1.json 302"} // refused when connecting
				}
				if diff := cmp.Diff(wantPages, pages); diff != "" {
					t.Errorf("kept pages (-want +got):\n%s", diff)
				}
				if calls.Load() != 1 || conns.Load() != tt.wantConns || proxied.Load() != wantProxied {
					t.Errorf("%d requests to the source, %d connections to the redirect's target, %d requests to the proxy; want 1, %d and %d",
						calls.Load(), conns.Load(), proxied.Load(), tt.wantConns, wantProxied)
				}
			})
		}
	}
}

func matches(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
