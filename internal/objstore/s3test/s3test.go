// Package s3test runs a real S3-compatible server, versitygw, on 127.0.0.1
// for tests: one server per test process, with a posix backend in a temporary
// folder, the S3 API and the S3 static website endpoint.
//
// A test calls [Start], then [Server.NewBucket] for a bucket of its own and
// [Server.Client] or [Server.Setenv] to reach it. A test package's TestMain
// should call [Main] so the server stops when the tests end; without it the
// server is still killed when the test process exits (on Linux), and its
// folder is removed by the next run.
//
// The versitygw binary is looked up in $VERSITYGW, on PATH, then in
// $(go env GOPATH)/bin. When it is missing the test ends through
// [testenv.Missing]: skipped locally, failed in CI.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// Install is the command that installs the versitygw version these tests use.
const Install = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// Credentials and region of the test server's root account.
const (
	AccessKey = "jobpulse-test-access"
	SecretKey = "jobpulse-test-secret"
	Region    = "us-east-1"
)

// Server is a running versitygw.
type Server struct {
	// Endpoint is the S3 API's base URL, e.g. "http://127.0.0.1:41234".
	Endpoint string
	// WebsiteAddr is the host:port of the S3 website endpoint. It serves the
	// bucket named by the request's Host header (see [Server.WebsiteURL]).
	WebsiteAddr string
	// Dir is the server's folder: its posix backend root and its log.
	Dir string

	proc *process
}

var (
	mu      sync.Mutex
	current *Server
	failure error // why the last start failed, reported to every later test
)

// Start returns the test process's server, starting it on first use. It ends
// the test through [testenv.Missing] when versitygw is not installed, and
// fails it when the server does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := findBinary()
	if err != nil {
		testenv.Missing(t, "versitygw not found: %s (or set $VERSITYGW)", Install)
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if current != nil {
		err := current.proc.alive()
		if err == nil {
			return current
		}
		failure = fmt.Errorf("versitygw exited during the tests: %v\n%s", err, current.Logs())
		current = nil
	}
	if failure != nil {
		t.Fatalf("s3test: %v", failure)
	}
	srv, err := start(bin)
	if err != nil {
		failure = err
		t.Fatalf("s3test: %v", err)
	}
	current = srv
	return srv
}

// Main runs the tests of m, stops the server if one was started, and exits
// with the tests' result: [testenv.Main] with [Stop]. Call it from TestMain.
func Main(m *testing.M) { testenv.Main(m, Stop) }

// Stop stops the server, if one is running, and removes its folder.
func Stop() error {
	mu.Lock()
	defer mu.Unlock()
	if current == nil {
		return nil
	}
	current.proc.stop()
	err := os.RemoveAll(current.Dir)
	current = nil
	if err != nil {
		return fmt.Errorf("s3test: remove %w", err)
	}
	return nil
}

