package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

var updateKeys = flag.Bool("update", false, "rewrite testdata/config-keys.golden from the configuration as declared now")

// configKeysListing lists what a user can see of the configuration: every
// key with its flag type, its default (as the flag shows it, and as the
// loaded configuration holds it when nothing is set), its environment
// variable and its help text; the keys set in jobpulse.yaml only; and, per
// command, the keys its --help lists.
func configKeysListing(t *testing.T) string {
	t.Helper()
	t.Setenv("DATABASE_URL", "")
	t.Chdir(t.TempDir()) // no jobpulse.yaml
	fs := pflag.NewFlagSet("keys", pflag.ContinueOnError)
	registerFlags(fs)
	cfg, err := loadConfig("", fs)
	if err != nil {
		t.Fatalf("loadConfig with nothing set: %v", err)
	}
	var b strings.Builder
	b.WriteString("# key | flag type | default | loaded | environment variable | help\n")
	fs.VisitAll(func(f *pflag.Flag) {
		loaded := "?"
		if kt, ok := keyTests[f.Name]; ok {
			loaded = fmt.Sprint(kt.get(cfg))
		}
		fmt.Fprintf(&b, "%s | %s | %q | %q | JOBPULSE_%s | %s\n", f.Name, f.Value.Type(), f.DefValue, loaded,
			strings.ToUpper(strings.ReplaceAll(f.Name, ".", "_")), f.Usage)
	})
	b.WriteString("\n# in jobpulse.yaml only: key | help\n")
	for _, k := range yamlOnlyKeys {
		fmt.Fprintf(&b, "%s | %s\n", k.key, k.usage)
	}
	b.WriteString("\n# command: the configuration keys its --help lists\n")
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() == "help" || c.Name() == "completion" {
			return
		}
		args := strings.Fields(c.CommandPath())[1:]
		_, config, _ := helpSections(t, args...)
		fmt.Fprintf(&b, "%s: %s\n", c.CommandPath(), strings.Join(config, " "))
		subs := c.Commands()
		slices.SortFunc(subs, func(a, b *cobra.Command) int { return strings.Compare(a.Name(), b.Name()) })
		for _, sub := range subs {
			walk(sub)
		}
	}
	walk(newRootCommand())
	return b.String()
}

// TestConfigKeysGolden keeps every configuration key, its default, its
// variable, its help text and the commands that list it as they were when
// testdata/config-keys.golden was written from the old option table: a
// change shows here and is made on purpose, with -update.
func TestConfigKeysGolden(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "config-keys.golden"))
	if err != nil {
		t.Fatal(err)
	}
	got := configKeysListing(t) // in a folder of its own
	if *updateKeys {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("the configuration keys changed (-golden +now); if on purpose, run go test -run TestConfigKeysGolden ./cmd/jobpulse/ -args -update:\n%s", diff)
	}
}

