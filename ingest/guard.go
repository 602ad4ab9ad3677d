package ingest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// dialHosts is what a request tells the fetcher's dialer, in its context:
// the host of the request and the source's own host (that of the URL the
// source asked for, before any redirect).
type dialHosts struct{ target, own string }

type dialHostsKey struct{}

// guardedDefault is [http.DefaultTransport] guarded, made once and shared
// by every fetcher built on it, so that their idle connections are pooled
// once for the process: a clone per fetcher (one per run) left each run's
// keep-alive connections open, two goroutines and a file each, for good.
var guardedDefault = sync.OnceValue(func() http.RoundTripper { return guardRoundTripper(http.DefaultTransport) })

// guardTransport returns rt guarded (see [guardRoundTripper]); nil or
// [http.DefaultTransport] gives one guarded transport shared by every
// caller.
func guardTransport(rt http.RoundTripper) http.RoundTripper {
	if rt == nil || rt == http.DefaultTransport {
		return guardedDefault()
	}
	return guardRoundTripper(rt)
}

// guardRoundTripper returns a clone of rt
// whose connections to any host but a request's own source host are refused
// when they would reach an address that is not public (see [publicAddr]):
// the check is made on the address dialled, after name resolution, so a
// host name that resolves to 127.0.0.1 or 169.254.169.254 is refused too.
// A connection to a proxy is not checked (the operator chose it), but a
// request through a proxy to another host is refused when the host is, or
// resolves here to, an address that is not public: the proxy resolves it
// again, so this check is the weaker one. rt is returned as is when it is
// not an *http.Transport.
func guardRoundTripper(rt http.RoundTripper) http.RoundTripper {
	t, ok := rt.(*http.Transport)
	if !ok {
		return rt
	}
	t = t.Clone()
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	guarded := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, ControlContext: refusePrivate}
	if proxy := t.Proxy; proxy != nil {
		t.Proxy = func(req *http.Request) (*url.URL, error) {
			u, err := proxy(req)
			hosts, _ := req.Context().Value(dialHostsKey{}).(dialHosts)
			if err != nil || u == nil || hosts.own == "" || strings.EqualFold(req.URL.Hostname(), hosts.own) {
				return u, err
			}
			if err := checkResolved(req.Context(), req.URL.Hostname()); err != nil {
				return nil, err
			}
			return u, nil
		}
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		hosts, _ := ctx.Value(dialHostsKey{}).(dialHosts)
		host, _, err := net.SplitHostPort(addr)
		if err != nil || !strings.EqualFold(host, hosts.target) || strings.EqualFold(host, hosts.own) {
			return dial(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	return t
}

// checkResolved refuses host when it is, or resolves to, an address that is
// not public. A host that does not resolve here is not refused: the proxy
// may resolve what this machine cannot.
func checkResolved(ctx context.Context, host string) error {
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if ip, perr := netip.ParseAddr(host); perr == nil {
		addrs, err = []netip.Addr{ip}, nil
	}
	if err != nil {
		return nil
	}
	for _, ip := range addrs {
		if kind := privateKind(ip); kind != "" {
			return fmt.Errorf("%w: %s is a %s address, and not the source's own host", ErrRedirectRefused, ip.Unmap(), kind)
		}
	}
	return nil
}

// refusePrivate is a [net.Dialer] control function refusing any address
// that is not public.
func refusePrivate(_ context.Context, _, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check address %q", ErrRedirectRefused, address)
	}
	if kind := privateKind(ap.Addr()); kind != "" {
		return fmt.Errorf("%w: %s is a %s address, and not the source's own host", ErrRedirectRefused, ap.Addr().Unmap(), kind)
	}
	return nil
}

var (
	sharedNet  = netip.MustParsePrefix("100.64.0.0/10") // carrier-grade NAT; also Alibaba Cloud's metadata address
	thisNet    = netip.MustParsePrefix("0.0.0.0/8")
	nat64      = netip.MustParsePrefix("64:ff9b::/96")
	benchmarks = netip.MustParsePrefix("198.18.0.0/15")
)

// privateKind names the kind of a non-public address (loopback, private,
// link-local, ...), "" for a public unicast address.
func privateKind(ip netip.Addr) string {
	ip = ip.Unmap()
	if nat64.Contains(ip) { // an IPv4 address behind a NAT64 gateway
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsPrivate():
		return "private"
	case ip.IsUnspecified(), thisNet.Contains(ip):
		return "unspecified"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case sharedNet.Contains(ip), benchmarks.Contains(ip):
		return "non-public"
	}
	return ""
}
