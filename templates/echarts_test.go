package templates

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// TestEChartsBundle checks that the binary carries the ECharts bundle, made
// from the pinned version with today's parts (a bundle made before a part
// was added, or from another version, is stale), as a script that sets the
// global echarts.
func TestEChartsBundle(t *testing.T) {
	b := ECharts()
	if b == nil {
		testenv.Missing(t, "no %s: run `npm ci --prefix templates && go generate ./templates`", EChartsBundle)
	}
	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	raw, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	version := lock.Packages["node_modules/echarts"].Version
	if version == "" {
		t.Fatal("package-lock.json pins no echarts")
	}
	if header := EChartsHeader(version); !bytes.Contains(b, []byte(header+"\n")) {
		t.Errorf("%s is stale (it lacks %q): run `npm ci --prefix templates && go generate ./templates`", EChartsBundle, header)
	}
	if !bytes.HasPrefix(b, []byte("/*")) || !bytes.Contains(b, []byte("var echarts=")) {
		t.Errorf("%s does not start with its license notice and set the global echarts", EChartsBundle)
	}
}
