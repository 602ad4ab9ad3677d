package normalize

import "testing"

// TestTitleVocabularyEnglish reads English job titles of the whole economy,
// written from general knowledge of occupations (the common titles of O*NET
// and ESCO), not from the gold sets or the captures: each family of the role
// vocabulary with its usual titles and synonyms, titles whose words belong to
// broader families ("Account Executive" is Sales, "Solutions Engineer" a Sales
// Engineer, "Medical Secretary" an Administrative Assistant, "Nursing
// Assistant" no Nurse), and occupations no family fits ("").
func TestTitleVocabularyEnglish(t *testing.T) {
	checkTitleFamilies(t, []titleFamily{
		{"3D Artist", []string{
			"3D Animator",
		}},
		{"AI Trainer", []string{
			"AI Trainer", "Data Annotator",
		}},
		{"Accountant", []string{
			"Tax Adviser", "Tax Advisor",
			"Accountant", "Staff Accountant", "Bookkeeper", "Accounts Payable Specialist",
			"Accounts Receivable Clerk", "Internal Auditor", "Financial Controller", "Tax Accountant", "CPA",
			"Accounting Clerk", "Billing Specialist", "Cost Accountant", "Financial Accountant", "Auditor",
			"Fund Accountant", "Revenue Accountant", "Accounts Payable Clerk", "Medical Biller",
		}},
		{"Administrative Assistant", []string{
			"Legal Secretary", "Medical Secretary", "Receptionist", "Executive Assistant",
			"Administrative Assistant", "Office Assistant", "Office Administrator", "Secretary",
			"Data Entry Clerk", "Virtual Assistant", "Personal Assistant", "Administrative Coordinator",
			"File Clerk", "Medical Receptionist", "Front Office Coordinator", "Mailroom Clerk",
			"Administrative Officer", "Office Clerk", "Executive Secretary", "Admin Assistant",
			"Front Desk Receptionist", "Data Entry Operator", "Typist", "Records Clerk",
			"Administrative Specialist", "Executive Administrator", "Office Coordinator",
		}},
		{"Architect", []string{
			"Architect", "Urban Planner", "Landscape Architect", "Interior Architect", "Architectural Designer",
			"Architectural Technologist",
		}},
		{"Arts & Culture", []string{
			"Curator", "Archivist", "Musician", "Tattoo Artist", "Choreographer",
		}},
		{"Backend Engineer", []string{
			"Backend Engineer",
		}},
		{"Business Analyst", []string{
			"Business Analyst", "Business Systems Analyst", "Process Analyst",
		}},
		{"Business Development", []string{
			"Business Development Manager", "Partnerships Manager", "Channel Manager", "Alliance Manager",
			"Strategic Partnerships Lead",
		}},
		{"Civil Engineer", []string{
			"Structural Engineer", "Civil Engineer", "Site Engineer", "Quantity Surveyor", "Construction Manager",
			"Construction Estimator",
		}},
		{"Communications & PR", []string{
			"Public Relations Specialist", "PR Manager", "Communications Manager",
			"Internal Communications Specialist", "Press Officer", "Spokesperson",
		}},
		{"Consultant", []string{
			"Management Consultant", "Strategy Consultant", "SAP Consultant", "IT Consultant",
			"Business Consultant", "Management Analyst",
		}},
		{"Content Moderator", []string{
			"Content Moderator",
		}},
		{"Creative Director", []string{
			"Art Director",
		}},
		{"Customer Success", []string{
			"Customer Success Manager", "Client Success Manager", "Customer Success Associate",
			"Onboarding Specialist", "Customer Onboarding Manager", "Implementation Consultant",
			"Implementation Specialist", "Implementation Manager", "Customer Success Operations Manager",
			"Renewals Manager", "Client Onboarding Associate", "Team Lead CSM", "Senior CSM",
		}},
		{"Customer Support", []string{
			"Customer Service Representative", "Customer Support Agent", "Call Center Agent",
			"Customer Care Specialist", "Technical Support Representative", "Contact Center Representative",
			"Customer Experience Associate", "Chat Support Agent", "Customer Service Advisor",
			"Client Services Associate", "Member Services Representative", "Call Centre Operator",
			"Complaints Handler", "Customer Care Representative", "Customer Service Supervisor",
			"Email Support Specialist", "Chat Agent",
		}},
		{"Data Analyst", []string{
			"Data Analyst", "BI Analyst", "Marketing Analyst", "Reporting Analyst", "Market Research Analyst",
		}},
		{"Data Engineer", []string{
			"Data Engineer", "Analytics Engineer",
		}},
		{"Data Scientist", []string{
			"Data Scientist",
		}},
		{"Database Administrator", []string{
			"Database Administrator", "SQL Server DBA",
		}},
		{"Designer", []string{
			"Interior Designer", "Fashion Designer", "Industrial Designer", "Floral Designer", "Set Designer",
		}},
		{"DevOps Engineer", []string{
			"Cloud Engineer", "Platform Engineer",
		}},
		{"Developer Relations", []string{
			"Developer Advocate",
		}},
		{"Electrical Engineer", []string{
			"Electrical Engineer", "RF Engineer", "Power Systems Engineer",
		}},
		{"Embedded Engineer", []string{
			"Firmware Engineer", "Robotics Engineer", "Hardware Engineer",
		}},
		{"Engineering Manager", []string{
			"Engineering Manager", "VP of Engineering",
		}},
		{"Environment & Safety", []string{
			"EHS Manager", "Health and Safety Officer", "Safety Manager", "Sustainability Manager",
			"Environmental Engineer", "Energy Analyst", "Safety Coordinator",
			"Environmental Health and Safety Specialist", "Environmental Technician", "Safety Officer",
			"Recycling Coordinator",
		}},
		{"Executive", []string{
			"CEO", "Chief Executive Officer", "Managing Director", "General Manager", "Co-Founder", "President",
			"Founder & CEO", "President & CEO", "Executive Director",
		}},
		{"Finance", []string{
			"Financial Analyst", "FP&A Analyst", "FP&A Manager", "Treasury Analyst", "Credit Analyst",
			"Investment Analyst", "Investment Banking Analyst", "Equity Research Associate", "Portfolio Manager",
			"Loan Officer", "Mortgage Underwriter", "Credit Underwriter", "Financial Advisor", "Wealth Manager",
			"Bank Teller", "Relationship Manager, Private Banking", "Tax Manager", "Quantitative Analyst",
			"Finance Manager", "Head of Finance", "Chief Financial Officer", "Collections Specialist",
			"Payments Analyst", "Valuation Analyst", "Venture Capital Associate", "Private Equity Associate",
			"Financial Planner", "Investment Banker", "Treasury Manager", "Budget Analyst", "Loan Processor",
			"Equity Analyst", "Pricing Analyst", "Investment Associate", "Credit Counselor", "Debt Counsellor",
			"Loan Closer",
		}},
		{"Frontend Engineer", []string{
			"React Developer",
		}},
		{"Full Stack Developer", []string{
			"Full Stack Developer",
		}},
		{"Game Designer", []string{
			"Level Designer",
		}},
		{"Game Developer", []string{
			"Unity Developer",
		}},
		{"Graphic Designer", []string{
			"Graphic Designer", "Illustrator", "Motion Designer",
		}},
		{"HR", []string{
			"HR Generalist", "HR Business Partner", "People Operations Manager", "Payroll Specialist",
			"Compensation Analyst", "Benefits Administrator", "HRIS Analyst", "Human Resources Manager",
			"Chief People Officer", "Employee Relations Specialist", "HR Assistant", "HR Coordinator",
			"Compensation and Benefits Manager", "Payroll Clerk", "Labor Relations Specialist", "HR Administrator",
			"Personnel Officer", "Head of People", "VP, People & Culture",
		}},
		{"Healthcare Professional", []string{
			"Pharmacist", "Dentist", "Pharmacy Technician", "Physiotherapist", "Physical Therapist", "Occupational Therapist",
			"Dental Hygienist", "Dental Assistant", "Medical Assistant", "Caregiver",
			"Certified Nursing Assistant (CNA)", "CNA", "Phlebotomist", "Radiographer", "Radiologic Technologist",
			"Respiratory Therapist", "Speech-Language Pathologist", "Psychologist", "Clinical Psychologist",
			"Mental Health Counselor", "Dietitian", "Optometrist", "Paramedic", "EMT",
			"Emergency Medical Technician", "Home Health Aide", "Support Worker", "Care Assistant", "Sonographer",
			"Chiropractor", "Audiologist", "Massage Therapist", "Behavior Technician", "Surgical Technologist",
			"Medical Coder", "Licensed Clinical Social Worker", "Pharmacy Assistant", "Dental Nurse",
			"Veterinary Technician", "Occupational Therapy Assistant", "Physical Therapist Assistant",
			"Home Care Worker", "Personal Care Assistant", "Hospice Aide", "Patient Care Technician",
			"Psychiatric Technician", "Addiction Counselor", "Marriage and Family Therapist", "Optician",
			"Clinical Pharmacist", "Speech Therapist", "Sterile Processing Technician", "Dialysis Technician",
			"Pharmacy Tech", "Medical Technologist", "Anesthesia Technician", "Athletic Trainer",
			"Exercise Physiologist", "Physician Assistant", "Acupuncturist", "Genetic Counselor",
			"Histotechnologist", "Cytotechnologist", "Medical Dosimetrist", "Pharmacy Aide", "Orderly",
			"Nuclear Medicine Technologist", "Medical Assistant (CMA)", "Veterinary Assistant",
		}},
		{"Hospitality & Travel", []string{
			"Barista", "Server", "Line Cook", "Prep Cook", "Sous Chef", "Housekeeper", "Room Attendant",
			"Front Desk Agent", "Front Desk Clerk", "Travel Agent", "Travel Consultant", "Bartender", "Dishwasher",
			"Host / Hostess", "Waiter", "Food and Beverage Manager", "Hotel Manager", "Restaurant Manager",
			"Kitchen Porter", "Bellhop", "Flight Attendant", "Personal Trainer", "Lifeguard", "Tour Guide",
			"Guest Services Agent", "Baker", "Pastry Chef", "Busser", "Banquet Server", "Swim Instructor",
			"Fitness Instructor", "Ski Instructor", "Head Chef", "Kitchen Manager", "Cook", "Crew Member",
			"Night Auditor", "Concierge", "Reservations Agent", "Catering Assistant", "Housekeeping Supervisor",
			"Tour Operator", "Gym Manager", "Spa Manager", "Casino Dealer", "Croupier", "Cafe Manager",
			"Bakery Assistant", "Food Service Worker", "Lodging Manager", "Football Coach",
			"Strength and Conditioning Coach", "Food Prep Worker", "Fast Food Crew Member", "Recreation Worker",
			"Esthetician", "Nail Technician", "Beautician", "Flight Steward", "Horse Riding Instructor",
		}},
		{"IT Support", []string{
			"IT Support Specialist", "Help Desk Technician", "Desktop Support Technician", "Service Desk Analyst",
			"IT Technician", "Technical Support Specialist", "Computer Technician", "Desktop Support Analyst",
			"Computer Repair Technician",
		}},
		{"Insurance", []string{
			"Claims Adjuster", "Insurance Underwriter", "Actuary", "Actuarial Analyst", "Claims Examiner",
			"Insurance Agent", "Loss Adjuster", "Claims Handler", "Claims Representative", "Insurance Broker",
			"Reinsurance Analyst", "Claims Processor",
		}},
		{"Legal & Compliance", []string{
			"Paralegal", "Legal Assistant", "Compliance Officer", "Compliance Analyst", "Corporate Counsel",
			"General Counsel", "Associate Attorney", "Regulatory Affairs Specialist", "Contract Manager",
			"AML Analyst", "Notary Public", "Law Clerk", "Legal Counsel", "Litigation Associate", "Attorney",
			"Contracts Administrator", "Compliance Manager", "Privacy Counsel", "Patent Attorney",
			"Trademark Paralegal", "Solicitor", "Head of AML", "KYC Analyst",
		}},
		{"Machine Learning Engineer", []string{
			"Machine Learning Engineer", "AI Engineer",
		}},
		{"Marketing", []string{
			"SEO Specialist", "PPC Specialist", "Growth Marketing Manager", "Lifecycle Marketing Manager",
			"Demand Generation Manager", "Content Marketing Manager", "Social Media Manager", "Brand Manager",
			"Email Marketing Specialist", "Performance Marketing Manager", "Digital Marketing Specialist",
			"Marketing Coordinator", "Product Marketing Manager", "Community Manager", "CRM Manager",
			"Paid Social Specialist", "Paid Media Manager", "Chief Marketing Officer", "CMO", "Head of Growth",
			"Influencer Marketing Manager", "Marketing Automation Specialist", "Affiliate Manager",
			"Ecommerce Manager", "Marketing Manager", "SEO Manager", "SEM Specialist", "Digital Marketing Manager",
			"Marketing Assistant", "Growth Hacker", "Marketing Operations Manager", "Media Buyer",
			"Casino Marketing Manager",
		}},
		{"Mechanical Engineer", []string{
			"Mechanical Engineer", "Manufacturing Engineer", "Process Engineer", "Industrial Engineer",
		}},
		{"Media & Journalism", []string{
			"Journalist", "Reporter", "Video Editor", "Photographer", "Podcast Producer", "News Anchor",
			"Camera Operator", "Video Producer", "Film Editor", "Broadcast Journalist", "Radio Host",
			"Photojournalist", "Editor-in-Chief", "Managing Editor", "Cinematographer", "Broadcast Technician",
			"Sound Technician", "AV Technician",
		}},
		{"Mobile Developer", []string{
			"iOS Developer",
		}},
		{"Nurse", []string{
			"Registered Nurse", "Licensed Practical Nurse", "Nurse Practitioner", "Midwife", "Charge Nurse",
			"ICU Nurse", "Travel Nurse", "Nurse Manager", "Clinical Nurse Specialist", "Director of Nursing",
			"LVN", "CRNA", "Nurse Anesthetist", "Nurse Midwife",
		}},
		{"Operations", []string{
			"Office Manager", "Chief of Staff", "Business Operations Manager", "Revenue Operations Analyst",
			"RevOps Manager", "BizOps Analyst", "Operations Associate", "Operations Coordinator",
			"Operations Manager", "Strategy & Operations Manager", "Facilities Manager", "Facilities Coordinator",
			"Director of Operations", "Operations Analyst", "Sales Operations Specialist", "Plant Manager",
			"Operations Director", "Business Operations Associate", "Strategy Analyst", "Chief Operating Officer",
			"Deal Desk Specialist",
		}},
		{"Physician", []string{
			"Family Physician", "General Practitioner", "Anesthesiologist", "Hospitalist",
			"Veterinarian", "Orthopedic Surgeon", "Psychiatrist", "Resident Physician",
			"Emergency Medicine Physician", "Dermatologist", "Oral Surgeon",
		}},
		{"Procurement & Supply Chain", []string{
			"Buyer", "Purchaser", "Purchasing Agent", "Sourcing Specialist", "Procurement Manager",
			"Logistics Coordinator", "Warehouse Associate", "Warehouse Operative", "Inventory Specialist",
			"Inventory Control Clerk", "Dispatcher", "Fulfillment Associate", "Supply Chain Analyst",
			"Forklift Operator", "Material Handler", "Shipping and Receiving Clerk", "Order Picker",
			"Demand Planner", "Stock Controller", "Vendor Manager", "Freight Forwarder", "Storekeeper",
			"Receiving Associate", "Supply Chain Manager", "Logistics Manager", "Warehouse Supervisor",
			"Shipping Clerk", "Picker Packer", "Inventory Manager", "Purchasing Manager", "Procurement Specialist",
			"Import Export Coordinator", "Logistics Analyst", "Distribution Center Associate",
			"Distribution Manager", "Production Planner", "Supply Planner", "Fleet Coordinator", "Logistician",
			"Package Handler", "Parcel Sorter",
		}},
		{"Product Manager", []string{
			"Product Owner", "Product Manager", "Group Product Manager", "Chief Product Officer",
		}},
		{"Project Manager", []string{
			"Project Manager", "Program Manager", "Project Coordinator", "Scrum Master", "Delivery Manager",
			"Construction Project Manager", "Technical Program Manager",
		}},
		{"Public Sector", []string{
			"Police Officer", "Firefighter", "Correctional Officer", "Customs Officer", "Probation Officer",
			"Police Detective", "Border Patrol Agent", "911 Dispatcher", "Emergency Dispatcher",
			"Corrections Officer", "State Trooper", "Transportation Security Officer",
		}},
		{"QA Engineer", []string{
			"QA Analyst", "Software Tester",
		}},
		{"Recruiter", []string{
			"Recruiter", "Technical Recruiter", "Talent Acquisition Partner", "Talent Sourcer",
			"Recruitment Consultant", "Recruiting Coordinator",
		}},
		{"Sales", []string{
			"Account Executive", "Account Manager", "Enterprise Account Executive", "Key Account Manager",
			"Sales Development Representative", "Business Development Representative",
			"Inside Sales Representative", "Outside Sales Representative", "Retail Sales Associate", "Cashier",
			"Store Manager", "Assistant Store Manager", "Sales Associate", "Territory Sales Manager",
			"Regional Sales Manager", "Real Estate Agent", "Car Salesperson", "Salesperson", "Sales Consultant",
			"Shelf Stocker", "Retail Store Supervisor", "Telemarketer", "Pharmaceutical Sales Representative",
			"Medical Sales Representative", "Shop Assistant", "Sales Clerk", "Sales Manager", "Sales Director",
			"VP of Sales", "Sales Representative", "Field Sales Representative", "Sales Advisor",
			"Retail Associate", "Retail Assistant", "Sales Floor Associate", "Leasing Consultant", "Leasing Agent",
			"Car Sales Executive", "Sales Coordinator", "Account Director", "Rental Agent", "Product Promoter",
			"Product Demonstrator", "Appointment Setter", "High Ticket Closer", "Cold Caller",
		}},
		{"Sales Engineer", []string{
			"Solutions Engineer", "Pre-Sales Consultant", "Presales Engineer", "Solutions Consultant",
			"Technical Sales Engineer",
		}},
		{"Scientist", []string{
			"Research Scientist, Biology", "Chemist", "Lab Technician", "Laboratory Technician", "Biostatistician",
			"Microbiologist", "Lab Assistant", "Research Chemist", "Geologist", "Physicist", "Food Scientist",
			"Agronomist", "Pharmacologist", "Laboratory Analyst", "Chemical Technician", "Biological Technician",
		}},
		{"Security Engineer", []string{
			"Security Analyst", "SOC Analyst",
		}},
		{"Site Reliability Engineer", []string{
			"Site Reliability Engineer",
		}},
		{"Skilled Trades", []string{
			"Electrician", "Journeyman Electrician", "Plumber", "HVAC Technician", "Welder", "Carpenter",
			"Mechanic", "Auto Mechanic", "Diesel Mechanic", "Automotive Technician", "Maintenance Technician",
			"Maintenance Mechanic", "Field Service Technician", "Painter", "Roofer", "Bricklayer", "Mason",
			"Pipefitter", "Locksmith", "Glazier", "Plasterer", "Tiler", "Joiner", "Machinist", "CNC Machinist",
			"Elevator Installer", "Solar Installer", "Aircraft Mechanic", "Boilermaker", "Sheet Metal Worker",
			"Apprentice Electrician", "Refrigeration Technician", "Wind Turbine Technician", "Apprentice Plumber",
			"Industrial Electrician", "HVAC Installer", "Auto Body Technician", "Heavy Equipment Mechanic",
			"Diesel Technician", "Service Technician", "Facilities Technician", "Building Maintenance Worker",
			"Tool and Die Maker", "Welder Fabricator", "Pipe Welder", "Framer", "Concrete Finisher",
			"Flooring Installer", "Cabinet Maker", "Aviation Maintenance Technician", "Electrician Helper",
			"Tailor", "Seamstress", "Jeweler", "Watchmaker", "Woodworker", "Insulation Installer", "Pipelayer",
		}},
		{"Software Architect", []string{
			"Solutions Architect",
		}},
		{"Software Engineer", []string{
			"Software Engineer", "Salesforce Developer", "Java Developer", "Retail Software Engineer",
		}},
		{"System Administrator", []string{
			"Network Administrator", "Systems Administrator", "Network Engineer", "IT Administrator",
			"Windows Server Specialist",
		}},
		{"Teacher & Trainer", []string{
			"Tutor", "Math Tutor", "English Teacher", "ESL Teacher", "Instructor", "Lecturer",
			"Assistant Professor", "Teaching Assistant", "Curriculum Developer", "Corporate Trainer",
			"Early Childhood Educator", "Preschool Teacher", "Substitute Teacher", "Special Education Teacher",
			"Career Coach", "Learning and Development Manager", "Instructional Designer", "Driving Instructor",
			"Librarian", "Nanny", "Math Teacher", "High School Teacher", "Kindergarten Teacher",
			"Teacher Assistant", "Paraprofessional", "Paraeducator", "Adjunct Professor", "Online English Tutor",
			"Music Teacher", "Training Specialist", "Daycare Teacher", "Childcare Worker", "Library Assistant",
			"Teacher Aide",
		}},
		{"Technical Writer", []string{
			"Technical Writer", "Documentation Specialist",
		}},
		{"Translator", []string{
			"Translator", "Interpreter", "Localization Specialist", "Sign Language Interpreter",
			"Court Interpreter", "Medical Interpreter", "Subtitler", "Localisation Manager",
		}},
		{"UX/UI Designer", []string{
			"UX Designer", "Product Designer", "UX Researcher",
		}},
		{"Writer", []string{
			"Content Writer", "Copywriter", "Content Creator", "Ghostwriter", "Proofreader", "Grant Writer",
			"Speechwriter", "Freelance Writer", "Scriptwriter",
		}},
		{"", []string{
			"Truck Driver", "Delivery Driver", "Janitor", "Cleaner", "Security Guard", "Production Operator",
			"Assembly Line Worker", "Farmworker", "Landscaper", "Dog Walker", "Dog Trainer", "Hair Stylist",
			"Barber", "Airline Pilot", "Bus Driver", "Construction Laborer", "Machine Operator", "Assembler",
			"Custodian", "Groundskeeper", "Property Manager", "Funeral Director", "Model", "Animal Care Assistant",
			"Kennel Assistant", "Pet Groomer",
		}},
	})
}

// titleFamily is a role and titles that read as it.
type titleFamily struct {
	role   string
	titles []string
}

// checkTitleFamilies checks that each title of each family reads as its
// role.
func checkTitleFamilies(t *testing.T, families []titleFamily) {
	t.Helper()
	for _, f := range families {
		for _, title := range f.titles {
			t.Run(title, func(t *testing.T) {
				if role, _ := Title(title); role != f.role {
					t.Errorf("Title(%q) role = %q, want %q", title, role, f.role)
				}
			})
		}
	}
}
