package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// option is one configuration key, as declared in [Config]: it can be set in
// jobpulse.yaml, as the environment variable JOBPULSE_<KEY> (upper case,
// dots as underscores), and as the flag --<key>, each overriding the one
// before.
type option struct {
	key   string
	def   any // string, bool, int, int64, time.Duration or []string
	usage string
}

// yamlKey is a key set in jobpulse.yaml only: a list of maps
// (publish.redirects), or the entries of a section beside its declared ones
// (sources.<board>.*), each a map of keys of its own.
type yamlKey struct {
	key, usage string
	// remain is the section whose other entries the key takes in
	// ("sources."); "" for a list.
	remain string
}

// The keys of [Config], found once by [declaredKeys].
var declaredOptions, yamlOnlyKeys = declaredKeys(defaultConfig())

// options returns every key that has a flag and a variable, in the order of
// the declaration.
func options() []option { return declaredOptions }

// declaredKeys walks the mapstructure tags of cfg's type (a struct such as
// [Config]) and returns its keys, with their values in cfg as defaults, and
// the keys set in jobpulse.yaml only, sorted by name. A field it cannot read
// as a key (no mapstructure tag, no doc tag, a type that has no flag)
// panics: the declaration is wrong, and every test says so.
func declaredKeys(cfg any) ([]option, []yamlKey) {
	var opts []option
	var yaml []yamlKey
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			tag, ok := f.Tag.Lookup("mapstructure")
			if !f.IsExported() || tag == "-" {
				continue
			}
			if !ok {
				panic(fmt.Sprintf("config: %s.%s (under %q) has no mapstructure tag: give it a key name, or \"-\"", t, f.Name, prefix))
			}
			name, flags, _ := strings.Cut(tag, ",")
			doc := f.Tag.Get("doc")
			switch {
			case flags == "squash":
				walk(v.Field(i), prefix)
			case flags == "remain":
				yaml = append(yaml, yamlKey{key: prefix + f.Tag.Get("key"), usage: doc, remain: prefix})
			case doc == "" && f.Type.Kind() == reflect.Struct:
				walk(v.Field(i), prefix+name+".")
			case doc == "":
				panic(fmt.Sprintf("config: key %s%s (%s.%s) has no doc tag: its help text", prefix, name, t, f.Name))
			default:
				switch def := v.Field(i).Interface().(type) {
				case string, bool, int, int64, time.Duration:
					opts = append(opts, option{prefix + name, def, doc})
				case []string:
					opts = append(opts, option{prefix + name, append([]string{}, def...), doc})
				default:
					if k := f.Type.Kind(); k != reflect.Slice && k != reflect.Map {
						panic(fmt.Sprintf("config: key %s%s: a %s has no flag", prefix, name, f.Type))
					}
					yaml = append(yaml, yamlKey{key: prefix + name, usage: doc})
				}
			}
		}
	}
	walk(reflect.ValueOf(cfg), "")
	slices.SortFunc(yaml, func(a, b yamlKey) int { return strings.Compare(a.key, b.key) })
	return opts, yaml
}

// isKey reports whether key, as jobpulse.yaml names it, is a key of the
// declaration or inside a key set in jobpulse.yaml only.
func isKey(key string) bool {
	if isOption(key) {
		return true
	}
	for _, y := range yamlOnlyKeys {
		if y.remain == "" && (key == y.key || strings.HasPrefix(key, y.key+".")) {
			return true
		}
		if rest, ok := strings.CutPrefix(key, y.remain); ok && y.remain != "" && strings.Contains(rest, ".") {
			// sources.<board>.*: any entry that is not a declared section.
			section := y.remain + rest[:strings.IndexByte(rest, '.')+1]
			if !slices.ContainsFunc(options(), func(o option) bool { return strings.HasPrefix(o.key, section) }) {
				return true
			}
		}
	}
	return false
}

// isOption reports whether key is one of [options].
func isOption(key string) bool {
	return slices.ContainsFunc(options(), func(o option) bool { return o.key == key })
}

// envPrefix is the prefix of the environment variables of the keys.
const envPrefix = "JOBPULSE"

