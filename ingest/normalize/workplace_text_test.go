package normalize

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

func TestTextWorkplace(t *testing.T) {
	tests := []struct {
		text       string
		remoteOnly bool
		want       string
	}{
		{"We offer 2 Tage Homeoffice pro Woche und ein Büro in Köln.", false, Hybrid},
		{"Homeoffice-Möglichkeit nach Absprache", false, Hybrid},
		{"Homeoffice-Möglichkeit nach Absprache", true, Remote},
		{"Bis zu 2 Tage pro Woche mobil arbeiten", false, Hybrid},
		{"This is a fully remote position.", false, Remote},
		{"100 % remote, von überall in Deutschland", false, Remote},
		{"Télétravail partiel possible (2 jours par semaine)", false, Hybrid},
		{"Poste en télétravail complet", false, Remote},
		// Accents written as combining marks fold into their letters, as in
		// the tables: "te\u0301le\u0301travail partiel" is hybrid, not
		// "home office" alone (remote on this source).
		{"Home office, te\u0301le\u0301travail partiel", true, Hybrid},
		{"You will spend 3 days a week in the office in Berlin.", true, Hybrid},
		{"Kein Homeoffice möglich: die Arbeit findet vor Ort statt.", false, Onsite},
		{"Experience with hybrid cloud environments (AWS, Azure).", false, ""},
		{"Wartung von Hybridfahrzeugen und véhicules hybrides", false, ""},
		{"A remote team of engineers monitoring remote sensors.", false, ""},
		{"Fully remote, or hybrid in our Lisbon office if you like.", false, Remote},
		{"Poste basé à Lyon ou en fullremote.", false, Remote},
		{"Work from home or a hub; you must live within commuting distance of our Dublin hub.", true, Hybrid},
		{"Work Location: On-site. Schedule: Monday to Friday.", true, Onsite},
		{"Die Arbeit erfolgt überwiegend remote, mit Teamtagen in Hamburg.", false, Hybrid},
		{"Du arbeitest meist remote, aber auch mal vor Ort bei uns.", false, Hybrid},
		{"We work mostly remote and meet in Berlin once a month.", false, Hybrid},
		// A choice that includes wholly remote work is remote; "and/or"
		// remote is a mix.
		{"Komm in unser Team nach Köln, Hamburg oder arbeite remote!", false, Remote},
		{"Berlin - Hybrid oder Remote in Deutschland", false, Remote},
		{"Work on-site or remote, as you prefer.", false, Remote},
		{"in unseren Büros in Hamburg, Berlin & München zu arbeiten und/oder remote", false, Hybrid},
		// Where the work is done, said as the role's kind, in four languages.
		{"This is an on-site role at our Austin plant.", true, Onsite},
		{"You must work on-site at the store every shift.", true, Onsite},
		{"Poste en présentiel à Nantes, du lundi au vendredi.", true, Onsite},
		{"Modalidad: presencial en Madrid.", true, Onsite},
		{"Es besteht Präsenzpflicht am Standort Köln.", true, Onsite},
		{"Hybrid schedule: 2 days a week on site in Boston.", true, Hybrid},
		{"Du arbeitest 3 Tage pro Woche vor Ort in Leipzig.", false, Hybrid},
		{"Deux jours en présentiel par semaine.", false, Hybrid},
		{"Trabajo semipresencial en Barcelona.", false, Hybrid},
		{"This is a work from home position open across the US.", false, Remote},
		{"Poste en télétravail à 100 %.", false, Remote},
		{"Present your work to the team; presenting matters.", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got, def := TextWorkplaceDefault(tt.text, tt.remoteOnly); got != tt.want || !def {
			t.Errorf("TextWorkplaceDefault(%q, remoteOnly %v) = %q, %v; want %q, true", tt.text, tt.remoteOnly, got, def, tt.want)
		}
		if got := TextWorkplace(tt.text, tt.remoteOnly); got != tt.want {
			t.Errorf("TextWorkplace(%q, remoteOnly %v) = %q, want %q", tt.text, tt.remoteOnly, got, tt.want)
		}
	}
}

// TestTextWorkplaceSelfEmployed: an offer that says it is no salaried job
// names no workplace and stops a source's default, unless it also names a
// workplace.
func TestTextWorkplaceSelfEmployed(t *testing.T) {
	tests := []struct {
		text           string
		want           string
		defaultApplies bool
	}{
		{"Cette annonce n'est pas une offre d'emploi mais une proposition de création de votre propre entreprise.", "", false},
		{"Il vous est proposé un contrat de franchise (droit d'entrée 25 K€).", "", false},
		{"Vous êtes vendeur indépendant (VDI) ou souhaitez le devenir.", "", false},
		{"Statut indépendant, travail 100 % à distance.", Remote, true},
		{"Vendeur indépendant, vous vous rendez au domicile des clients.", "", false},
		{"Notre magasin franchisé recrute un vendeur (H/F).", "", true},
		{"Franchise en base de TVA, saisie comptable.", "", true},
	}
	for _, tt := range tests {
		if got, def := TextWorkplaceDefault(tt.text, false); got != tt.want || def != tt.defaultApplies {
			t.Errorf("TextWorkplaceDefault(%q) = %q, %v; want %q, %v", tt.text, got, def, tt.want, tt.defaultApplies)
		}
	}
}

// TestTextWorkplaceInPerson: on a source whose postings are all remote, a
// text that describes work done in person, and grants no remote work, is
// on-site; a remote job that merely mentions stores, restaurants or shifts
// stays remote (the caller's default: ""), and elsewhere the phrases change
// nothing. The snippets marked real are from the captures under
// ingest/testdata/real.
func TestTextWorkplaceInPerson(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		remoteOnly bool
		want       string
	}{
		// Real: Remote OK (api.json) carries office and field jobs
		// scraped from elsewhere.
		{"an office assistant welcomes visitors (real, Remote OK)", "- Welcome visitors and create a professional, friendly environment.", true, Onsite},
		{"an office kept running (real, Remote OK)", "In this role, you will be the backbone of our daily operations, helping ensure that our office runs smoothly while supporting employees, leadership, and visitors.", true, Onsite},
		{"field sales visiting markets (real, Remote OK)", "- Achieve sales targets through personal selling (visiting market) and driving the distribution system.", true, Onsite},
		// Real: France Travail and Arbeitnow, whose jobs are on-site.
		{"building sites (real, France Travail)", "- Maîtrise des normes de sécurité sur les chantiers - Capacité à travailler en équipe", true, Onsite},
		{"a service vehicle (real, France Travail)", "- Disposez de tout le matériel nécessaire : véhicule de service, carte essence, smartphone", true, Onsite},
		{"a front office (real, France Travail)", "- Saisie administratives diverses, classements, petite comptabilité ainsi que de l'accueil physique.", true, Onsite},
		{"a building site and a licence (real, Arbeitnow)", "•Der Einsatz auf der Baustelle im Bundesgebiet (tageweise, überwiegend NRW) ist für Sie kein Hindernis •Sie verfügen über einen Führerschein der Klasse B (Pkw)", true, Onsite},
		{"a handyman at customers' homes", "You bring your own tools and drive to customers' homes across the county.", true, Onsite},
		{"a store clerk", "Help shoppers find what they need in our store and keep the sales floor tidy.", true, Onsite},
		{"a courier", "Make deliveries on a set route; a valid driver's license is required.", true, Onsite},
		{"Spanish", "Atención al cliente en tienda, turnos rotativos.", true, Onsite},
		{"a warehouse", "Operate a forklift safely; steel-toe boots required.", true, Onsite},
		// Remote jobs that must stay remote (the source's default).
		{"restaurants as customers (real, Remote OK)", "Through our platform we empower independent restaurants to own their customer relationships.", true, ""},
		{"front desks as research (real, Remote OK)", "Our founders spent months interviewing salon managers and working behind front desks to understand their pain points.", true, ""},
		{"a website to visit (real, Remote OK)", "To learn more about our businesses and products, visit www.galaxy.com.", true, ""},
		{"support shifts", "You will work rotating shifts, including weekends, answering customer emails and chats.", true, ""},
		{"support shifts from home", "You will work from home on rotating shifts, answering customer chats.", true, Remote},
		{"a remote job that visits stores", "This is a fully remote role; you will visit our stores twice a year.", true, Remote},
		{"a licence and home office", "Führerschein Klasse B, 2 Tage Homeoffice pro Woche.", true, Hybrid},
		{"tools of software", "We use modern tools and deliver value to customers every week.", true, ""},
		// Elsewhere the source's own flag or default stands.
		{"not a remote-only source", "- Welcome visitors and create a professional, friendly environment.", false, ""},
		{"not a remote-only source, building sites", "Maîtrise des normes de sécurité sur les chantiers.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, def := TextWorkplaceDefault(tt.text, tt.remoteOnly); got != tt.want || !def {
				t.Errorf("TextWorkplaceDefault(%q, remoteOnly %v) = %q, %v; want %q, true", tt.text, tt.remoteOnly, got, def, tt.want)
			}
		})
	}
}

