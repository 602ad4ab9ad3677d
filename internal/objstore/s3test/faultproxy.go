package s3test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Fault is what a [FaultProxy] does to one request.
type Fault int

// The faults a [FaultProxy] injects. The "Request" faults happen before the
// server has done anything; the "Response" faults after it has carried out
// the request, so the client cannot tell whether its write happened.
const (
	// Pass forwards the request and its response untouched.
	Pass Fault = iota
	// Error500 answers 500 InternalError with an S3 XML error body, without
	// forwarding the request.
	Error500
	// Error503 answers 503 SlowDown with an S3 XML error body, without
	// forwarding the request.
	Error503
	// HangRequest holds the request, unanswered and not forwarded, until the
	// client gives up (or the proxy closes).
	HangRequest
	// HangResponse forwards the request, then holds the server's response
	// until the client gives up.
	HangResponse
	// ResetRequest forwards the request's headers and the first half of its
	// body, then drops the server connection, and resets the client's (a TCP
	// RST): the server sees an upload cut short.
	ResetRequest
	// ResetResponse forwards the request, then sends the client the first
	// half of the server's response (half its body, or half its header
	// block when it has no body) and resets the connection.
	ResetResponse
	// CutResponse is ResetResponse with a plain close (a TCP FIN), as a
	// proxy or load balancer that drops a connection does: the client sees
	// an early end of the response rather than a reset.
	CutResponse

	numFaults
)

// AllFaults lists every fault but [Pass].
var AllFaults = []Fault{Error500, Error503, HangRequest, HangResponse, ResetRequest, ResetResponse, CutResponse}

var faultNames = [numFaults]string{"pass", "500", "503", "hang-request", "hang-response", "reset-request", "reset-response", "cut-response"}

// String names the fault, e.g. "reset-response".
func (f Fault) String() string {
	if f < 0 || f >= numFaults {
		return fmt.Sprintf("Fault(%d)", int(f))
	}
	return faultNames[f]
}

// FaultConfig configures a [FaultProxy].
type FaultConfig struct {
	// Seed makes the faults reproducible: the fault of a request depends only
	// on the seed, the request's method, path (less its first segment, the
	// bucket) and query, and how many times the same request was seen
	// before, not on the order in which concurrent requests arrive nor on
	// the bucket's name.
	Seed uint64
	// Rate is the probability that a request gets a fault, from 0 to 1.
	// [FaultProxy.SetRate] changes it later.
	Rate float64
	// Faults are the faults to choose from, with equal chances; nil for
	// [AllFaults].
	Faults []Fault
	// Match, when set, selects the requests that may get a fault; the others
	// pass.
	Match func(*http.Request) bool
}

// FaultEvent records one injected fault.
type FaultEvent struct {
	Fault  Fault
	Method string
	Path   string // path and query, e.g. "/bucket/key?x-id=PutObject"
	Seen   int    // how many times this request was seen before
}

// String formats the event as "reset-response PUT /bucket/key (#2)".
func (e FaultEvent) String() string {
	return fmt.Sprintf("%s %s %s (#%d)", e.Fault, e.Method, e.Path, e.Seen+1)
}

// FaultCounts counts the requests a [FaultProxy] handled, by what it did.
type FaultCounts struct {
	// Requests is the number of requests the proxy received.
	Requests int64
	// ByFault counts them by what the proxy did, indexed by [Fault]:
	// ByFault[Pass] passed untouched.
	ByFault [numFaults]int64
}

// Faults returns the number of requests that got a fault.
func (c FaultCounts) Faults() int64 { return c.Requests - c.ByFault[Pass] }

// String formats the counts, e.g. "412 requests, 98 faults (500: 17, ...)".
func (c FaultCounts) String() string {
	var parts []string
	for f := Error500; f < numFaults; f++ {
		parts = append(parts, fmt.Sprintf("%s: %d", f, c.ByFault[f]))
	}
	return fmt.Sprintf("%d requests, %d faults (%s)", c.Requests, c.Faults(), strings.Join(parts, ", "))
}