// findBinary looks up versitygw in $VERSITYGW, on PATH, then in
// $(go env GOPATH)/bin.
func findBinary() (string, error) {
	if p := os.Getenv("VERSITYGW"); p != "" {
		return exec.LookPath(p)
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	for _, dir := range filepath.SplitList(build.Default.GOPATH) {
		p := filepath.Join(dir, "bin", "versitygw")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("versitygw not found")
}

// start runs versitygw on free ports, retrying when a port was taken between
// choosing it and the server binding it.
func start(bin string) (*Server, error) {
	sweepStale()
	dir, err := os.MkdirTemp("", dirPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, fmt.Errorf("create server folder: %w", err)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		srv, err := startOnce(bin, dir, attempt)
		if err == nil {
			return srv, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func startOnce(bin, dir string, attempt int) (*Server, error) {
	s3Addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	webAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, fmt.Errorf("create backend folder: %w", err)
	}
	logPath := filepath.Join(dir, fmt.Sprintf("versitygw-%d.log", attempt))
	args := []string{
		"--port", s3Addr,
		"--website", webAddr,
		"--access", AccessKey,
		"--secret", SecretKey,
		"--region", Region,
		"posix", data,
	}
	proc, err := spawn(bin, args, dir, logPath)
	if err != nil {
		return nil, err
	}
	srv := &Server{
		Endpoint:    "http://" + s3Addr,
		WebsiteAddr: webAddr,
		Dir:         dir,
		proc:        proc,
	}
	if err := srv.waitReady(30 * time.Second); err != nil {
		proc.stop()
		return nil, fmt.Errorf("versitygw %s: %w\n%s", strings.Join(args, " "), err, srv.Logs())
	}
	return srv, nil
}

// freeAddr returns a 127.0.0.1 address with a port that was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitReady waits until both endpoints accept connections and the S3 API
// answers a signed request.
func (s *Server) waitReady(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	client := s.newClient()
	for {
		err := s.proc.alive()
		if err != nil {
			return fmt.Errorf("exited before it was ready: %w", err)
		}
		err = dialBoth(s.Endpoint[len("http://"):], s.WebsiteAddr)
		if err == nil {
			_, err = client.ListBuckets(ctx, &s3.ListBucketsInput{})
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not ready after %s: %w", timeout, err)
		case <-s.proc.done:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func dialBoth(addrs ...string) error {
	for _, a := range addrs {
		c, err := net.DialTimeout("tcp", a, time.Second)
		if err != nil {
			return err
		}
		c.Close()
	}
	return nil
}

// Logs returns what the server wrote to stdout and stderr so far.
func (s *Server) Logs() string {
	b, err := os.ReadFile(s.proc.logPath)
	if err != nil {
		return fmt.Sprintf("(no server log: %v)", err)
	}
	return "--- versitygw log ---\n" + string(b) + "--- end of versitygw log ---"
}

// Config returns an AWS configuration for the server's root account.
func (s *Server) Config() aws.Config {
	return aws.Config{
		Region:                     Region,
		Credentials:                credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, ""),
		BaseEndpoint:               aws.String(s.Endpoint),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
}

func (s *Server) newClient() *s3.Client {
	return s3.NewFromConfig(s.Config(), func(o *s3.Options) { o.UsePathStyle = true })
}

// Client returns an S3 client for the server's root account.
func (s *Server) Client(t testing.TB) *s3.Client {
	t.Helper()
	return s.newClient()
}

// Setenv points the AWS SDK's standard configuration chain at the server for
// the rest of the test (with t.Setenv, so the test must not be parallel), and
// away from the user's AWS files and profiles. Code under test that calls
// objstore.NewClient then talks to this server.
func (s *Server) Setenv(t testing.TB) {
	t.Helper()
	none := filepath.Join(s.Dir, "no-aws-config")
	for _, kv := range [][2]string{
		{"AWS_ACCESS_KEY_ID", AccessKey},
		{"AWS_SECRET_ACCESS_KEY", SecretKey},
		{"AWS_SESSION_TOKEN", ""},
		{"AWS_REGION", Region},
		{"AWS_ENDPOINT_URL_S3", s.Endpoint},
		{"AWS_ENDPOINT_URL", ""},
		{"AWS_PROFILE", ""},
		{"AWS_CONFIG_FILE", none},
		{"AWS_SHARED_CREDENTIALS_FILE", none},
		{"AWS_EC2_METADATA_DISABLED", "true"},
	} {
		t.Setenv(kv[0], kv[1])
	}
}

// WebsiteURL returns the base URL of bucket's static website, e.g.
// "http://bucket:41235/". The server routes by the Host header, so the host
// name is the bucket's name: fetch it with [Server.WebsiteClient], which
// connects to the website endpoint whatever the host.
func (s *Server) WebsiteURL(bucket string) string {
	_, port, _ := net.SplitHostPort(s.WebsiteAddr)
	return "http://" + bucket + ":" + port + "/"
}

// WebsiteClient returns an HTTP client that sends every request to the
// website endpoint, keeping the URL's host in the Host header.
func (s *Server) WebsiteClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, s.WebsiteAddr)
	}
	return &http.Client{
		Transport: tr,
		Timeout:   30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
