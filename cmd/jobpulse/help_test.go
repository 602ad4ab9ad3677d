package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// helpSections runs `jobpulse args... --help` and returns the flag names of
// its Flags section and of its Configuration section (yaml-only keys
// included, without their dashes), in order.
func helpSections(t *testing.T, args ...string) (own, config []string, out string) {
	t.Helper()
	out, err := jobpulse(t, append(args, "--help")...)
	if err != nil {
		t.Fatalf("jobpulse %v --help: %v\n%s", args, err, out)
	}
	flagsAt, configAt := strings.Index(out, "\nFlags:\n"), strings.Index(out, "\nConfiguration")
	if flagsAt < 0 || configAt < flagsAt {
		t.Fatalf("jobpulse %v --help: want a Flags section, then a Configuration section:\n%s", args, out)
	}
	names := regexp.MustCompile(`(?m)^\s+(?:-\w, )?--([\w.-]+)|^\s{6}([\w.<>*]+)\s{2,}`)
	collect := func(s string) []string {
		var got []string
		for _, m := range names.FindAllStringSubmatch(s, -1) {
			got = append(got, m[1]+m[2])
		}
		return got
	}
	return collect(out[flagsAt:configAt]), collect(out[configAt:]), out
}

// TestCommandHelp checks that a command's --help lists its own flags first
// and, apart, the configuration keys it reads and no other.
func TestCommandHelp(t *testing.T) {
	tests := []struct {
		args    []string
		own     []string // exactly
		has     []string // among the configuration
		hasNot  []string
		explain string // a part of the text
	}{
		{args: []string{"build"}, own: []string{"help", "json"},
			has:    []string{"config", "log.level", "site.out", "site.echarts", "warehouse.url"},
			hasNot: []string{"lake.url", "sources.remotive.url", "publish.target", "serve.addr", "fetch.timeout"}},
		{args: []string{"serve"}, own: []string{"help"},
			has:    []string{"config", "serve.addr", "site.out", "publish.cache_control"},
			hasNot: []string{"warehouse.url", "publish.target", "site.content"}},
		{args: []string{"publish"}, own: []string{"dry-run", "help", "json", "target", "wait"},
			has:    []string{"site.out", "publish.target", "publish.workers", "publish.cache_control", "publish.redirects"},
			hasNot: []string{"warehouse.url", "site.content"}},
		{args: []string{"ingest"}, own: []string{"help", "json", "night", "shard", "source", "wait"},
			has:    []string{"lake.url", "warehouse.url", "sources.remotive.url", "fetch.timeout", "sources.<board>.*"},
			hasNot: []string{"site.out", "publish.target"}},
		{args: []string{"load"}, own: []string{"help", "json", "night", "wait"},
			has:    []string{"lake.url", "warehouse.url", "sources.remotive.url", "sources.<board>.*"},
			hasNot: []string{"site.out", "publish.target", "fetch.timeout"}},
		{args: []string{"demo"}, own: []string{"days", "dir", "help", "jobs", "no-serve"},
			has:    []string{"warehouse.data", "site.echarts", "serve.addr", "fetch.timeout"},
			hasNot: []string{"warehouse.url", "site.out", "lake.url", "publish.target"}},
		{args: nil, own: []string{"help", "version"}, has: keysOfOptions(), explain: "any command"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{"jobpulse"}, tt.args...), " "), func(t *testing.T) {
			own, config, out := helpSections(t, tt.args...)
			slices.Sort(own)
			if diff := cmp.Diff(tt.own, own); diff != "" {
				t.Errorf("own flags (-want +got):\n%s\n%s", diff, out)
			}
			for _, k := range tt.has {
				if !slices.Contains(config, k) {
					t.Errorf("the configuration section lacks %s:\n%s", k, out)
				}
			}
			for _, k := range tt.hasNot {
				if slices.Contains(config, k) || slices.Contains(own, k) {
					t.Errorf("%s is listed, but the command does not read it:\n%s", k, out)
				}
			}
			if !strings.Contains(out, tt.explain) || !strings.Contains(out, "jobpulse.yaml, or as JOBPULSE_<KEY>") {
				t.Errorf("the configuration section does not say where else keys are set:\n%s", out)
			}
		})
	}
}

// keysOfOptions returns every configuration key, and --config.
func keysOfOptions() []string {
	keys := []string{"config"}
	for _, o := range options() {
		keys = append(keys, o.key)
	}
	for _, y := range yamlOnlyKeys {
		keys = append(keys, y.key)
	}
	return keys
}

// TestCommandReads checks that every command says which keys it reads,
// and that each key or section it names is one.
func TestCommandReads(t *testing.T) {
	keys := keysOfOptions()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.HasParent() || c.Name() == "help" || c.Name() == "completion" || c.Parent().Name() == "completion" {
			return
		}
		tokens := strings.Fields(c.Annotations[readsAnnotation])
		if len(tokens) == 0 {
			t.Errorf("%s: no reads(...) annotation: its --help cannot list the keys it reads", c.CommandPath())
		}
		for _, tok := range tokens {
			if !slices.ContainsFunc(keys, func(k string) bool { return readsKey([]string{tok}, k) }) {
				t.Errorf("%s reads %q, which is no configuration key or section", c.CommandPath(), tok)
			}
		}
	}
	walk(newRootCommand())
}
