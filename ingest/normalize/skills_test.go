package normalize

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSkills(t *testing.T) {
	tests := []struct {
		name  string
		tags  []string
		title string
		want  []string
	}{
		{"aliases", []string{"golang", "node.js", "ruby/rails", "Typescript ", "AI/ML"}, "", []string{"Go", "Machine Learning", "Node.js", "Ruby on Rails", "TypeScript"}},
		{"case, accents and spaces", []string{"  PostgreSQL ", "Postgres", "REACT", "react.js", "Node  JS"}, "", []string{"Node.js", "PostgreSQL", "React"}},
		{"punctuation kept in keys", []string{".Net", "C#", "C++", "c"}, "", []string{".NET", "C", "C#", "C++"}},
		{"unknown tags are no skills", []string{"Inside  Sales Ops", " Quantum\tComputing ", "Développement", "marketplace", "catalyst"}, "", nil},
		{"unknown tags beside known ones", []string{"travel", "docker", "sys admin"}, "", []string{"Docker"}},
		{"noise dropped", []string{"digital nomad", "senior", "full-time", "engineer", "non tech", "other", "Remote Working"}, "", nil},
		{"junk dropped", []string{"", "   ", "!!!", "---", "a very long tag that goes on and on and on and on"}, "", nil},
		{"control characters and invalid utf-8 in a known tag", []string{"Dock\x00er", "Pyth\xffon", "x\x00y"}, "", []string{"Docker", "Python"}},
		{"duplicates merged", []string{"go", "golang", "Go"}, "Golang Developer", []string{"Go"}},
		{"skill in brackets of the title", nil, "Senior Backend Engineer (Go) - Remote", []string{"Go"}},
		{"go to market is no skill", nil, "Go To Market Strategist", nil},
		{"skills in the title", nil, "Senior Software Engineer Python Django PostgreSQL and Vue.js", []string{"Django", "PostgreSQL", "Python", "Vue.js"}},
		{"phrase in the title", nil, "Senior Software Engineer Ruby on Rails", []string{"Ruby on Rails"}},
		{"symbols in the title", nil, "C C++ Linux developer", []string{"C++", "Linux"}},
		{"react developer", nil, "React Developer", []string{"React"}},
		{"dotnet in the title", nil, ".NET Developer (C#)", []string{".NET", "C#"}},
		{"ui/ux in the title", nil, "Senior UI/UX Designer", []string{"UI/UX"}},
		{"tags and title", []string{"docker"}, "Python Engineer", []string{"Docker", "Python"}},
		{"nothing", nil, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Skills(tt.tags, tt.title)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Skills(%q, %q) (-want +got):\n%s", tt.tags, tt.title, diff)
			}
		})
	}
}

// TestSkillsBounded gives Skills every tag name of the table: it keeps 50
// skills.
func TestSkillsBounded(t *testing.T) {
	var tags []string
	for name := range skillTags {
		tags = append(tags, name)
	}
	slices.Sort(tags)
	got := Skills(tags, "")
	if len(got) != maxSkills {
		t.Errorf("Skills of %d tags: %d skills, want %d", len(tags), len(got), maxSkills)
	}
}

// TestSkillsReal checks the skills of captured real postings.
func TestSkillsReal(t *testing.T) {
	want := map[string][]string{
		"Inside Sales Contractor":                  {"CRM", "Financial Services", "Google Sheets", "Sales"},
		"Assistant Account Payable":                {"Accounting", "Data Entry", "Excel", "Outlook"},
		"C C++ Linux developer":                    {"Algorithms", "C++", "Data Structures", "Linux"},
		"Staff DevOps Engineer":                    {"DevOps", "Mobile", "Security"},
		"Full Stack Developer":                     {"Artificial Intelligence", "Full Stack", "JavaScript", "PostgreSQL", "Python", "TypeScript"},
		"Payroll Analyst":                          {"Excel", "Human Resources", "Payroll"},
		"Senior Sales Engineer Data & AI Security": {"Go", "Sales", "Security"},
	}
	seen := map[string]bool{}
	for _, p := range realPostings(t) {
		got := Skills(p.Tags, p.Title)
		checkSorted(t, p.Title, got)
		if w, ok := want[p.Title]; ok && !seen[p.Title] {
			seen[p.Title] = true
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("Skills(%q, %q) (-want +got):\n%s", p.Tags, p.Title, diff)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("checked %d real postings, want %d", len(seen), len(want))
	}
}

func checkSorted(t *testing.T, title string, skills []string) {
	t.Helper()
	for i := 1; i < len(skills); i++ {
		if skills[i-1] >= skills[i] {
			t.Errorf("skills of %q not sorted and unique: %q", title, skills)
		}
	}
}