// TestREADMEConfigTable checks the configuration table of the README
// against the declaration: every key is in it, every row is a key (a row
// may stand for several: sources.<name>.deadline, or
// sources.remotive\|arbeitnow\|remoteok.redirect_hosts), and a default
// shown as `code` is the key's; a default in words, such as (empty), is
// the default of a key that has none.
func TestREADMEConfigTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no ## Configuration section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	defaults := map[string]any{}
	for _, o := range options() {
		defaults[o.key] = o.def
	}
	for _, y := range yamlOnlyKeys {
		defaults[y.key] = nil
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)` \\|([^|]*)\\|")
	covered := map[string]bool{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		pattern, cell := m[1], strings.TrimSpace(m[2])
		var keys []string
		if _, ok := defaults[pattern]; ok {
			keys = []string{pattern}
		} else {
			var parts []string
			for _, seg := range strings.Split(strings.ReplaceAll(pattern, `\|`, "|"), ".") {
				switch {
				case strings.HasPrefix(seg, "<"):
					parts = append(parts, `[a-z0-9_]+`)
				default:
					parts = append(parts, "(?:"+regexp.QuoteMeta(seg)+")")
				}
			}
			re := regexp.MustCompile("^" + strings.ReplaceAll(strings.Join(parts, `\.`), `\|`, "|") + "$")
			for k := range defaults {
				if re.MatchString(k) {
					keys = append(keys, k)
				}
			}
		}
		if len(keys) == 0 {
			t.Errorf("README.md lists %s, which is no configuration key", pattern)
		}
		for _, k := range keys {
			covered[k] = true
			def := defaults[k]
			if def == nil {
				continue // in jobpulse.yaml only: a list, or a board
			}
			shown, isCode := strings.CutPrefix(cell, "`")
			shown = strings.TrimSuffix(shown, "`")
			switch d := def.(type) {
			case time.Duration:
				got, err := time.ParseDuration(shown)
				if !isCode || err != nil || got != d {
					t.Errorf("README.md: %s defaults to %s, the table says %s", k, d, cell)
				}
			case []string:
				if isCode || len(d) > 0 {
					t.Errorf("README.md: %s defaults to %q, the table says %s", k, d, cell)
				}
			default:
				want := fmt.Sprint(d)
				if (want == "") == isCode || (isCode && shown != want) {
					t.Errorf("README.md: %s defaults to %q, the table says %s", k, want, cell)
				}
			}
		}
	}
	for k := range defaults {
		if !covered[k] {
			t.Errorf("README.md's configuration table lacks %s", k)
		}
	}
}

// TestDeclaredKeys checks how a declaration is read: keys by their tags,
// squashed and nested sections, lists in jobpulse.yaml only; and that a
// field that is no key by mistake stops the program.
func TestDeclaredKeys(t *testing.T) {
	type inner struct {
		Name  string        `mapstructure:"name" doc:"a name"`
		Every time.Duration `mapstructure:"every" doc:"how often"`
	}
	type Squashed struct {
		On bool `mapstructure:"on" doc:"switch"`
	}
	type good struct {
		Top      inner `mapstructure:"top"`
		Squashed `mapstructure:",squash"`
		Hosts    []string             `mapstructure:"hosts" doc:"hosts"`
		Rules    []struct{ A string } `mapstructure:"rules" doc:"rules"`
		Rest     map[string]any       `mapstructure:",remain" key:"<x>.*" doc:"the rest"`
		Derived  int                  `mapstructure:"-"`
	}
	opts, yaml := declaredKeys(good{Top: inner{Name: "n", Every: time.Second}, Squashed: Squashed{On: true}})
	wantOpts := []option{
		{"top.name", "n", "a name"}, {"top.every", time.Second, "how often"}, {"on", true, "switch"}, {"hosts", []string{}, "hosts"},
	}
	if diff := cmp.Diff(wantOpts, opts, cmp.AllowUnexported(option{})); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	wantYAML := []yamlKey{{key: "<x>.*", usage: "the rest"}, {key: "rules", usage: "rules"}}
	if diff := cmp.Diff(wantYAML, yaml, cmp.AllowUnexported(yamlKey{})); diff != "" {
		t.Errorf("keys in jobpulse.yaml only (-want +got):\n%s", diff)
	}

	bad := []struct {
		name string
		cfg  any
		want string
	}{
		{"no mapstructure tag", struct {
			Name string `doc:"a name"`
		}{}, "has no mapstructure tag"},
		{"no doc", struct {
			Name string `mapstructure:"name"`
		}{}, "key name (struct { Name string \"mapstructure:\\\"name\\\"\" }.Name) has no doc tag"},
		{"no flag for the type", struct {
			Ratio float64 `mapstructure:"ratio" doc:"a ratio"`
		}{}, "key ratio: a float64 has no flag"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tt.want) {
					t.Errorf("declaredKeys: panic %v, want one saying %q", r, tt.want)
				}
			}()
			declaredKeys(tt.cfg)
		})
	}
}
