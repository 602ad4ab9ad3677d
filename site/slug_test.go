package site

import "testing"

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Backend Engineer", "backend-engineer"},
		{"Développeur Full Stack (H/F)", "developpeur-full-stack-h-f"},
		{"C", "c"},
		{"C++", "c-plus-plus"},
		{"C#", "c-sharp"},
		{"F#/.NET", "f-sharp-net"},
		{"Notepad++ Expert", "notepad-plus-plus-expert"},
		{"++", "plus-plus"},
		{"#1 hire", "sharp-1-hire"},
		{"UX/UI Designer", "ux-ui-designer"},
		{"../../etc", "etc"},
		{"日本語", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slug(tt.in); got != tt.want {
				t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
