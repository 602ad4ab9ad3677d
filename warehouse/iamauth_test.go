package warehouse_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgtest"
)

type tokenFunc = func(ctx context.Context, endpoint, region, user string, creds aws.CredentialsProvider, opts ...func(*auth.BuildAuthTokenOptions)) (string, error)

// TestIAMAuthBeforeConnect checks the token the hook puts in the password:
// an RDS connect URL for the connection's endpoint and user, signed with the
// credentials for rds-db in the region.
func TestIAMAuthBeforeConnect(t *testing.T) {
	creds := credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
	hook := warehouse.IAMAuthBeforeConnect("eu-west-1", creds)
	cc, err := pgx.ParseConfig("postgres://jobpulse@mydb.abc123.eu-west-1.rds.amazonaws.com:5432/jobpulse?sslmode=verify-full")
	if err != nil {
		t.Fatal(err)
	}
	if err := hook(context.Background(), cc); err != nil {
		t.Fatal(err)
	}
	tok := cc.Password
	for _, want := range []string{
		"mydb.abc123.eu-west-1.rds.amazonaws.com:5432?Action=connect&DBUser=jobpulse&",
		"X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"X-Amz-Credential=AKIDEXAMPLE%2F",
		"%2Feu-west-1%2Frds-db%2Faws4_request",
		"X-Amz-Expires=900",
		"X-Amz-Signature=",
	} {
		if !strings.Contains(tok, want) {
			t.Errorf("token %q lacks %q", tok, want)
		}
	}
	if !strings.HasPrefix(tok, "mydb.") {
		t.Errorf("token %q does not start with the endpoint", tok)
	}
}

// TestIAMAuthOpen opens the warehouse with IAM auth against a real
// PostgreSQL whose role's password is set to each token as it is made: the
// pool connects only if the hook's token is the connection's password, and a
// new token is made for each new connection. A token that the server refuses
// never shows in the error or the logs.
func TestIAMAuthOpen(t *testing.T) {
	u := pgtest.URL(t)
	ctx := context.Background()
	admin, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 4)
	rand.Read(b)
	role := "jobpulse_iam_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE ROLE "+role+" LOGIN PASSWORD 'not-the-token'"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
	roleURL, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	roleURL.User = url.User(role) // no password: the token is the password

	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_PROFILE": "", "AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_REGION": "",
	} {
		t.Setenv(k, v)
	}
	for _, tc := range []struct {
		name   string
		accept bool // set the role's password to the token
	}{
		{"token accepted", true},
		{"token refused", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := admin.Exec(ctx, "ALTER ROLE "+role+" PASSWORD 'not-the-token'"); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var tokens []string
			restore := warehouse.WrapBuildAuthToken(func(real tokenFunc) tokenFunc {
				return func(ctx context.Context, endpoint, region, user string, creds aws.CredentialsProvider, opts ...func(*auth.BuildAuthTokenOptions)) (string, error) {
					tok, err := real(ctx, endpoint, region, user, creds, opts...)
					if err != nil {
						return "", err
					}
					if user != role || region != "eu-west-1" || !strings.HasPrefix(endpoint, "127.0.0.1:") {
						t.Errorf("token for %s in %s at %s", user, region, endpoint)
					}
					mu.Lock()
					defer mu.Unlock()
					tokens = append(tokens, tok)
					if tc.accept {
						if _, err := admin.Exec(ctx, "ALTER ROLE "+role+" PASSWORD '"+strings.ReplaceAll(tok, "'", "''")+"'"); err != nil {
							t.Errorf("set password: %v", err)
						}
					}
					return tok, nil
				}
			})
			defer restore()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			w, err := warehouse.Open(ctx, warehouse.Config{URL: roleURL.String(), IAMAuth: true, AWSRegion: "eu-west-1"}, logger)
			if !tc.accept {
				if err == nil {
					w.Close(ctx)
					t.Fatal("Open succeeded with a refused token")
				}
				mu.Lock()
				defer mu.Unlock()
				if len(tokens) == 0 {
					t.Fatal("no token was made")
				}
				for _, tok := range tokens {
					sig := tok[strings.Index(tok, "X-Amz-Signature="):]
					if strings.Contains(err.Error(), sig) || strings.Contains(logs.String(), sig) {
						t.Errorf("the token shows in the error or the logs: %v\n%s", err, logs.String())
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close(ctx)
			// Two connections at once: the second is new, and gets its own token.
			c1, err := w.Pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c2, err := w.Pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var who string
			if err := c2.QueryRow(ctx, "SELECT current_user").Scan(&who); err != nil || who != role {
				t.Errorf("current_user %q, %v; want %s", who, err, role)
			}
			c1.Release()
			c2.Release()
			mu.Lock()
			defer mu.Unlock()
			if len(tokens) < 2 {
				t.Errorf("%d tokens for 2 connections", len(tokens))
			}
			if strings.Contains(logs.String(), "X-Amz-Signature") {
				t.Errorf("a token shows in the logs:\n%s", logs.String())
			}
		})
	}
}

// TestIAMAuthConfig checks that IAM auth needs a URL.
func TestIAMAuthConfig(t *testing.T) {
	err := warehouse.Config{IAMAuth: true, DataDir: "./data/pg", Database: "jobpulse"}.Validate()
	if err == nil || !strings.Contains(err.Error(), "warehouse.iam_auth") {
		t.Errorf("Validate() = %v, want an error naming warehouse.iam_auth", err)
	}
}
