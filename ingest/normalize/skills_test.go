package normalize

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSkills(t *testing.T) {
	tests := []struct {
		name               string
		tags               []string
		title, description string
		want               []string
	}{
		{name: "aliases", tags: []string{"golang", "node.js", "ruby/rails", "Typescript ", "AI/ML"}, want: []string{"Go", "Machine Learning", "Node.js", "Ruby on Rails", "TypeScript"}},
		{name: "case, accents and spaces", tags: []string{"  PostgreSQL ", "Postgres", "REACT", "react.js", "Node  JS"}, want: []string{"Node.js", "PostgreSQL", "React"}},
		{name: "punctuation kept in keys", tags: []string{".Net", "C#", "C++"}, want: []string{".NET", "C#", "C++"}},
		{name: "unknown tags are no skills", tags: []string{"Inside  Sales Ops", " Quantum\tComputing ", "Développement", "marketplace", "catalyst"}},
		{name: "unknown tags beside known ones", tags: []string{"travel", "docker", "sys admin"}, want: []string{"Docker"}},
		{name: "noise dropped", tags: []string{"digital nomad", "senior", "full-time", "engineer", "non tech", "other", "Remote Working"}},
		{name: "junk dropped", tags: []string{"", "   ", "!!!", "---", "a very long tag that goes on and on and on and on"}},
		{name: "control characters and invalid utf-8 in a known tag", tags: []string{"Dock\x00er", "Pyth\xffon", "x\x00y"}, want: []string{"Docker", "Python"}},
		{name: "duplicates merged", tags: []string{"go", "golang", "Go"}, title: "Golang Developer", want: []string{"Go"}},
		{name: "skill in brackets of the title", title: "Senior Backend Engineer (Go) - Remote", want: []string{"Go"}},
		{name: "go to market is no skill", title: "Go To Market Strategist"},
		{name: "skills in the title", title: "Senior Software Engineer Python Django PostgreSQL and Vue.js", want: []string{"Django", "PostgreSQL", "Python", "Vue.js"}},
		{name: "phrase in the title", title: "Senior Software Engineer Ruby on Rails", want: []string{"Ruby on Rails"}},
		{name: "symbols in the title", title: "C C++ Linux developer", want: []string{"C++", "Linux"}},
		{name: "react developer", title: "React Developer", want: []string{"React"}},
		{name: "dotnet in the title", title: ".NET Developer (C#)", want: []string{".NET", "C#"}},
		{name: "ui/ux in the title", title: "Senior UI/UX Designer", want: []string{"UI/UX"}},
		{name: "tags and title", tags: []string{"docker"}, title: "Python Engineer", want: []string{"Docker", "Python"}},
		{name: "nothing"},

		// Ambiguous tags: the title or the description must support them.
		{name: "ambiguous tag alone", tags: []string{"go", "r", "c", "health"}, title: "Data Analyst"},
		{name: "ambiguous tag, ordinary words", tags: []string{"go"}, description: "You consistently go above and beyond. Go here to apply: https://example.com/go"},
		{name: "support name", tags: []string{"go"}, description: "Our services are written in Golang.", want: []string{"Go"}},
		{name: "support name with the tag name", tags: []string{"go"}, description: "You will work with microservices in Go, streaming data pipelines in AWS.", want: []string{"Go"}},
		{name: "listed after a skill", tags: []string{"go"}, description: "Du bist Experte im Umgang mit Rust, Java, Go, Zig oder anderen Sprachen.", want: []string{"Go"}},
		{name: "listed before a skill, by or", tags: []string{"go"}, description: "Multiple languages including either Go or Python.", want: []string{"Go"}},
		{name: "listed by and", tags: []string{"go"}, description: "A variety of languages, including Java and Go for backend.", want: []string{"Go"}},
		{name: "listed on lines", tags: []string{"go"}, description: "What you know:\n- Kubernetes\n- Go", want: []string{"Go"}},
		{name: "hyphenated is another word", tags: []string{"go"}, description: "Join Sales and Go-To-Market; own the go-to-market strategy with Kubernetes go-live."},
		{name: "beside a word that is no skill", tags: []string{"go"}, description: "Growth and go: we go live with Marketing soon."},
		{name: "ambiguous names do not support each other", tags: []string{"go", "c"}, description: "Go, C"},
		{name: "c-suite, series c, hepatitis c", tags: []string{"C"}, description: "You sell to business owners and C-suite executives. We raised a series C round. Tests for Hepatitis C (HCV). E&C Estimator."},
		{name: "c beside c++", tags: []string{"C"}, description: "Firmware in C/C++ on Linux.", want: []string{"C"}},
		{name: "c programming", tags: []string{"c"}, description: "Strong C programming skills.", want: []string{"C"}},
		{name: "r&d is no R", tags: []string{"r"}, description: "Investment in R&D. Work with R&D, finance and operations."},
		{name: "r listed with sql", tags: []string{"R"}, description: "Querying with SQL and R.", want: []string{"R"}},
		{name: "in r", tags: []string{"r"}, description: "Models built in R.", want: []string{"R"}},
		{name: "r programming", tags: []string{"r"}, description: "R programming (tidyverse).", want: []string{"R"}},
		{name: "health insurance is no healthcare", tags: []string{"health"}, description: "Top-notch health insurance for you and your dependents; pipeline health; Health and Safety rules."},
		{name: "a healthcare company", tags: []string{"health"}, description: "Zus is a shared health data platform designed to accelerate healthcare data interoperability.", want: []string{"Healthcare"}},
		{name: "the rest of the team is no REST", tags: []string{"REST"}, description: "Held to the same standard as the rest of the team. Let us do the rest!"},
		{name: "rest apis", tags: []string{"rest"}, description: "Building and maintaining GraphQL or REST APIs.", want: []string{"REST"}},
		{name: "restful", tags: []string{"rest"}, description: "Proficiency in making RESTful API calls.", want: []string{"REST"}},
		{name: "excel in sales is no Excel", tags: []string{"excel"}, description: "The drive to excel in sales. Excellent verbal and written skills."},
		{name: "excel among office tools", tags: []string{"excel"}, description: "Proficiency in Microsoft Office Suite (Word, Excel, Outlook, PowerPoint).", want: []string{"Excel"}},
		{name: "excel beside a two-word skill", tags: []string{"excel"}, description: "Knowledge of Excel and Power BI are necessary.", want: []string{"Excel"}},
		{name: "the spark that turns", tags: []string{"spark"}, description: "You're the spark that turns a purchase into a transformation."},
		{name: "apache spark", tags: []string{"spark"}, description: "ETL workflows in Databricks (Apache Spark, Delta Lake, DBT).", want: []string{"Spark"}},
		{name: "cv to send is no computer vision", tags: []string{"cv"}, description: "Send your CV and a cover letter."},
		{name: "the title supports", tags: []string{"r", "go"}, title: "Statistician (Python, R)", description: "We go far.", want: []string{"Python", "R"}},
		{name: "another tag names the skill", tags: []string{"go", "golang"}, want: []string{"Go"}},
		{name: "the title names the skill", tags: []string{"go"}, title: "Backend Engineer (Go)", want: []string{"Go"}},
		{name: "the description names no skill by itself", title: "Engineer", description: "Python, Go, Kubernetes, Golang, REST APIs."},
		{name: "unambiguous word of the skill", tags: []string{"swift", "rust"}, description: "Our iOS app is in Swift.", want: []string{"Swift"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Skills(tt.tags, tt.title, tt.description)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Skills(%q, %q, %q) (-want +got):\n%s", tt.tags, tt.title, tt.description, diff)
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
	got := Skills(tags, "", "")
	if len(got) != maxSkills {
		t.Errorf("Skills of %d tags: %d skills, want %d", len(tags), len(got), maxSkills)
	}
}

// TestSkillsOfTheTable checks that every skill Skills can give is a skill of
// the table, and that an ambiguous tag name always has support names or
// can stand in a list.
func TestSkillsOfTheTable(t *testing.T) {
	for name, e := range skillTags {
		if e.skill == "-" {
			continue
		}
		if !skillNames[e.skill] {
			t.Errorf("tag name %q: skill %q is not in skillNames", name, e.skill)
		}
		if e.support == nil {
			if got := Skills([]string{name}, "", ""); !slices.Equal(got, []string{e.skill}) {
				t.Errorf("Skills(%q) = %q, want %q", name, got, e.skill)
			}
			continue
		}
		if got := Skills([]string{name}, "", ""); got != nil {
			t.Errorf("ambiguous %q, with no title or description: %q, want none", name, got)
		}
		if got := Skills([]string{name}, "", "Python, "+name); !slices.Equal(got, []string{e.skill}) {
			t.Errorf("ambiguous %q listed with Python: %q, want %q", name, got, e.skill)
		}
		if got := Skills([]string{name}, "", "Python-"+name); got != nil {
			t.Errorf("ambiguous %q joined to Python by a hyphen: %q, want none", name, got)
		}
	}
	for name, skill := range skillTitles {
		if !skillNames[skill] {
			t.Errorf("title name %q: skill %q is not in skillNames", name, skill)
		}
	}
}

// TestSkillsReal checks the skills of captured real postings.
func TestSkillsReal(t *testing.T) {
	want := map[string][]string{
		"Inside Sales Contractor":   {"CRM", "Financial Services", "Google Sheets", "Sales"},
		"Assistant Account Payable": {"Accounting", "Data Entry", "Excel", "Outlook"},
		"C C++ Linux developer":     {"Algorithms", "C++", "Data Structures", "Linux"},
		"Staff DevOps Engineer":     {"DevOps", "Mobile", "Security"},
		"Full Stack Developer":      {"Artificial Intelligence", "Full Stack", "JavaScript", "PostgreSQL", "Python", "TypeScript"},
		"Payroll Analyst":           {"Excel", "Human Resources", "Payroll"},
		// Tagged "go" for "we go fearlessly forward".
		"Senior Sales Engineer Data & AI Security": {"Sales", "Security"},
		// Tagged "excel" and "spark" for "the drive to excel in sales" and
		// "You're the spark".
		"Product Sales Specialist - Pet Health (CST timezone)": {"Salesforce", "Video"},
		// Tagged "C" and "excel" for "C-suite executives" and "You excel
		// in high-volume outbound dialing".
		"High-Ticket Financial Sales Specialist & Team Lead Track": {"Financial Services"},
		// Tagged "REST" for "the rest of the team".
		"Staff Software Engineer, Product (Campinas)": {"AWS", "Backend", "Engineering Management", "Frontend", "GitHub",
			"Jira", "Laravel", "Machine Learning", "PHP", "People Management", "Prototyping", "React", "React Native",
			"Security", "TypeScript", "UI/UX", "Datadog"},
	}
	seen := map[string]bool{}
	for _, p := range realPostings(t) {
		got := Skills(p.Tags, p.Title, PlainText(p.Description))
		checkSorted(t, p.Title, got)
		if w, ok := want[p.Title]; ok && !seen[p.Title] {
			seen[p.Title] = true
			w = slices.Sorted(slices.Values(w))
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
