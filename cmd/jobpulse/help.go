package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// readsAnnotation names, on a command, the configuration keys it reads (see
// [reads]); its --help lists those keys apart from its own flags.
const readsAnnotation = "jobpulse/reads"

// reads returns the annotation of a command that reads the configuration
// keys named: a key ("site.out"), or every key of a section ("site.").
func reads(keys ...string) map[string]string {
	return map[string]string{readsAnnotation: strings.Join(keys, " ")}
}

// isConfigFlag reports whether a flag is a configuration key (or --config).
func isConfigFlag(name string) bool {
	if name == "config" {
		return true
	}
	for _, o := range options() {
		if o.key == name {
			return true
		}
	}
	return false
}

// readsKey reports whether the tokens of a reads annotation take in key.
func readsKey(tokens []string, key string) bool {
	for _, t := range tokens {
		if key == t || (strings.HasSuffix(t, ".") && strings.HasPrefix(key, t)) {
			return true
		}
	}
	return false
}

// usage writes a command's usage: its own flags first, then, apart, the
// configuration keys it reads (every key, for jobpulse itself), each of
// which is also a key of jobpulse.yaml and a JOBPULSE_* variable.
func usage(c *cobra.Command) error {
	var b strings.Builder
	b.WriteString("Usage:\n")
	if c.Runnable() {
		fmt.Fprintf(&b, "  %s\n", c.UseLine())
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "  %s [command]\n", c.CommandPath())
	}
	if c.HasExample() {
		fmt.Fprintf(&b, "\nExamples:\n%s\n", c.Example)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\nAvailable Commands:\n")
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() || sub.Name() == "help" {
				fmt.Fprintf(&b, "  %-*s %s\n", c.NamePadding(), sub.Name(), sub.Short)
			}
		}
	}

	own := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	config := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
	all := !c.HasParent() // jobpulse itself: every key
	tokens := strings.Fields(c.Annotations[readsAnnotation])
	add := func(f *pflag.Flag) {
		switch {
		case f.Hidden:
		case !isConfigFlag(f.Name):
			if own.Lookup(f.Name) == nil {
				own.AddFlag(f)
			}
		case all || f.Name == "config" || readsKey(tokens, f.Name):
			if config.Lookup(f.Name) == nil {
				config.AddFlag(f)
			}
		}
	}
	c.LocalFlags().VisitAll(add)
	c.InheritedFlags().VisitAll(add)
	if own.HasAvailableFlags() {
		fmt.Fprintf(&b, "\nFlags:\n%s", own.FlagUsages())
	}
	if all {
		b.WriteString("\nConfiguration (any command; each key also in jobpulse.yaml, or as JOBPULSE_<KEY>):\n")
	} else if len(tokens) > 0 {
		fmt.Fprintf(&b, "\nConfiguration read by %s (each key also in jobpulse.yaml, or as JOBPULSE_<KEY>):\n", c.CommandPath())
	} else {
		b.WriteString("\nConfiguration:\n")
	}
	b.WriteString(config.FlagUsages())
	var yaml []string
	for _, k := range yamlOnlyKeys {
		if all || readsKey(tokens, k.key) {
			yaml = append(yaml, fmt.Sprintf("      %-*s %s", 24, k.key, k.usage))
		}
	}
	if len(yaml) > 0 {
		fmt.Fprintf(&b, "  in jobpulse.yaml only:\n%s\n", strings.Join(yaml, "\n"))
	}
	if c.HasParent() {
		b.WriteString("\nThe other keys are for other commands: jobpulse --help lists them all.\n")
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(&b, "\nUse \"%s [command] --help\" for more information about a command.\n", c.CommandPath())
	}
	_, err := fmt.Fprint(c.OutOrStderr(), b.String())
	return err
}
