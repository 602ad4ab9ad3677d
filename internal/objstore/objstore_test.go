package objstore

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
	"github.com/google/go-cmp/cmp"
)

func TestParseURL(t *testing.T) {
	type result struct {
		Bucket, Prefix string
		Err            bool
	}
	tests := []struct {
		name string
		raw  string
		want result
	}{
		{name: "bucket only", raw: "s3://jobs", want: result{Bucket: "jobs"}},
		{name: "bucket trailing slash", raw: "s3://jobs/", want: result{Bucket: "jobs"}},
		{name: "prefix", raw: "s3://jobs/lake", want: result{Bucket: "jobs", Prefix: "lake"}},
		{name: "nested prefix trailing slash", raw: "s3://jobs/site/blog/", want: result{Bucket: "jobs", Prefix: "site/blog"}},
		{name: "prefix cleaned", raw: "s3://jobs//a/./b//", want: result{Bucket: "jobs", Prefix: "a/b"}},
		{name: "dotted bucket", raw: "s3://www.example.com/x", want: result{Bucket: "www.example.com", Prefix: "x"}},
		{name: "not s3", raw: "/var/lake", want: result{Err: true}},
		{name: "other scheme", raw: "gs://jobs", want: result{Err: true}},
		{name: "empty bucket", raw: "s3:///lake", want: result{Err: true}},
		{name: "short bucket", raw: "s3://ab", want: result{Err: true}},
		{name: "upper case bucket", raw: "s3://Jobs", want: result{Err: true}},
		{name: "bucket ends with hyphen", raw: "s3://jobs-", want: result{Err: true}},
		{name: "long bucket", raw: "s3://" + strings.Repeat("a", 64), want: result{Err: true}},
		{name: "longest bucket", raw: "s3://" + strings.Repeat("a", 63), want: result{Bucket: strings.Repeat("a", 63)}},
		{name: "underscore in bucket", raw: "s3://my_jobs", want: result{Err: true}},
		{name: "two dots in a row", raw: "s3://jobs..example", want: result{Err: true}},
		{name: "IP address bucket", raw: "s3://192.168.5.4/lake", want: result{Err: true}},
		{name: "digits and dots, not an address", raw: "s3://192.168.5/lake", want: result{Bucket: "192.168.5", Prefix: "lake"}},
		{name: "reserved prefix xn--", raw: "s3://xn--jobs", want: result{Err: true}},
		{name: "reserved prefix sthree-", raw: "s3://sthree-jobs", want: result{Err: true}},
		{name: "reserved prefix amzn-s3-demo-", raw: "s3://amzn-s3-demo-jobs", want: result{Err: true}},
		{name: "access point alias", raw: "s3://jobs-ap-abc123-s3alias/x", want: result{Bucket: "jobs-ap-abc123-s3alias", Prefix: "x"}},
		{name: "directory bucket", raw: "s3://jobs--usw2-az1--x-s3", want: result{Bucket: "jobs--usw2-az1--x-s3"}},
		{name: "dot-dot prefix", raw: "s3://jobs/a/../../b", want: result{Err: true}},
		{name: "query", raw: "s3://jobs/a?versionId=1", want: result{Err: true}},
		{name: "backslash", raw: `s3://jobs/a\b`, want: result{Err: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, p, err := ParseURL(tt.raw)
			got := result{Bucket: b, Prefix: p, Err: err != nil}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseURL(%q) mismatch (-want +got):\n%s\nerr: %v", tt.raw, diff, err)
			}
		})
	}
}

func TestIsS3URL(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "s3", in: "s3://bucket/x", want: true},
		{name: "relative folder", in: "data/lake", want: false},
		{name: "absolute folder", in: "/srv/public", want: false},
		{name: "http", in: "https://bucket.s3.amazonaws.com", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsS3URL(tt.in); got != tt.want {
				t.Errorf("IsS3URL(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestJoinKey(t *testing.T) {
	tests := []struct {
		name, prefix, key, want string
	}{
		{name: "no prefix", key: "a/b", want: "a/b"},
		{name: "prefix", prefix: "site/blog", key: "index.html", want: "site/blog/index.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JoinKey(tt.prefix, tt.key); got != tt.want {
				t.Errorf("JoinKey(%q, %q) = %q, want %q", tt.prefix, tt.key, got, tt.want)
			}
		})
	}
}

