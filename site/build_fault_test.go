package site

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

// pgProxy forwards TCP connections on 127.0.0.1 to a PostgreSQL server, and
// can cut every connection it carries at once, as a network failure would.
type pgProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns []net.Conn
}

func newPGProxy(t *testing.T, target string) *pgProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
	return p
}

func (p *pgProxy) forward(c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, s)
	p.mu.Unlock()
	go func() { io.Copy(s, c); s.Close() }()
	io.Copy(c, s)
	c.Close()
}

// cut closes every connection carried so far; new ones are still accepted.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // a reset, not a polite close
		}
		c.Close()
	}
	p.conns = nil
}

// TestBuildConnectionLost drops the connection of a build of the embedded
// report while it runs its queries: the build is held mid-way (a lock on
// rejects, which the sources page reads after the other pages' queries ran),
// then its backend is terminated (pg_terminate_backend) or the TCP
// connection between it and the server is cut. The build fails with an error
// naming the page and the query, the output folder keeps the previous site
// whole with nothing left beside it, and a rebuild then succeeds with the
// warehouse's new data.
func TestBuildConnectionLost(t *testing.T) {
	tests := []struct {
		name  string
		fault func(t *testing.T, admin *pgxpool.Pool, pid uint32, proxy *pgProxy)
		want  []string // in the error
	}{
		{
			name: "backend terminated",
			fault: func(t *testing.T, admin *pgxpool.Pool, pid uint32, _ *pgProxy) {
				var ok bool
				if err := admin.QueryRow(context.Background(), "SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil || !ok {
					t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
				}
			},
			want: []string{"terminating connection due to administrator command", "57P01"},
		},
		{
			name:  "TCP connection cut",
			fault: func(_ *testing.T, _ *pgxpool.Pool, _ uint32, proxy *pgProxy) { proxy.cut() },
			want:  []string{"connection reset by peer"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			admin := pgtest.New(t)
			seedRun(t, admin, false, []testPosting{{Title: "Backend Engineer", Location: "Berlin"}})
			cc := admin.Config().ConnConfig
			proxy := newPGProxy(t, net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port))))
			pcfg := admin.Config().Copy()
			pcfg.ConnConfig.Host, pcfg.ConnConfig.Port = "127.0.0.1", uint16(proxy.ln.Addr().(*net.TCPAddr).Port)
			pool, err := pgxpool.NewWithConfig(ctx, pcfg)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()

			cfg := testConfig(t)
			if _, err := Build(ctx, pool, cfg, nil); err != nil {
				t.Fatalf("first build: %v", err)
			}
			before := readTree(t, cfg.Out)
			if _, err := admin.Exec(ctx, `INSERT INTO postings (id, source, source_id, title, location_text,
				first_seen_run, last_seen_run, first_seen_at, last_seen_at, lake_key)
				SELECT md5('new')::uuid, 'remotive', 'new', 'Site Reliability Engineer', 'Lisbon', r.id, r.id,
					r.started_at, r.started_at, 'raw/k' FROM runs r`); err != nil {
				t.Fatal(err)
			}

			// Hold the build on the sources page, after the other pages' queries.
			locker, err := admin.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer locker.Rollback(ctx)
			if _, err := locker.Exec(ctx, "LOCK TABLE rejects IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			built := make(chan error, 1)
			go func() {
				_, err := Build(ctx, pool, cfg, nil)
				built <- err
			}()
			pid, query := waitBuildBlocked(t, admin, locker.Conn().PgConn().PID(), built)
			tt.fault(t, admin, pid, proxy)
			if err := locker.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			err = <-built
			if err == nil {
				t.Fatal("the build succeeded although its connection was lost")
			}
			var ce *ContentError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "sources.md") || !strings.Contains(err.Error(), ": query ") {
				t.Errorf("error %q does not name the page and the query that failed", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			t.Logf("held in %.60q...; the build failed with: %v", oneLineSQL(query), err)

			if diff := cmp.Diff(before, readTree(t, cfg.Out)); diff != "" {
				t.Errorf("the failed build changed the site (-before +after):\n%s", diff)
			}
			entries, err := os.ReadDir(filepath.Dir(cfg.Out))
			if err != nil || len(entries) != 1 {
				t.Errorf("beside the site after a failed build: %v (%v), want only %s", entries, err, filepath.Base(cfg.Out))
			}

			if _, err := Build(ctx, pool, cfg, nil); err != nil {
				t.Fatalf("rebuild after the lost connection: %v", err)
			}
			after := readTree(t, cfg.Out)
			if after["index.html"] == before["index.html"] {
				t.Errorf("the rebuilt home page does not count the new posting")
			}
		})
	}
}

// waitBuildBlocked waits until a session waits for a lock that the session
// holder holds, and returns its pid and query; it fails the test if the build ends
// first or nothing waits within a minute.
func waitBuildBlocked(t *testing.T, admin *pgxpool.Pool, holder uint32, built <-chan error) (uint32, string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var pid uint32
		var query string
		err := admin.QueryRow(context.Background(), `SELECT pid, query FROM pg_stat_activity
			WHERE $1 = ANY (pg_blocking_pids(pid))`, holder).Scan(&pid, &query)
		if err == nil {
			return pid, query
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		}
		select {
		case err := <-built:
			t.Fatalf("the build ended (%v) without waiting for rejects: does the report still read it?", err)
		default:
		}
	}
	t.Fatal("no build query waited for the lock on rejects within a minute")
	return 0, ""
}

func oneLineSQL(s string) string { return strings.Join(strings.Fields(s), " ") }
