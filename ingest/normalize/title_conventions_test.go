package normalize

import "testing"

// TestTitleConventions reads titles that hold the words of two families, and
// the usual German, French and Spanish forms of titles, as the role
// vocabulary of ingest/testdata/gold/README.md files them: its "who" column
// says which family each kind of worker belongs to, and the hand labellers
// follow it. Each case names the README's words that decide it. Titles the
// README leaves open (a "Support Engineer", a "Quality Manager" of unstated
// field, an "Agile Coach") are not here.
func TestTitleConventions(t *testing.T) {
	cases := []struct {
		title, role, why string
	}{
		// analysts of two families
		{"Sales Operations Analyst", "Operations", "Operations: revops"},
		{"Business Operations Analyst", "Operations", "Operations: bizops"},
		{"Business Analyst, Operations", "Business Analyst", "Business Analyst: business analysts (a team's name does not change the role)"},
		{"Business Analyst, Finance", "Business Analyst", "Business Analyst: business analysts (a team's name does not change the role)"},
		{"Marketing Data Analyst", "Data Analyst", "Data Analyst: marketing and product analysts"},
		{"Marketing Analyst", "Data Analyst", "Data Analyst: marketing analysts"},
		{"Product Analyst", "Data Analyst", "Data Analyst: product analysts"},
		{"Analyste BI", "Data Analyst", "Data Analyst: BI analysts"},
		{"Analyste d'affaires", "Business Analyst", "Business Analyst: business analysts"},
		{"Compliance Analyst", "Legal & Compliance", "Legal & Compliance: compliance"},
		{"Responsable conformité", "Legal & Compliance", "Legal & Compliance: compliance"},
		{"DPO", "Legal & Compliance", "Legal & Compliance: data protection"},
		{"Finanzanalyst", "Finance", "Finance: finance roles (not accounting)"},
		{"AML Investigator", "Legal & Compliance", "Legal & Compliance: compliance"},
		{"Procurement Analyst", "Procurement & Supply Chain", "Procurement & Supply Chain: procurement"},
		{"Supply Chain Analyst", "Procurement & Supply Chain", "Procurement & Supply Chain: supply chain"},
		{"FP&A Analyst", "Finance", "Finance: FP&A"},
		{"ESG Investment Analyst", "Finance", "Finance: investment roles"},
		// auditors and tax advisers are accountants
		{"Internal Auditor", "Accountant", "Accountant: auditors"},
		{"IT Auditor", "Accountant", "Accountant: auditors"},
		{"Auditeur interne", "Accountant", "Accountant: auditors"},
		{"Mitarbeiter Interne Revision", "Accountant", "Accountant: auditors (Interne Revision is internal audit)"},
		{"Revenue Accountant", "Accountant", "Accountant: accountants"},
		{"Accountant, Sales", "Accountant", "Accountant: accountants (a team's name does not change the role)"},
		{"Buchhalter Vertrieb", "Accountant", "Accountant: Buchhalter of every kind (a team's name does not change the role)"},
		{"Tax Consultant", "Accountant", "Accountant: tax advisers (Steuerberater, in English also tax consultant)"},
		{"Steuerberater", "Accountant", "Accountant: tax advisers (Steuerberater)"},
		{"Tax Manager", "Finance", "Finance: tax (not a tax adviser)"},
		{"Financial Controller", "Accountant", "Accountant: controllers (accounting)"},
		// people and talent
		{"People Partner", "HR", "HR: HR business partners"},
		{"Payroll Specialist", "HR", "HR: payroll"},
		{"Talent Partner", "Recruiter", "Recruiter: talent acquisition"},
		{"Recruiting Coordinator, Sales", "Recruiter", "Recruiter: recruiters (a team's name does not change the role)"},
		{"Recruiter, Go-To-Market", "Recruiter", "Recruiter: recruiters (a team's name does not change the role)"},
		{"HR Business Partner, Sales", "HR", "HR: HR business partners (a team's name does not change the role)"},
		{"Teamleiter Personal", "HR", "HR: human resources"},
		{"Counsel, Commercial", "Legal & Compliance", "Legal & Compliance: counsel (a team's name does not change the role)"},
		{"Tax Attorney", "Legal & Compliance", "Legal & Compliance: lawyers"},
		// customers
		{"Implementation Engineer", "Customer Success", "Customer Success: implementation of customers"},
		{"Implementation Consultant", "Customer Success", "Customer Success: implementation of customers"},
		{"Chargé de réussite client", "Customer Success", "Customer Success: customer success (réussite client)"},
		{"Gerente de éxito del cliente", "Customer Success", "Customer Success: customer success (éxito del cliente)"},
		{"Kundenerfolgsmanager", "Customer Success", "Customer Success: customer success (Kundenerfolg)"},
		{"Customer Support Engineer", "Customer Support", "Customer Support: support agents"},
		{"Trust & Safety Analyst", "Content Moderator", "Content Moderator: trust & safety"},
		{"Partnerships Manager", "Business Development", "Business Development: partnerships"},
		{"Responsable partenariats", "Business Development", "Business Development: partnerships"},
		{"Gerente de alianzas", "Business Development", "Business Development: alliances"},
		// marketing, design, writing
		{"Growth Marketing Manager", "Marketing", "Marketing: growth"},
		{"Product Marketing Manager", "Marketing", "Marketing: product marketing"},
		{"Product Designer", "UX/UI Designer", "UX/UI Designer: product designers"},
		{"Brand Designer", "Graphic Designer", "Graphic Designer: brand designers"},
		{"3D Generalist", "3D Artist", "3D Artist: 3D artists"},
		{"3D Designer", "3D Artist", "3D Artist: 3D artists"},
		{"Chefredakteur", "Media & Journalism", "Media & Journalism: editors of media"},
		{"Rédacteur en chef", "Media & Journalism", "Media & Journalism: editors of media"},
		{"Documentation Engineer", "Technical Writer", "Technical Writer: documentation"},
		{"Responsable communication", "Communications & PR", "Communications & PR: communications"},
		{"Conservateur du patrimoine", "Arts & Culture", "Arts & Culture: curators, heritage"},
		{"Marketing Copywriter", "Writer", "Writer: copywriters"},
		{"Producteur", "Media & Journalism", "Media & Journalism: producers"},
		{"Pharmazeutischer Referent", "Sales", "Sales: sales representatives"},
		{"Visiteur médical", "Sales", "Sales: sales representatives"},
		// teaching
		{"Sales Trainer", "Teacher & Trainer", "Teacher & Trainer: trainers, coaches"},
		// projects, products, operations
		{"Chief of Staff", "Operations", "Operations: chief of staff"},
		{"Program Manager", "Project Manager", "Project Manager: program managers"},
		{"Delivery Lead", "Project Manager", "Project Manager: delivery managers"},
		{"Responsable produit", "Product Manager", "Product Manager: product managers"},
		{"Officemanager", "Operations", "Operations: office managers"},
		// software architects, not building architects
		{"Solutions Architect", "Software Architect", "Software Architect: solution architects"},
		{"Architecte SI", "Software Architect", "Software Architect: enterprise architects"},
		{"Architecte cloud", "Software Architect", "Software Architect: cloud architects"},
		{"Architecte d'entreprise", "Software Architect", "Software Architect: enterprise architects"},
		{"Lösungsarchitekt", "Software Architect", "Software Architect: solution architects"},
		{"Architecte d'intérieur", "Architect", "Architect: building architects"},
		// engineers of software families
		{"Team Lead Software Development", "Engineering Manager", "Engineering Manager: team leads of developers"},
		{"Research Scientist, Machine Learning", "Machine Learning Engineer", "Machine Learning Engineer: ML researchers"},
		{"Artificial Intelligence Engineer", "Machine Learning Engineer", "Machine Learning Engineer: AI engineers"},
		{"Ingénieur en intelligence artificielle", "Machine Learning Engineer", "Machine Learning Engineer: AI engineers"},
		{"LLM Evaluator", "AI Trainer", "AI Trainer: rating AI models"},
		{"Annotateur de données", "AI Trainer", "AI Trainer: annotators"},
		{"Datenbankadministrator", "Database Administrator", "Database Administrator: DBAs"},
		{"Administrateur base de données", "Database Administrator", "Database Administrator: DBAs"},
		{"IT-Sicherheitsbeauftragter", "Security Engineer", "Security Engineer: security engineers"},
		{"Analyste SOC", "Security Engineer", "Security Engineer: SOC"},
		{"Technical Evangelist", "Developer Relations", "Developer Relations: evangelists"},
		{"Ingénieur infrastructure", "DevOps Engineer", "DevOps Engineer: infrastructure engineers"},
		{"Ingeniero de plataforma", "DevOps Engineer", "DevOps Engineer: platform engineers"},
		{"Ingeniero de preventa", "Sales Engineer", "Sales Engineer: presales engineers"},
		{"Ingénieur test logiciel", "QA Engineer", "QA Engineer: testers of software"},
		{"Ingénieur recette", "QA Engineer", "QA Engineer: testers of software"},
		{"Ingeniero de pruebas", "QA Engineer", "QA Engineer: testers"},
		{"Testmanager", "QA Engineer", "QA Engineer: testers"},
		{"Testautomatisierer", "QA Engineer", "QA Engineer: test automation"},
		// engineers outside software
		{"Hardwareentwickler", "Embedded Engineer", "Embedded Engineer: hardware engineers"},
		{"Ingénieur hardware", "Embedded Engineer", "Embedded Engineer: hardware engineers"},
		{"Ingénieur logiciel embarqué", "Embedded Engineer", "Embedded Engineer: embedded"},
		{"Ingénieur robotique", "Embedded Engineer", "Embedded Engineer: robotics engineers"},
		{"Elektronikentwickler", "Electrical Engineer", "Electrical Engineer: electronics"},
		{"Energy Consultant", "Environment & Safety", "Environment & Safety: energy roles (a consultant's field, not consulting itself)"},
		{"Sustainability Consultant", "Environment & Safety", "Environment & Safety: sustainability"},
		{"Responsable RSE", "Environment & Safety", "Environment & Safety: sustainability"},
		// science and health
		{"Lab Technician", "Scientist", "Scientist: lab research"},
		{"Medical Laboratory Technician", "Healthcare Professional", "Healthcare Professional: other health workers"},
		{"Orthodontist", "Healthcare Professional", "Healthcare Professional: dentists"},
		{"Kieferorthopäde", "Healthcare Professional", "Healthcare Professional: dentists"},
		{"Odontóloga", "Healthcare Professional", "Healthcare Professional: dentists"},
		{"Oncologist", "Physician", "Physician: medical specialists"},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			if role, _ := Title(c.title); role != c.role {
				t.Errorf("Title(%q) role = %q, want %q (%s)", c.title, role, c.role, c.why)
			}
		})
	}
}
