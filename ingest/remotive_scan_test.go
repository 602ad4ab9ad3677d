package ingest

import (
	"encoding/json"
	"strings"
	"testing"
)

// checkScanString checks jsonScanner.appendString on the JSON string that
// starts b: when it accepts it, encoding/json reads the same string; when
// the string is valid JSON and valid UTF-8 without escaped surrogates, it
// accepts it.
func checkScanString(t *testing.T, b []byte, mustAccept bool) {
	t.Helper()
	s := jsonScanner{b: b}
	got, ok := s.appendString([]byte("prefix:"))
	if !ok {
		if mustAccept {
			t.Fatalf("appendString refuses %q", b)
		}
		return
	}
	var want string
	if err := json.Unmarshal(b[:s.pos], &want); err != nil {
		t.Fatalf("appendString accepts %q, which encoding/json refuses: %v", b[:s.pos], err)
	}
	if string(got) != "prefix:"+want {
		t.Fatalf("appendString(%q) = %q, encoding/json reads %q", b[:s.pos], got, want)
	}
}

// TestJSONScannerStrings puts each kind of byte at each place of strings
// of 0 to 40 bytes, across the scanner's sixteen-byte steps.
func TestJSONScannerStrings(t *testing.T) {
	tests := []struct {
		name   string
		insert string
		valid  bool // the string is one the scanner must accept
	}{
		{"plain", "x", true},
		{"quote escape", `\"`, true},
		{"backslash escape", `\\`, true},
		{"slash escape", `\/`, true},
		{"newline escape", `\n`, true},
		{"unicode escape", `\u003c`, true},
		{"upper-case unicode escape", `\u00E9`, true},
		{"surrogate pair", `\ud83d\ude00`, true},
		{"two-byte UTF-8", "é", true},
		{"three-byte UTF-8", "東", true},
		{"four-byte UTF-8", "😀", true},
		{"DEL", "\x7f", true},
		{"control character", "\x01", false},
		{"raw tab", "\t", false},
		{"lone high surrogate", `\ud800`, false},
		{"lone low surrogate", `\udc00`, false},
		{"reversed surrogates", `\udc00\ud800`, false},
		{"invalid escape", `\x`, false},
		{"short unicode escape", `\u12`, false},
		{"invalid UTF-8", "\xff", false},
		{"truncated UTF-8", "\xe6\x9d", false},
		{"surrogate as UTF-8", "\xed\xa0\x80", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n := range 41 {
				for at := 0; at <= n; at++ {
					body := `"` + strings.Repeat("a", at) + tt.insert + strings.Repeat("b", n-at) + `",`
					checkScanString(t, []byte(body), tt.valid)
				}
			}
		})
	}
}

// TestJSONScannerSkip checks the scanner's reading of whole values.
func TestJSONScannerSkip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"object", ` { "a" : [ 1 , -2.5e+3 , 0 , true , false , null , "s" , { } , [ ] ] } `, true},
		{"numbers", `[0,-0,1.25,1e9,1E-9,-0.0e+0,123456789012345678901234567890]`, true},
		{"empty string name", `{"":1}`, true},
		{"leading zero", `[01]`, false},
		{"plus sign", `[+1]`, false},
		{"bare minus", `[-]`, false},
		{"dot first", `[.5]`, false},
		{"no fraction digits", `[1.]`, false},
		{"no exponent digits", `[1e]`, false},
		{"hexadecimal", `[0x1]`, false},
		{"trailing comma in array", `[1,]`, false},
		{"trailing comma in object", `{"a":1,}`, false},
		{"leading comma", `[,1]`, false},
		{"missing colon", `{"a" 1}`, false},
		{"name not a string", `{a:1}`, false},
		{"unclosed", `[1`, false},
		{"mismatched close", `[1}`, false},
		{"literal prefix", `[nul]`, false},
		{"literal in capitals", `[NULL]`, false},
		{"two values", `1 2`, false},
		{"nothing", ``, false},
		{"nesting of 100", strings.Repeat("[", 100) + strings.Repeat("]", 100), true},
		{"nesting of 101", strings.Repeat("[", 101) + strings.Repeat("]", 101), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := jsonScanner{b: []byte(tt.in)}
			if got := s.skip(0) && s.atEnd(); got != tt.ok {
				t.Errorf("skip(%q) = %v, want %v", tt.in, got, tt.ok)
			}
			if tt.ok && !json.Valid([]byte(tt.in)) {
				t.Errorf("test case %q is not valid JSON", tt.in)
			}
		})
	}
}

// FuzzJSONScanner checks that the scanner accepts no text that
// encoding/json refuses, and reads strings as encoding/json does.
func FuzzJSONScanner(f *testing.F) {
	f.Add([]byte(`{"a":[1,-2.5e+3,true,false,null,"s\u00e9\ud83d\ude00\n",{}]}`))
	f.Add([]byte(`"We are hiring a \u003cb\u003eGo\u003c/b\u003e developer. Zürich"`))
	f.Add([]byte("\"a\xffb\""))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := jsonScanner{b: b}
		if s.skip(0) && s.atEnd() && !json.Valid(b) {
			t.Fatalf("the scanner accepts %q, which is not valid JSON", b)
		}
		if s := (jsonScanner{b: b}); s.peek() == '"' {
			checkScanString(t, b[s.pos:], false)
		}
	})
}
