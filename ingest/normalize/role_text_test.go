package normalize

import (
	"strings"
	"testing"
)

// TestDescriptionRole reads the start of real descriptions (quoted from the
// captures under ../testdata/real) with the titles' roles.
func TestDescriptionRole(t *testing.T) {
	tests := []struct {
		name, title, text string
		occupationKnown   bool
		want              string
	}{
		{
			name:  "search raters under a content reviewer's title (remotive 2089990)",
			title: "Content Reviewer - US",
			text: "Looking for a freelance opportunity where you can make an impact on technology from the comfort of your home?\n\n" +
				"A Day in the Life of a Content Reviewer - US:\n\n- In this role, you’ll be analyzing and providing feedback on texts, pages, images, " +
				"and other types of information for top search engines, using an online tool\n- Through reviewing and rating search results for " +
				"relevance and quality, you’ll be helping to improve the overall user experience",
			want: "AI Trainer",
		},
		{
			name:  "an AI evaluation project under a vague title (remoteok 1130752)",
			title: "AI Specialist Haitian Creole",
			text: "We are looking for AI Specialists to join a Haitian Creole voice evaluation project — a great entry point into ongoing work " +
				"within one of our most active AI markets!\n\nHelp Shape the Future of AI\n\nThis short project offers practical exposure to " +
				"AI evaluation workflows and contributes directly to improving how AI systems understand real spoken language.",
			want: "AI Trainer",
		},
		{
			name:  "an engineer who builds the models keeps the title's role",
			title: "Senior Machine Learning Engineer",
			text:  "You will build the pipelines that turn human ratings into training data for AI models and help train AI models at scale.",
			want:  "Machine Learning Engineer",
		},
		{
			name:  "the job's own line under a vague title (arbeitnow spezialist-drittmittelprufung-munich-287925)",
			title: "Spezialist (m/w/d) - Drittmittelprüfung",
			text: "Für unseren Kunden suchen wir Sie zum nächstmöglichen Zeitpunkt als „Spezialist Fördermittelprüfung (m/w/d)“.\n\nIhre Aufgaben\n" +
				"- Als Revisor Drittmittelprojekte (m/w/d) prüfen Sie Verwendungsnachweise\n\nIhr Profil\n" +
				"- Eine vergleichbare Qualifikation, z. B. als Wirtschaftsjurist (m/w/d)",
			want: "Accountant",
		},
		{
			name:  "a training the profile asks for names no job (arbeitnow technischer-property-manager-munich-434644)",
			title: "Technischer Property Manager (m/w/d)",
			text: "Für unseren Kunden suchen wir Sie zum nächstmöglichen Zeitpunkt als „Technischer Property Manager (m/w/d)“.\n" +
				"- Als technischer Objektmanager (m/w/d) betreuen und überwachen Sie\n" +
				"- Sie haben eine technische Ausbildung oder ein Studium, z. B. als Bautechniker (m/w/d), Meister (m/w/d), Bauingenieur (m/w/d)",
			want: "",
		},
		{
			name:  "the clause after an intro phrase",
			title: "Talent Pool",
			text:  "We are looking for a Senior Accountant to join our finance team in Berlin.",
			want:  "Accountant",
		},
		{
			name:  "an intro phrase followed by no title",
			title: "Director of Technical Solutions",
			text:  "We are looking for a leader who shares that same passion for customers.",
			want:  "",
		},
		{
			name:  "the title's role stands against an intro",
			title: "Backend Engineer",
			text:  "We are looking for a Senior Accountant to join our finance team in Berlin.",
			want:  "Backend Engineer",
		},
		{
			name:            "a publisher's code that names an occupation outside the vocabulary (francetravail 189JGZP)",
			title:           "Femme/Homme de ménage à BLAINVILLE et environs",
			text:            "Nous recherchons un(e) Assistant Ménager (h/f), ou Homme/Femme de ménage (h/f) pour intervenir chez nos clients.",
			occupationKnown: true,
			want:            "",
		},
		{
			name:  "a household help read from the description is no office assistant (francetravail 189JGZP, had its code no line)",
			title: "Femme/Homme de ménage à BLAINVILLE et environs",
			text:  "Nous recherchons un(e) Assistant Ménager (h/f), ou Homme/Femme de ménage (h/f) pour intervenir chez nos clients.",
			want:  "",
		},
		{
			name:  "the description names the business developer a compound title hides (arbeitnow strategischer-projektentwickler)",
			title: "Strategischer Projektentwickler (m/w/d)",
			text: "Unser Team sucht Verstärkung!\n- Als Strategischer Projektentwickler / Business Developer Quantentechnologie (m/w/d) " +
				"baust du Partnerschaften auf",
			want: "Business Development",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role, _ := Title(tt.title)
			if got := DescriptionRole(tt.text, role, tt.occupationKnown); got != tt.want {
				t.Errorf("DescriptionRole(%q, %q) = %q, want %q", tt.text, role, got, tt.want)
			}
			got, steps := ExplainDescriptionRole(tt.text, role, tt.occupationKnown)
			if got != tt.want {
				t.Errorf("ExplainDescriptionRole = %q, DescriptionRole %q", got, tt.want)
			}
			if got != role && (len(steps) == 0 || !strings.Contains(steps[len(steps)-1].Rule, "rules/role_text.tsv")) {
				t.Errorf("the steps %v do not name the line of rules/role_text.tsv that decided", steps)
			}
		})
	}
}

// TestDescriptionRoleHead checks that only the start of a description is
// read.
func TestDescriptionRoleHead(t *testing.T) {
	text := strings.Repeat("Our company builds tools for teams. ", 60) + "You will be rating search results."
	if got := DescriptionRole(text, "", false); got != "" {
		t.Errorf("a phrase after %d bytes gave %q", roleTextHead, got)
	}
	if got := DescriptionRole("You will be rating search results", "", false); got != "AI Trainer" {
		t.Errorf("a phrase at the start gave %q, want AI Trainer", got)
	}
}

func TestTextHead(t *testing.T) {
	for _, tt := range []struct {
		text string
		n    int
		want string
	}{
		{"Remote (US only)", 100, "Remote (US only)"},
		{"Remote (US and Canada only)", 12, "Remote (US "},
		{"Télétravail partiel", 2, "T"},                 // one word longer than the head: cut before "é"
		{"Full-Time | Télétravail", 14, "Full-Time | "}, // never inside "é"
	} {
		if got := TextHead(tt.text, tt.n); got != tt.want {
			t.Errorf("TextHead(%q, %d) = %q, want %q", tt.text, tt.n, got, tt.want)
		}
	}
}
