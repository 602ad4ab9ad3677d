package scrape

import (
	"fmt"
	"reflect"

	"github.com/go-viper/mapstructure/v2"
)

// DecodeProfile decodes the configuration of sources.<name> (a map as viper or
// a YAML decoder gives it) onto [NewProfile](name), as viper would: durations
// as strings ("2s"), weakly typed scalars. A field may be written as its
// selector alone (title: h2.title). Unknown keys are errors, so a typo does
// not silently drop a selector. The result is not validated: call
// [Profile.Validate].
func DecodeProfile(name string, raw map[string]any) (Profile, error) {
	p := NewProfile(name)
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			fieldFromString,
			mapstructure.StringToTimeDurationHookFunc(),
		),
		WeaklyTypedInput: true,
		ErrorUnused:      true,
		Result:           &p,
	})
	if err != nil {
		return Profile{}, fmt.Errorf("config: sources.%s: %w", name, err)
	}
	if err := dec.Decode(raw); err != nil {
		return Profile{}, fmt.Errorf("config: sources.%s: %w", name, err)
	}
	return p, nil
}

// fieldFromString decodes a bare string as a [Field] with that selector.
func fieldFromString(from, to reflect.Type, data any) (any, error) {
	if from.Kind() == reflect.String && to == reflect.TypeFor[Field]() {
		return Field{Selector: reflect.ValueOf(data).String()}, nil
	}
	return data, nil
}
