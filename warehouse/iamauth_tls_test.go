package warehouse_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
	"github.com/jobpulse/jobpulse/warehouse"
	"github.com/jobpulse/jobpulse/warehouse/pgserver"
)

// TestOpenVerifyFull starts a managed PostgreSQL of its own, turns TLS on
// with a certificate from a CA made here, and opens the warehouse with
// sslmode=verify-full and sslrootcert, as for RDS with its CA bundle: the
// right CA connects, another CA is refused.
func TestOpenVerifyFull(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	srv, err := pgserver.Start(ctx, filepath.Join(base, "pg"), nil)
	if errors.Is(err, pgserver.ErrNoPostgres) {
		testenv.Missing(t, "PostgreSQL: %v", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Close(context.Background())
		// As root, the data may sit in a fallback folder of its own, made
		// for this test's unique temporary path: remove it too.
		if d := srv.Dir(); !strings.HasPrefix(d, base) {
			os.RemoveAll(d)
			for _, kind := range []string{"lock", "users"} {
				os.Remove(filepath.Join(filepath.Dir(d), "."+filepath.Base(d)+"."+kind))
			}
		}
	})

	dir := t.TempDir()
	caPEM, certPEM, keyPEM := makeCert(t, "jobpulse test CA")
	otherCA, _, _ := makeCert(t, "another CA")
	writeTLSFile(t, filepath.Join(dir, "ca.pem"), caPEM, 0o644)
	writeTLSFile(t, filepath.Join(dir, "other-ca.pem"), otherCA, 0o644)
	// The server reads its key and certificate as its own user, from its
	// data folder; the key must be 0600 and its own.
	var owner syscall.Stat_t
	if err := syscall.Stat(srv.Dir(), &owner); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"test-server.crt": certPEM, "test-server.key": keyPEM} {
		p := filepath.Join(srv.Dir(), name)
		writeTLSFile(t, p, b, 0o600)
		if err := os.Chown(p, int(owner.Uid), int(owner.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	admin, err := warehouse.Open(ctx, warehouse.Config{URL: srv.ConnString("postgres")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"ALTER SYSTEM SET ssl_cert_file = 'test-server.crt'",
		"ALTER SYSTEM SET ssl_key_file = 'test-server.key'",
		"ALTER SYSTEM SET ssl = on",
		"SELECT pg_reload_conf()",
	} {
		if _, err := admin.Pool.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	admin.Close(ctx)

	u, err := url.Parse(srv.ConnString("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, rootCert string
		ok             bool
	}{
		{"the server's CA", "ca.pem", true},
		{"another CA", "other-ca.pem", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u.RawQuery = url.Values{"sslmode": {"verify-full"}, "sslrootcert": {filepath.Join(dir, tc.rootCert)}}.Encode()
			var w *warehouse.Warehouse
			var err error
			for range 50 { // the reload is asynchronous
				w, err = warehouse.Open(ctx, warehouse.Config{URL: u.String()}, nil)
				if err == nil || !strings.Contains(err.Error(), "does not support TLS") && !strings.Contains(err.Error(), "SSL") {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if !tc.ok {
				if err == nil {
					w.Close(ctx)
					t.Fatal("connected with a certificate another CA signed")
				}
				if !strings.Contains(err.Error(), "certificate") {
					t.Errorf("error %v does not say certificate", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close(ctx)
			var ssl bool
			if err := w.Pool.QueryRow(ctx, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl); err != nil || !ssl {
				t.Errorf("connection over TLS: %t, %v", ssl, err)
			}
		})
	}
}

// makeCert returns a new CA's certificate, and a server certificate for
// 127.0.0.1 it signed, with the server's key, all PEM.
func makeCert(t *testing.T, caName string) (caPEM, certPEM, keyPEM []byte) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: caName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

func writeTLSFile(t *testing.T, path string, b []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, b, perm); err != nil {
		t.Fatal(err)
	}
}
