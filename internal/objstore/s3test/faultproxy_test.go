package s3test_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/objstore"
	"github.com/jobpulse/jobpulse/internal/objstore/s3test"
)

// proxyClient returns a client made by objstore.NewClient, the way jobpulse
// makes its own, talking to the proxy, with attempts tries per request and
// time limits short enough for a test.
func proxyClient(t *testing.T, p *s3test.FaultProxy, attempts int) *s3.Client {
	t.Helper()
	p.Setenv(t)
	ctx := objstore.WithClientConfig(context.Background(), objstore.ClientConfig{
		MaxAttempts: attempts, IdleTimeout: 300 * time.Millisecond, AttemptTimeout: 10 * time.Second,
	})
	client, err := objstore.NewClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestFaultProxy puts and gets an object through a proxy that injects one
// kind of fault into every request, and checks what the client sees, what
// the server holds afterwards, and the proxy's counts. It also proves that
// the clients of objstore.NewClient give up on a hung server by themselves.
func TestFaultProxy(t *testing.T) {
	srv := s3test.Start(t)
	direct := srv.Client(t)
	const body = "0123456789abcdefghijklmnopqrstuvwxyz"
	tests := []struct {
		name    string
		fault   s3test.Fault
		wantErr string // in the error of a single-attempt PUT; "" for none
		written bool   // whether the server holds the object after the PUT
		getErr  string // in the error of a GET, or of reading its body
	}{
		{name: "pass", fault: s3test.Pass, written: true},
		{name: "500", fault: s3test.Error500, wantErr: "StatusCode: 500", getErr: "InternalError"},
		{name: "503", fault: s3test.Error503, wantErr: "StatusCode: 503", getErr: "SlowDown"},
		{name: "hang before the server", fault: s3test.HangRequest, wantErr: "timeout", getErr: "timeout"},
		{name: "hang after the server", fault: s3test.HangResponse, wantErr: "timeout", written: true, getErr: "timeout"},
		{name: "reset mid-request", fault: s3test.ResetRequest, wantErr: "connection reset", getErr: "connection reset"},
		{name: "reset mid-response", fault: s3test.ResetResponse, wantErr: "connection", written: true, getErr: "connection reset"},
		{name: "cut mid-response", fault: s3test.CutResponse, wantErr: "EOF", written: true, getErr: "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A watchdog, not a time limit under test: without the client's
			// own timeouts a hung request would hang the test.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			bucket := srv.NewBucket(t, "fault-proxy")
			cfg := s3test.FaultConfig{Seed: 1, Rate: 1, Faults: []s3test.Fault{tt.fault}}
			if tt.fault == s3test.Pass {
				cfg = s3test.FaultConfig{}
			}
			proxy := srv.FaultProxy(t, cfg)
			client := proxyClient(t, proxy, 1)

			_, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String("a.txt"), Body: strings.NewReader(body),
			})
			if !errorHas(err, tt.wantErr) {
				t.Errorf("PutObject: got %v, want an error with %q", err, tt.wantErr)
			}
			got, err := getBody(ctx, direct, bucket, "a.txt")
			switch {
			case tt.written && (err != nil || got != body):
				t.Errorf("server holds %q, %v; want the whole object", got, err)
			case !tt.written && err == nil:
				t.Errorf("server holds %q, want no object", got)
			}

			if !tt.written { // give the GET something to read
				if _, err := direct.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(bucket), Key: aws.String("a.txt"), Body: strings.NewReader(body),
				}); err != nil {
					t.Fatal(err)
				}
			}
			got, err = getBody(ctx, client, bucket, "a.txt")
			if !errorHas(err, tt.getErr) || (err == nil && got != body) {
				t.Errorf("GetObject: got %q, %v; want %q and an error with %q", got, err, body, tt.getErr)
			}

			want := s3test.FaultCounts{Requests: 2}
			want.ByFault[tt.fault] = 2
			if diff := cmp.Diff(want, proxy.Counts()); diff != "" {
				t.Errorf("counts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFaultProxyRetries checks that the client retries every kind of fault
// up to its attempts, and then fails with the last fault's error: a PUT
// gets each kind, a listing a response cut short (which the SDK alone does
// not retry).
func TestFaultProxyRetries(t *testing.T) {
	srv := s3test.Start(t)
	const attempts = 3
	tests := []struct {
		name   string
		faults []s3test.Fault
		call   func(ctx context.Context, client *s3.Client, bucket string, i int) error
	}{
		{name: "put, every fault", call: func(ctx context.Context, client *s3.Client, bucket string, i int) error {
			_, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("k%d", i)), Body: strings.NewReader("x"),
			})
			return err
		}},
		{name: "list, cut short", faults: []s3test.Fault{s3test.CutResponse}, call: func(ctx context.Context, client *s3.Client, bucket string, i int) error {
			_, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(fmt.Sprintf("p%d/", i))})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a watchdog
			defer cancel()
			bucket := srv.NewBucket(t, "fault-retries")
			proxy := srv.FaultProxy(t, s3test.FaultConfig{Seed: 2, Rate: 1, Faults: tt.faults})
			client := proxyClient(t, proxy, attempts)
			const calls = 6
			for i := range calls {
				if err := tt.call(ctx, client, bucket, i); !errorHas(err, "exceeded maximum number of attempts, 3") {
					t.Errorf("call %d: got %v, want a failure after %d attempts", i, err, attempts)
				}
			}
			if c := proxy.Counts(); c.Requests != calls*attempts || c.Faults() != c.Requests {
				t.Errorf("counts %v, want %d requests, all faults", c, calls*attempts)
			}
		})
	}
}

// TestFaultProxySeed checks that a seed decides the faults whatever the
// bucket: two proxies with one seed fault the same requests, and another
// seed faults others.
func TestFaultProxySeed(t *testing.T) {
	srv := s3test.Start(t)
	faults := func(seed uint64) []string {
		bucket := srv.NewBucket(t, "fault-seed")
		proxy := srv.FaultProxy(t, s3test.FaultConfig{Seed: seed, Rate: 0.3, Faults: []s3test.Fault{s3test.Error500, s3test.Error503}})
		client := proxyClient(t, proxy, 1)
		for i := range 40 {
			client.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("k%02d", i)), Body: strings.NewReader("x"),
			})
		}
		var got []string
		for _, e := range proxy.Events() {
			got = append(got, e.Fault.String()+" "+e.Path[strings.Index(e.Path[1:], "/")+1:])
		}
		return got
	}
	a, b, c := faults(7), faults(7), faults(8)
	if len(a) == 0 {
		t.Fatal("no fault at a rate of 0.3 in 40 requests")
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, other faults (-first +second):\n%s", diff)
	}
	if cmp.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same faults: %v", a)
	}
}

func getBody(ctx context.Context, client *s3.Client, bucket, key string) (string, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

// errorHas reports whether err holds want in its text, or is nil when want
// is empty. A timeout must be the client's own, not a deadline of ctx.
func errorHas(err error, want string) bool {
	if want == "" || err == nil {
		return want == "" && err == nil
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	return strings.Contains(err.Error(), want) || strings.Contains(strings.ToLower(err.Error()), want)
}
