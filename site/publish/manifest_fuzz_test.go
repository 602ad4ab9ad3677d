package publish

import (
	"bytes"
	"testing"
)

// FuzzParseManifest reads any bytes as the manifest a target holds (the
// bucket is outside jobpulse: anyone with write access may change it). It
// never panics, and what it reads encodes and reads back to the same
// manifest, so a plan made from it is stable.
func FuzzParseManifest(f *testing.F) {
	good := manifest{Files: map[string]manifestEntry{"index.html": {SHA256: "ab", ETag: `"e"`, Size: 3,
		ContentType: "text/html", CacheControl: "max-age=300"}}}
	f.Add(good.encode())
	f.Add([]byte("This folder is published by jobpulse"))
	f.Add([]byte(`{"version": 1, "files": {"../x": {"size": -1}}}`))
	f.Add([]byte(`{"version": "1"}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m := parseManifest(b)
		if m.Version != 0 && m.Version != manifestVersion {
			t.Fatalf("parseManifest gave version %d", m.Version)
		}
		again := parseManifest(m.encode())
		if !bytes.Equal(again.encode(), m.encode()) {
			t.Fatalf("manifest does not read back:\n%s\n%s", m.encode(), again.encode())
		}
	})
}