// FaultProxy is an HTTP proxy on 127.0.0.1 in front of an S3 server that
// injects faults at random into the requests it forwards: error answers,
// hung requests and connection resets (see [Fault]). It keeps the request's
// Host header, so that SigV4 signatures made for the proxy's address hold.
type FaultProxy struct {
	// URL is the proxy's base URL, e.g. "http://127.0.0.1:41236": the
	// endpoint a client uses instead of the server's.
	URL string

	cfg      FaultConfig
	target   *url.URL
	srv      *Server // nil for a proxy made with NewFaultProxy
	front    *httptest.Server
	upstream *http.Transport
	rate     atomic.Uint64 // math.Float64bits of the rate
	closed   chan struct{}
	once     sync.Once

	mu     sync.Mutex
	seen   map[string]int
	counts FaultCounts
	events []FaultEvent
}

// FaultProxy starts a [FaultProxy] in front of the server's S3 API, closed
// when the test ends.
func (s *Server) FaultProxy(t testing.TB, cfg FaultConfig) *FaultProxy {
	t.Helper()
	p := NewFaultProxy(t, s.Endpoint, cfg)
	p.srv = s
	return p
}

// NewFaultProxy starts a [FaultProxy] in front of target, an http:// base
// URL, closed when the test ends.
func NewFaultProxy(t testing.TB, target string, cfg FaultConfig) *FaultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		t.Fatalf("s3test: fault proxy target %q: want an http:// URL (%v)", target, err)
	}
	if cfg.Faults == nil {
		cfg.Faults = AllFaults
	}
	for _, f := range cfg.Faults {
		if f <= Pass || f >= numFaults {
			t.Fatalf("s3test: fault proxy: unknown fault %v", f)
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	p := &FaultProxy{cfg: cfg, target: u, upstream: tr, closed: make(chan struct{}), seen: map[string]int{}}
	p.SetRate(cfg.Rate)
	p.front = httptest.NewServer(http.HandlerFunc(p.serveHTTP))
	p.URL = p.front.URL
	t.Cleanup(p.Close)
	return p
}

// SetRate sets the probability that a request gets a fault (0 for none).
func (p *FaultProxy) SetRate(rate float64) {
	p.rate.Store(math.Float64bits(min(max(rate, 0), 1)))
}

// Counts returns what the proxy did so far.
func (p *FaultProxy) Counts() FaultCounts {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts
}

// Events returns the faults injected so far, in order.
func (p *FaultProxy) Events() []FaultEvent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]FaultEvent(nil), p.events...)
}

// Config returns the AWS configuration of the server's root account with
// the proxy as its endpoint. It is for proxies started by
// [Server.FaultProxy], as is [FaultProxy.Setenv].
func (p *FaultProxy) Config() aws.Config {
	cfg := p.srv.Config()
	cfg.BaseEndpoint = aws.String(p.URL)
	return cfg
}

// Setenv is [Server.Setenv] with the proxy as the S3 endpoint: clients made
// by objstore.NewClient then go through the proxy.
func (p *FaultProxy) Setenv(t testing.TB) {
	t.Helper()
	p.srv.Setenv(t)
	t.Setenv("AWS_ENDPOINT_URL_S3", p.URL)
}

// Close releases the hung requests and stops the proxy.
func (p *FaultProxy) Close() {
	p.once.Do(func() {
		close(p.closed)
		p.front.CloseClientConnections()
		p.front.Close()
		p.upstream.CloseIdleConnections()
	})
}

// decide picks the fault of r and records it.
func (p *FaultProxy) decide(r *http.Request) Fault {
	id := r.Method + " " + faultID(r.URL)
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.seen[id]
	p.seen[id] = n + 1
	p.counts.Requests++
	f := Pass
	if p.cfg.Match == nil || p.cfg.Match(r) {
		sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%s\x00%d", p.cfg.Seed, id, n))
		u := float64(binary.BigEndian.Uint64(sum[:8])>>11) / (1 << 53)
		if u < math.Float64frombits(p.rate.Load()) {
			f = p.cfg.Faults[binary.BigEndian.Uint64(sum[8:16])%uint64(len(p.cfg.Faults))]
			p.events = append(p.events, FaultEvent{Fault: f, Method: r.Method, Path: r.URL.RequestURI(), Seen: n})
		}
	}
	p.counts.ByFault[f]++
	return f
}