// TestTextWorkplaceFourLanguages: how job ads in English, German, French
// and Spanish say where the work is done: a hybrid model as a count of days
// or a share of the week, remote work ruled out, wholly remote work, some
// work from home granted, and false friends that say nothing of the
// workplace. Hybrid cases are read on a remote-only source, where some work
// from home alone would read remote.
func TestTextWorkplaceFourLanguages(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		remoteOnly bool
		want       string
	}{
		// Hybrid, counted.
		{"days from home", "You work 2 days from home and 3 in our Leeds office.", true, Hybrid},
		{"days a week at our office", "You'll spend three days a week at our office in Austin.", true, Hybrid},
		{"office 2-3 days", "Office 2-3 days a week, the rest of the week wherever you like.", true, Hybrid},
		{"office weekdays", "We meet on Tuesdays and Thursdays in the office.", true, Hybrid},
		{"WFH days", "WFH days: Monday and Friday.", true, Hybrid},
		{"a share of remote work", "40% remote work, 60% with the team in Leeds.", true, Hybrid},
		{"not fully remote", "This role is not fully remote: you will be in the office twice a week.", true, Hybrid},
		{"split between home and the office", "Your week is split between home and the office.", true, Hybrid},
		{"Tage die Woche im Büro", "3 Tage die Woche im Büro, den Rest wo du willst.", true, Hybrid},
		{"Homeoffice an Tagen", "Homeoffice an bis zu 2 Tagen pro Woche.", true, Hybrid},
		{"a share of Homeoffice", "Bis zu 50 % Homeoffice nach der Einarbeitung.", true, Hybrid},
		{"Präsenztage", "Präsenztage in Köln: dienstags und donnerstags.", true, Hybrid},
		{"between Büro and Homeoffice", "Du arbeitest flexibel zwischen Büro und Homeoffice.", true, Hybrid},
		{"hybride Arbeitsmodelle", "Wir bieten hybride Arbeitsmodelle.", true, Hybrid},
		{"full remote ruled out", "Full Remote ist nicht möglich, wir sehen uns 2x pro Woche im Office.", true, Hybrid},
		{"télétravail jusqu'à 2 jours", "Télétravail jusqu'à 2 jours par semaine.", true, Hybrid},
		{"jours au bureau", "3 jours par semaine au bureau de Lille.", true, Hybrid},
		{"share of télétravail", "50 % de télétravail après la période d'essai.", true, Hybrid},
		{"días de teletrabajo", "2 días de teletrabajo a la semana.", true, Hybrid},
		{"trabajo híbrido", "Modelo de trabajo híbrido en Madrid.", true, Hybrid},
		{"días en la oficina", "3 días a la semana en la oficina.", true, Hybrid},
		{"twice a week in the office", "You'll join us twice a week in the office in Leeds.", true, Hybrid},
		{"2x pro Woche im Büro", "2x pro Woche im Büro, sonst im Homeoffice.", true, Hybrid},
		{"five days a week", "Five days a week in the office, Monday to Friday.", true, Onsite},
		{"5 Tage pro Woche vor Ort", "Du arbeitest 5 Tage pro Woche vor Ort in Leipzig.", true, Onsite},
		{"5 jours par semaine sur site", "5 jours par semaine sur site à Nantes.", true, Onsite},
		{"Vor-Ort-Tage", "Zwei Vor-Ort-Tage im Monat in Hannover, sonst mobil.", true, Hybrid},
		{"a share vor Ort", "60 % vor Ort, 40 % flexibel.", true, Hybrid},
		// Wholly remote.
		{"this role is remote", "This role is remote within the US.", false, Remote},
		{"location remote", "Location: Remote", false, Remote},
		{"deutschlandweit remote", "Deutschlandweit remote, mit Teamevents in Hamburg.", false, Remote},
		{"komplett von zu Hause", "Du arbeitest komplett von zu Hause aus.", false, Remote},
		{"ortsunabhängig, wholly", "100 % ortsunabhängig arbeiten.", false, Remote},
		{"télétravail intégral", "Poste en télétravail intégral.", false, Remote},
		{"entièrement en télétravail", "Poste entièrement en télétravail.", false, Remote},
		{"teletrabajo 100", "Teletrabajo 100 %, desde cualquier lugar de España.", false, Remote},
		{"puesto remoto", "Puesto remoto para toda España.", false, Remote},
		// Some work from home, without saying how much.
		{"Homeoffice-Anteil", "Homeoffice-Anteil nach Absprache.", false, Hybrid},
		{"ortsunabhängiges Arbeiten", "Ortsunabhängiges Arbeiten möglich.", false, Hybrid},
		{"ortsunabhängiges Arbeiten, remote-only source", "Ortsunabhängiges Arbeiten möglich.", true, Remote},
		{"von zu Hause", "Arbeiten von zu Hause nach der Einarbeitung.", false, Hybrid},
		{"WFH", "Flexible WFH policy.", false, Hybrid},
		{"posibilidad de teletrabajo", "Posibilidad de teletrabajo.", false, Hybrid},
		// Remote work ruled out.
		{"not a remote position", "Please note this is not a remote position.", true, Onsite},
		{"remote work is not available", "Remote work is not available for this role.", true, Onsite},
		{"entirely on-site", "This is an entirely on-site role.", true, Onsite},
		{"Homeoffice nicht möglich", "Homeoffice ist leider nicht möglich.", true, Onsite},
		{"keine Möglichkeit zum Homeoffice", "Es besteht keine Möglichkeit zum Homeoffice.", true, Onsite},
		{"nicht remote", "Die Stelle ist nicht remote.", true, Onsite},
		{"non télétravaillable", "Poste non télétravaillable.", true, Onsite},
		{"aucun télétravail", "Aucun télétravail possible.", true, Onsite},
		{"sin teletrabajo", "Jornada completa, sin teletrabajo.", true, Onsite},
		{"totalmente presencial", "Puesto totalmente presencial.", true, Onsite},
		// Presence at an office: on-site on a remote-only source, unless
		// home or remote work is granted.
		{"office-based role", "This is an office-based role in Leeds.", true, Onsite},
		{"office-based, days from home", "This is an office-based role with 2 days from home.", true, Hybrid},
		{"Präsenz im Büro", "Wir erwarten Präsenz im Büro in Köln.", true, Onsite},
		{"présence au bureau", "Présence au bureau requise.", true, Onsite},
		{"trabajo en oficina", "Trabajo en oficina en Valencia.", true, Onsite},
		{"office presence elsewhere", "This is an office-based role in Leeds.", false, ""},
		// A location line inside the text.
		{"Remote (EU)", "Location: Berlin or Remote (EU).", false, Remote},
		{"Remote, Deutschland", "Remote, Deutschland", false, Remote},
		// False friends.
		{"remote sensing and control", "Experience with remote sensing data and remote control units.", false, ""},
		{"hybrid cars", "We sell hybrid cars and plug-in hybrid vehicles.", false, ""},
		{"hybrid IT", "Build hybrid integration and hybrid data platforms on hybrid networks.", false, ""},
		{"a hybrid role of two trades", "This is a hybrid role combining marketing and sales.", false, ""},
		{"the UK Home Office", "We hold a Home Office sponsor licence and follow the Home Office's rules.", false, ""},
		{"a team of remote engineers", "Join a team of 40 remote engineers.", false, ""},
		{"hybride Cloud", "Betrieb hybrider Cloud-Infrastrukturen.", false, ""},
		{"wie zu Hause", "Bei uns fühlst du dich wie zu Hause.", false, ""},
		{"architecture hybride", "Conception d'une architecture hybride.", false, ""},
		{"vehículos híbridos", "Mantenimiento de vehículos híbridos y nube híbrida.", false, ""},
		{"atendimento híbrido", "Atendimento híbrido: telefone e e-mail.", false, ""},
		{"mobile working machines", "Hydraulics for mobile working machines.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, def := TextWorkplaceDefault(tt.text, tt.remoteOnly); got != tt.want || !def {
				t.Errorf("TextWorkplaceDefault(%q, remoteOnly %v) = %q, %v; want %q, true", tt.text, tt.remoteOnly, got, def, tt.want)
			}
		})
	}
}

