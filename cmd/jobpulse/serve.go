package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/site/publish"
)

func newServeCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Annotations: reads("site.out", "serve.", "publish.cache_control", "log."),
		Use:         "serve",
		Short:       "Serve the built site in site.out at serve.addr (default http://127.0.0.1:8080)",
		Long: `serve serves the site built in site.out over HTTP at serve.addr until interrupted, as a
website bucket serves what publish put there: the site's 404.html for missing pages, each
file with the Content-Type and Cache-Control a publish gives it (publish.cache_control
included), and text gzip-compressed for a browser that accepts it. It is a preview: publish
is for real readers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveSite(cmd.Context(), cmd.OutOrStdout(), a.cfg.Site.Out, a.cfg.Serve.Addr, a.cfg.Publish.CacheControl)
		},
	}
}

// serveSite serves dir at addr until ctx is done, with the Cache-Control
// rules of publish.cache_control (see [publish.Handler]).
func serveSite(ctx context.Context, out io.Writer, dir, addr string, rules []publish.CacheRule) error {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("serve: %s has no index.html: run jobpulse build first: %w", dir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s (serve.addr): %w", addr, err)
	}
	srv := &http.Server{Handler: publish.Handler(dir, rules), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "serving %s at http://%s/ (Ctrl+C to stop)\n", dir, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	return nil
}