// serveHTTP carries out the fault decide picks for r.
func (p *FaultProxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch fault := p.decide(r); fault {
	case Error500, Error503:
		p.writeError(w, r, fault)
	case HangRequest:
		p.hang(r)
	case ResetRequest:
		if r.ContentLength > 0 {
			half := r.ContentLength / 2
			body := io.MultiReader(io.LimitReader(r.Body, half), errReader{errors.New("fault proxy: upload cut")})
			if resp, err := p.forward(r, body); err == nil { // the server answered before the cut
				resp.Body.Close()
			}
		}
		reset(w, nil, true)
	default: // Pass, HangResponse, ResetResponse, CutResponse
		resp, err := p.forward(r, r.Body)
		if err != nil {
			http.Error(w, "fault proxy: "+err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		switch fault {
		case HangResponse:
			io.Copy(io.Discard, resp.Body)
			p.hang(r)
		case ResetResponse, CutResponse:
			reset(w, halfResponse(resp), fault == ResetResponse)
		default:
			for k, v := range resp.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(resp.StatusCode)
			io.Copy(w, resp.Body)
		}
	}
}

// forward sends r to the server with body, keeping its Host header.
func (p *FaultProxy) forward(r *http.Request, body io.Reader) (*http.Response, error) {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host = p.target.Scheme, p.target.Host
	out.Host = r.Host
	out.Body = io.NopCloser(body)
	if r.ContentLength == 0 {
		out.Body = nil
	}
	out.Header.Del("Connection")
	return p.upstream.RoundTrip(out)
}

// hang waits until the client goes away or the proxy closes.
func (p *FaultProxy) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-p.closed:
	}
}

// writeError answers the error of fault as S3 does: an XML body, except to
// HEAD.
func (p *FaultProxy) writeError(w http.ResponseWriter, r *http.Request, fault Fault) {
	status, code, msg := http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again."
	if fault == Error503 {
		status, code, msg = http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate."
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Connection", "close") // the request body may be unread
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
			`<Error><Code>%s</Code><Message>%s</Message><Resource>%s</Resource><RequestId>fault-proxy</RequestId></Error>`,
			code, msg, r.URL.Path)
	}
}

// faultID is what identifies a request for the fault it gets: its path and
// query without the first path segment, which names the bucket of a
// path-style request (tests make each bucket's name unique).
func faultID(u *url.URL) string {
	id := u.RequestURI()
	if rest, ok := strings.CutPrefix(id, "/"); ok {
		if i := strings.IndexAny(rest, "/?"); i >= 0 {
			return rest[i:]
		}
		return ""
	}
	return id
}

// halfResponse returns the first half of resp as sent on the wire: its
// header block and half its body, or half its header block when it has no
// body.
func halfResponse(resp *http.Response) []byte {
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.TransferEncoding = nil
	var buf bytes.Buffer
	resp.Write(&buf)
	wire := buf.Bytes()
	head := bytes.Index(wire, []byte("\r\n\r\n")) + 4
	if len(body) == 0 || head < 4 {
		return wire[:len(wire)/2]
	}
	return wire[:head+len(body)/2]
}

// reset hijacks the client's connection, writes sent, and closes the
// connection: with a TCP RST when rst is set, else with a FIN.
func reset(w http.ResponseWriter, sent []byte, rst bool) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // closes the connection
	}
	if len(sent) > 0 {
		rw.Writer.Reset(conn) // drop anything buffered for the client
		conn.Write(sent)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && rst {
		tcp.SetLinger(0)
	}
	conn.Close()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