// envVar returns the environment variable of key: JOBPULSE_LAKE_URL.
func envVar(key string) string {
	return envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// registerFlags adds a flag for every option.
func registerFlags(fs *pflag.FlagSet) {
	for _, o := range options() {
		switch d := o.def.(type) {
		case string:
			fs.String(o.key, d, o.usage)
		case bool:
			fs.Bool(o.key, d, o.usage)
		case int:
			fs.Int(o.key, d, o.usage)
		case int64:
			fs.Int64(o.key, d, o.usage)
		case time.Duration:
			fs.Duration(o.key, d, o.usage)
		case []string:
			fs.StringSlice(o.key, d, o.usage+" (comma-separated)")
		default:
			panic(fmt.Sprintf("option %s: unsupported default %T", o.key, d))
		}
	}
}

// loadConfig reads the configuration: the file (configPath, or jobpulse.yaml
// in the working folder when present), then JOBPULSE_* variables, then the
// flags that were set, over the defaults of [defaultConfig]; and checks it.
// Each error names the key and where its value came from.
func loadConfig(configPath string, fs *pflag.FlagSet) (Config, error) {
	v := viper.New()
	v.SetEnvPrefix(envPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	for _, o := range options() {
		v.SetDefault(o.key, o.def)
		if f := fs.Lookup(o.key); f != nil {
			if err := v.BindPFlag(o.key, f); err != nil {
				return Config{}, fmt.Errorf("config: flag --%s: %w", o.key, err)
			}
		}
	}
	if configPath == "" {
		if _, err := os.Stat("jobpulse.yaml"); err == nil {
			configPath = "jobpulse.yaml"
		}
	}
	if configPath != "" {
		v.SetConfigFile(configPath)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config: read %s: %w", configPath, err)
		}
		for _, k := range v.AllKeys() {
			if !isKey(k) {
				return Config{}, fmt.Errorf("config: %s: unknown key %q", configPath, k)
			}
		}
	}
	for _, y := range yamlOnlyKeys {
		if env := envVar(y.key); y.remain == "" && os.Getenv(env) != "" {
			return Config{}, fmt.Errorf("config: %s: set by the environment variable %s, but a list is read from jobpulse.yaml only", y.key, env)
		}
	}
	from := origin{v: v, flags: fs, file: configPath}
	var cfg Config
	err := v.Unmarshal(&cfg, viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
		listHook, mapstructure.StringToTimeDurationHookFunc())))
	var errs []error
	failed := map[string]bool{}
	decodeErrs := decodeErrors(err)
	if err != nil && len(decodeErrs) == 0 {
		errs = append(errs, fmt.Errorf("config: %w", err))
	}
	for _, de := range decodeErrs {
		key, _, _ := strings.Cut(de.Name(), "[") // publish.redirects[0].path is publish.redirects's
		failed[key] = true
		value := "" // the bad value, which mapstructure leaves out; a key that holds secrets is a string, and decodes
		if s, ok := v.Get(de.Name()).(string); ok {
			value = strconv.Quote(s) + ": "
		}
		errs = append(errs, from.annotate(key, fmt.Errorf("config: %s: %s%w", de.Name(), value, de.Unwrap())))
	}
	for _, e := range leaves(cfg.validate()) {
		key := keyIn(e.Error(), cfg.Sources.Boards)
		if !failed[key] { // a value that did not decode is zero, and said once
			errs = append(errs, from.annotate(key, e))
		}
	}
	return cfg, errors.Join(errs...)
}

// listHook reads a list of strings as a YAML list, a comma-separated flag or
// a comma-separated variable alike: every item is split at its commas and
// trimmed, and empty items are dropped.
func listHook(_, to reflect.Type, data any) (any, error) {
	if to != reflect.TypeFor[[]string]() {
		return data, nil
	}
	var items []string
	switch d := data.(type) {
	case string:
		items = []string{d}
	case []string:
		items = d
	case []any:
		for _, x := range d {
			items = append(items, fmt.Sprint(x))
		}
	default:
		return data, nil
	}
	var out []string
	for _, item := range items {
		for _, s := range strings.Split(item, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// decodeErrors returns the errors of the keys that viper's Unmarshal could
// not decode, each naming its key.
func decodeErrors(err error) []*mapstructure.DecodeError {
	var out []*mapstructure.DecodeError
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *mapstructure.DecodeError:
			out = append(out, e)
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		default:
			walk(errors.Unwrap(err))
		}
	}
	walk(err)
	return out
}

// leaves returns the errors joined in err, one by one.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range u.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// keyIn returns the key an error message names first: a key of the
// declaration, a key set in jobpulse.yaml only, or a board
// (sources.<board>). Every check names the key of the value it refuses
// (STYLE.md, point 4); "" when the message names none.
func keyIn(msg string, boards map[string]any) string {
	var names []string
	for _, o := range options() {
		names = append(names, o.key)
	}
	for _, y := range yamlOnlyKeys {
		if y.remain == "" {
			names = append(names, y.key)
		}
		for b := range boards {
			names = append(names, y.remain+b)
		}
	}
	best, at := "", len(msg)
	for _, name := range names {
		for i := 0; ; {
			j := strings.Index(msg[i:], name)
			if j < 0 {
				break
			}
			j += i
			end := j + len(name)
			if (j == 0 || !isKeyByte(msg[j-1])) && (end == len(msg) || !isKeyByte(msg[end]) || msg[end] == '.') {
				if j < at || (j == at && len(name) > len(best)) {
					best, at = name, j
				}
				break
			}
			i = j + 1
		}
	}
	return best
}

// isKeyByte reports whether c can be part of a key name.
func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
}

// origin says where the value of a key came from.
type origin struct {
	v     *viper.Viper
	flags *pflag.FlagSet
	file  string
}

// of names where key was set: a flag, a variable, the file; "" for its
// default.
func (o origin) of(key string) string {
	switch {
	case key == "":
		return ""
	case o.flags.Lookup(key) != nil && o.flags.Lookup(key).Changed:
		return "set by the flag --" + key
	case isOption(key) && os.Getenv(envVar(key)) != "":
		return "set by the environment variable " + envVar(key)
	case o.file != "" && o.v.InConfig(key):
		return "set in " + o.file
	}
	return ""
}

// annotate returns err saying where the value of key came from.
func (o origin) annotate(key string, err error) error {
	if where := o.of(key); where != "" {
		return &keyError{where: where, err: err}
	}
	return err
}

// keyError is the error of a configured value, with where it was set.
type keyError struct {
	where string
	err   error
}

// Error returns the error of the value, then where it was set.
func (e *keyError) Error() string { return e.err.Error() + " (" + e.where + ")" }

// Unwrap returns the error of the value.
func (e *keyError) Unwrap() error { return e.err }
