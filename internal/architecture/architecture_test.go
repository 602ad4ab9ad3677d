package architecture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// module is the module's path, which every package's import path starts with.
const module = "github.com/jobpulse/jobpulse"

// picture is the part of .ci/architecture.json this test reads.
type picture struct {
	Parts map[string]struct {
		Is []string `json:"is"`
	} `json:"parts"`
	Arrows [][]string `json:"arrows"` // from, to and what it carries
	Never  [][]string `json:"never"`  // from, to and why
}

// goPackage is what go list says of a package.
type goPackage struct {
	ImportPath string
	Imports    []string // imports of its non-test files
}

// readPicture reads the picture at path.
func readPicture(path string) (picture, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return picture{}, err
	}
	var p picture
	if err := json.Unmarshal(b, &p); err != nil {
		return picture{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// listPackages lists the module's packages with go list, from root.
func listPackages(root string) ([]goPackage, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goTool, "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// partOf returns the part of the module's package path: the part of the
// longest folder that holds it, or "".
func (pic picture) partOf(pkg string) string {
	rel, ok := strings.CutPrefix(pkg, module+"/")
	if !ok {
		return ""
	}
	rel += "/"
	best, bestLen := "", 0
	for name, part := range pic.Parts {
		for _, dir := range part.Is {
			if strings.HasPrefix(rel, dir) && len(dir) > bestLen {
				best, bestLen = name, len(dir)
			}
		}
	}
	return best
}

// problems returns what in pkgs departs from the picture, sorted, one line
// each. Packages in skip are left out.
func (pic picture) problems(pkgs []goPackage, skip ...string) []string {
	drawn, never := map[[2]string]bool{}, map[[2]string]string{}
	for _, a := range pic.Arrows {
		drawn[[2]string{a[0], a[1]}] = true
	}
	for _, n := range pic.Never {
		never[[2]string{n[0], n[1]}] = n[2]
	}
	var out []string
	for _, pair := range append(slices.Clone(pic.Arrows), pic.Never...) {
		for _, name := range pair[:2] {
			if _, ok := pic.Parts[name]; !ok {
				out = append(out, fmt.Sprintf("%s -> %s names no part %q", pair[0], pair[1], name))
			}
		}
	}
	found := map[[2]string]bool{}
	for _, p := range pkgs {
		if slices.Contains(skip, p.ImportPath) {
			continue
		}
		from := pic.partOf(p.ImportPath)
		if from == "" {
			out = append(out, fmt.Sprintf("%s lies in no part: add its folder to a part", p.ImportPath))
			continue
		}
		for _, imp := range p.Imports {
			to := pic.partOf(imp)
			if to == "" || to == from {
				continue // outside the module, or within the part
			}
			edge := [2]string{from, to}
			found[edge] = true
			switch why, ok := never[edge]; {
			case ok:
				out = append(out, fmt.Sprintf("never %s -> %s (%s): %s imports %s", from, to, why, p.ImportPath, imp))
			case !drawn[edge]:
				out = append(out, fmt.Sprintf("undrawn %s -> %s: %s imports %s", from, to, p.ImportPath, imp))
			}
		}
	}
	for edge := range drawn {
		if !found[edge] {
			out = append(out, fmt.Sprintf("drawn %s -> %s: no package of %s imports %s", edge[0], edge[1], edge[0], edge[1]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestArchitecture holds the module's imports against .ci/architecture.json.
func TestArchitecture(t *testing.T) {
	root := filepath.Join("..", "..")
	pic, err := readPicture(filepath.Join(root, ".ci", "architecture.json"))
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := listPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: not the module", len(pkgs))
	}
	for _, p := range pic.problems(pkgs, module+"/internal/architecture") {
		t.Error(p)
	}
}

// TestProblems checks that the check finds what it is for, on a picture and
// packages made up for it.
func TestProblems(t *testing.T) {
	pic := picture{
		Parts: map[string]struct {
			Is []string `json:"is"`
		}{
			"ingest": {Is: []string{"ingest/"}}, "warehouse": {Is: []string{"warehouse/"}},
			"pgserver": {Is: []string{"warehouse/pgserver/"}}, "jobdata": {Is: []string{"internal/jobdata/"}},
		},
		Arrows: [][]string{{"ingest", "jobdata"}, {"warehouse", "jobdata"}, {"warehouse", "pgserver"}},
		Never:  [][]string{{"warehouse", "ingest", "storage knows no lake"}, {"site", "ingest", "a typo"}},
	}
	pkg := func(path string, imports ...string) goPackage {
		p := goPackage{ImportPath: module + "/" + path}
		for _, i := range imports {
			p.Imports = append(p.Imports, module+"/"+i)
		}
		return p
	}
	tests := []struct {
		name string
		pkgs []goPackage
		want []string
	}{
		{
			name: "as drawn",
			want: []string{`site -> ingest names no part "site"`},
			pkgs: []goPackage{pkg("ingest", "internal/jobdata", "ingest/normalize"), pkg("ingest/normalize"),
				pkg("warehouse", "internal/jobdata", "warehouse/pgserver"), pkg("warehouse/pgserver"), pkg("internal/jobdata")},
		},
		{
			name: "a never, an undrawn arrow, an arrow gone, a package on no part",
			pkgs: []goPackage{pkg("ingest", "internal/jobdata"), pkg("warehouse", "ingest", "internal/jobdata"),
				pkg("warehouse/pgserver", "internal/jobdata"), pkg("internal/jobdata"), pkg("docs")},
			want: []string{
				"drawn warehouse -> pgserver: no package of warehouse imports pgserver",
				module + "/docs lies in no part: add its folder to a part",
				"never warehouse -> ingest (storage knows no lake): " + module + "/warehouse imports " + module + "/ingest",
				`site -> ingest names no part "site"`,
				"undrawn pgserver -> jobdata: " + module + "/warehouse/pgserver imports " + module + "/internal/jobdata",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, pic.problems(tt.pkgs)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}