// isolateAWS points the SDK's configuration chain away from the user's files.
func isolateAWS(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":                  none,
		"AWS_SHARED_CREDENTIALS_FILE":      none,
		"AWS_PROFILE":                      "",
		"AWS_REGION":                       "",
		"AWS_DEFAULT_REGION":               "",
		"AWS_ENDPOINT_URL":                 "",
		"AWS_ENDPOINT_URL_S3":              "",
		"AWS_REQUEST_CHECKSUM_CALCULATION": "",
		"AWS_RESPONSE_CHECKSUM_VALIDATION": "",
		"AWS_ACCESS_KEY_ID":                "test",
		"AWS_SECRET_ACCESS_KEY":            "test",
		"AWS_EC2_METADATA_DISABLED":        "true",
	} {
		t.Setenv(k, v)
	}
}

func TestNewClient(t *testing.T) {
	type opts struct {
		Region    string
		PathStyle bool
		Endpoint  string
		Request   aws.RequestChecksumCalculation
		Response  aws.ResponseChecksumValidation
	}
	tests := []struct {
		name string
		env  map[string]string
		want opts
	}{
		{
			name: "aws defaults",
			env:  map[string]string{"AWS_REGION": "eu-west-3"},
			want: opts{
				Region:   "eu-west-3",
				Request:  aws.RequestChecksumCalculationWhenSupported,
				Response: aws.ResponseChecksumValidationWhenSupported,
			},
		},
		{
			name: "no region",
			want: opts{
				Region:   DefaultRegion,
				Request:  aws.RequestChecksumCalculationWhenSupported,
				Response: aws.ResponseChecksumValidationWhenSupported,
			},
		},
		{
			name: "s3 endpoint",
			env:  map[string]string{"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:7070"},
			want: opts{
				Region: DefaultRegion, PathStyle: true, Endpoint: "http://127.0.0.1:7070",
				Request:  aws.RequestChecksumCalculationWhenRequired,
				Response: aws.ResponseChecksumValidationWhenRequired,
			},
		},
		{
			name: "global endpoint",
			env:  map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_REGION": "local"},
			want: opts{
				Region: "local", PathStyle: true, Endpoint: "http://127.0.0.1:9000",
				Request:  aws.RequestChecksumCalculationWhenRequired,
				Response: aws.ResponseChecksumValidationWhenRequired,
			},
		},
		{
			name: "endpoint keeps explicit checksum setting",
			env: map[string]string{
				"AWS_ENDPOINT_URL_S3":              "http://127.0.0.1:7070",
				"AWS_REQUEST_CHECKSUM_CALCULATION": "when_supported",
			},
			want: opts{
				Region: DefaultRegion, PathStyle: true, Endpoint: "http://127.0.0.1:7070",
				Request:  aws.RequestChecksumCalculationWhenSupported,
				Response: aws.ResponseChecksumValidationWhenRequired,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolateAWS(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := NewClient(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			o := c.Options()
			got := opts{
				Region:    o.Region,
				PathStyle: o.UsePathStyle,
				Endpoint:  aws.ToString(o.BaseEndpoint),
				Request:   o.RequestChecksumCalculation,
				Response:  o.ResponseChecksumValidation,
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("client options mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestQuietDrain checks that the clients of NewClient drop smithy-go's
// drain warning and pass every other SDK message on.
func TestQuietDrain(t *testing.T) {
	tests := []struct {
		name   string
		class  logging.Classification
		format string
		pass   bool
	}{
		{name: "drain warning", class: logging.Warn, format: "failed to discard remaining HTTP response body, this may affect connection reuse: %v", pass: false},
		{name: "close warning", class: logging.Warn, format: "failed to close HTTP response body, this may affect connection reuse: %v", pass: true},
		{name: "checksum warning", class: logging.Warn, format: "Response has no supported checksum. Not validating response payload.%v", pass: true},
		{name: "debug with the same words", class: logging.Debug, format: "failed to discard remaining HTTP response body%v", pass: true},
	}
	isolateAWS(t)
	c, err := NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Options().Logger.(quietDrain); !ok {
		t.Fatalf("NewClient's logger is %T, want quietDrain", c.Options().Logger)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			q := quietDrain{logging.LoggerFunc(func(_ logging.Classification, format string, v ...any) {
				got = append(got, fmt.Sprintf(format, v...))
			})}
			logging.WithContext(context.Background(), q).Logf(tt.class, tt.format, io.ErrUnexpectedEOF)
			if passed := len(got) == 1; passed != tt.pass {
				t.Errorf("passed %v (%q), want %v", passed, got, tt.pass)
			}
		})
	}
}