// TestTitleInPerson: titles of jobs done only in person, in five languages,
// and titles that must not be read so.
func TestTitleInPerson(t *testing.T) {
	tests := []struct {
		title string
		want  bool
	}{
		{"Sandwich artist", true},             // real, Remote OK
		{"MECANICIEN AUTOMOBILE (H/F)", true}, // real, France Travail
		{"Chauffeur livreur (H/F)", true},
		{"Elektriker (m/w/d)", true},
		{"Kfz-Mechatroniker:in", true},
		{"Industrial Electrician - Night Shift", true},
		{"Mail Carrier", true},
		{"Store Clerk, part-time", true},
		{"Cajera / Cajero", true},
		{"Virtual Receptionist", false},
		{"Remote Electrician Estimator", false},
		{"Auxiliar Administrativo Remoto", false}, // real, Remote OK
		{"Linux Kernel Driver Engineer", false},
		{"Chef de projet (H/F)", false},
		{"Inside Sales Associate", false},
		{"Information Security Officer", false},
		{"Senior DevOps Engineer (Terraform, Packer)", false},
		{"Game Mechanics Designer", false},
		{"Remote Nurse Case Manager", false},
		{"Field Service Technician", false}, // Skilled Trades' broad "technician": not by the title alone
		{"", false},
	}
	for _, tt := range tests {
		if got := TitleInPerson(tt.title); got != tt.want {
			t.Errorf("TitleInPerson(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

// FuzzTextWorkplace: any text gives one of the workplaces, and the same
// text gives the same answer however it is cased.
func FuzzTextWorkplace(f *testing.F) {
	for _, s := range []string{"2 Tage Homeoffice", "fully remote", "hybrid cloud", "kein Homeoffice", "télétravail", "\xff\xfe hybrid"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, remoteOnly bool) {
		got := TextWorkplace(s, remoteOnly)
		switch got {
		case "", Remote, Hybrid, Onsite:
		default:
			t.Fatalf("TextWorkplace(%q) = %q", s, got)
		}
		if upper := TextWorkplace(strings.ToUpper(s), remoteOnly); upper != got && isASCII(s) {
			t.Fatalf("TextWorkplace(%q) = %q, but %q upper-cased", s, got, upper)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// BenchmarkTextWorkplace reads the workplace from the descriptions (as
// plain text) of the real Remotive capture, every one of which names remote
// work somewhere.
func BenchmarkTextWorkplace(b *testing.B) {
	texts := remotiveTexts(b)
	for i := 0; b.Loop(); i++ {
		TextWorkplace(texts[i%len(texts)], false)
	}
}

// remotiveTexts returns the descriptions of the real Remotive capture as
// plain text, and sets b's bytes per operation to their average length.
func remotiveTexts(b *testing.B) []string {
	var resp struct {
		Jobs []struct {
			Description string `json:"description"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(testenv.RealCapture(b, "remotive/remote-jobs.json"), &resp); err != nil {
		b.Fatal(err)
	}
	var texts []string
	var size int
	for _, j := range resp.Jobs {
		texts = append(texts, PlainText(j.Description))
		size += len(texts[len(texts)-1])
	}
	b.SetBytes(int64(size / len(texts)))
	return texts
}

// TestWorkplaceStems checks that a word of every phrase of
// rules/workplace_text.tsv starts with one of workplaceStems, folded: else
// the quick look for them would pass over a text that names the phrase.
func TestWorkplaceStems(t *testing.T) {
	for first, ps := range wpPhrases {
		for _, p := range ps {
			words := append([]string{first}, p.rest...)
			found := false
			for _, w := range words {
				for _, stem := range workplaceStems {
					found = found || strings.HasPrefix(w, foldString(stem, ""))
				}
			}
			if !found {
				t.Errorf("no word of phrase %q starts with one of workplaceStems", strings.Join(words, " "))
			}
		}
	}
}

// TestTitleInPersonAllocs: the title is read for every posting of a
// remote-only source whose text names no workplace, so it does not
// allocate on each call (its scratch space is pooled; the race detector
// drops some pooled values, hence an average below one, not zero).
func TestTitleInPersonAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { TitleInPerson("Senior Backend Engineer (Go) - Sandwich Artist") }); n >= 1 {
		t.Errorf("TitleInPerson allocates %v times a call, want none", n)
	}
}

// TestTitleWorkplace: a title names its workplace by the phrases of a
// description, or by a bare workplace word that makes a part of the title on
// its own; as a word among others it names a field or a product.
func TestTitleWorkplace(t *testing.T) {
	tests := []struct {
		title      string
		remoteOnly bool
		want       string
	}{
		// Real titles of Arbeitnow (2026-04, 2026-06).
		{"Werkstudent HR & Recruiting - hybrid (w/m/d)", false, Hybrid},
		{"Ex Steuerfachangestellter / Digitaler Buchhalter im SaaS (m/w/d) - Finanzbranche - DATEV - remote", false, Remote},
		{"Produkt-Test Koordinator (remote) auf freier Mitarbeit", false, Remote},
		{"Junior Developer (m/w/d) - Fullstack, Data & AI - 100% Home Office möglich", false, Remote},
		{"Junior Linkbuilding Manager - 100% Remote", false, Remote},
		{"Werkstudent:in im Recruiting (m/w/d) - Remote / Homeoffice", false, Remote},
		{"DevOps / Platform Engineer (m/w/d) REMOTE", false, Remote},
		{"Entgeltabrechner (w/m/d) international mit Homeoffice-Anteil & Englisch", false, Hybrid},
		// Real, Greenhouse (SumUp): a product's name.
		{"Senior/Staff AI Engineer - Remote Care (x/f/m)", false, ""},
		// A grant of some work from home, on a source of remote jobs only.
		{"Kundenberater (m/w/d) – Home-Office möglich", false, Hybrid},
		{"Kundenberater (m/w/d) – Home-Office möglich", true, Remote},
		{"Remote: Senior Go Developer", false, Remote},
		{"Data Engineer | Hybrid", false, Hybrid},
		{"Sales Manager (m/w/d) – vor Ort", false, Onsite},
		{"Développeur Java (H/F) - Télétravail partiel", false, Hybrid},
		{"Desarrollador Backend – Remoto", false, Remote},
		// Words of a field, not of a workplace.
		{"Remote Sensing Scientist", false, ""},
		{"Hybrid Cloud Architect", false, ""},
		{"Remote Support Engineer", false, ""},
		{"Remote Office Assistant", false, ""},
		{"Online Marketing Manager", false, ""},
		{"Full-Stack Developer", false, ""},
		// In-person work is TitleInPerson's, not a workplace named.
		{"Store Manager", true, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := TitleWorkplace(tt.title, tt.remoteOnly); got != tt.want {
			t.Errorf("TitleWorkplace(%q, %v) = %q, want %q", tt.title, tt.remoteOnly, got, tt.want)
		}
	}
}

func TestTitleWorkplaceAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { TitleWorkplace("Senior Backend Engineer (Go) - Remote / Homeoffice", false) }); n >= 1 {
		t.Errorf("TitleWorkplace allocates %v times a call, want none", n)
	}
}
