package sample

// The tables the generated jobs are drawn from. Every role title, location
// and salary text here is one that package normalize reads (see
// TestNormalized): the report built on sample data shows roles, countries,
// regions, skills and salaries, as it would on real data.

// role is a job family as a board lists it.
type role struct {
	title    string
	norm     string // the role package normalize reads in the title
	category string // Remotive's category
	weight   float64
	// salary is a typical yearly pay in US dollars at no stated seniority.
	salary int
	// skills are the tags a posting of the role draws from, most usual
	// first.
	skills []string
	// levels is how many of seniorities the role's titles draw from.
	levels int
}

// roles, with weights that make some much more common than others, as on a
// real board. The weight of a role also drifts over time (see roleWeight).
var roles = []role{
	{"Backend Engineer", "Backend Engineer", "Software Development", 14, 135_000,
		[]string{"go", "python", "postgresql", "aws", "docker", "kubernetes", "java", "kafka", "redis", "microservices"}, allLevels},
	{"Frontend Developer", "Frontend Engineer", "Software Development", 10, 115_000,
		[]string{"react", "typescript", "javascript", "css", "html", "next.js", "vue", "graphql", "tailwind"}, allLevels},
	{"Full Stack Developer", "Full Stack Developer", "Software Development", 9, 120_000,
		[]string{"react", "node.js", "typescript", "postgresql", "ruby on rails", "django", "aws", "graphql"}, allLevels},
	{"Data Engineer", "Data Engineer", "Data", 7, 140_000,
		[]string{"python", "sql", "spark", "airflow", "dbt", "snowflake", "kafka", "aws", "bigquery"}, allLevels},
	{"Data Analyst", "Data Analyst", "Data", 5, 85_000,
		[]string{"sql", "excel", "tableau", "python", "looker", "power bi", "statistics"}, noLead},
	{"Machine Learning Engineer", "Machine Learning Engineer", "Data", 5, 165_000,
		[]string{"python", "pytorch", "machine learning", "llm", "tensorflow", "aws", "kubernetes", "nlp"}, allLevels},
	{"DevOps Engineer", "DevOps Engineer", "DevOps / Sysadmin", 6, 130_000,
		[]string{"terraform", "kubernetes", "aws", "docker", "ansible", "ci/cd", "linux", "gcp", "azure"}, allLevels},
	{"Site Reliability Engineer", "Site Reliability Engineer", "DevOps / Sysadmin", 3, 150_000,
		[]string{"kubernetes", "go", "terraform", "linux", "aws", "datadog", "python"}, allLevels},
	{"Product Designer", "UX/UI Designer", "Design", 4, 110_000,
		[]string{"figma", "ux", "prototyping", "design", "sketch", "research"}, allLevels},
	{"Product Manager", "Product Manager", "Product", 4, 140_000,
		[]string{"product management", "agile", "jira", "sql", "saas", "analytics"}, juniorToLead},
	{"QA Engineer", "QA Engineer", "QA", 2, 90_000,
		[]string{"test automation", "javascript", "python", "jira", "api", "agile"}, juniorToLead},
	{"Customer Success Manager", "Customer Success", "Customer Service", 3, 75_000,
		[]string{"salesforce", "hubspot", "saas", "crm", "account management"}, juniorToLead},
	{"Technical Writer", "Technical Writer", "Writing", 1, 85_000,
		[]string{"api", "git", "content", "markdown", "saas"}, juniorToLead},
	{"Sales Development Representative", "Sales", "Sales / Business", 2, 60_000,
		[]string{"salesforce", "hubspot", "sales", "business development", "crm", "saas"}, juniorToLead},
	{"Mobile Developer", "Mobile Developer", "Software Development", 3, 125_000,
		[]string{"swift", "kotlin", "react native", "flutter", "ios", "android"}, allLevels},
}

// seniorities are title prefixes with their pay relative to no prefix, the
// usual ones first: a role's titles draw from the first levels of them.
// Empty prefixes are the most common, as on real boards.
var seniorities = []struct {
	prefix string
	pay    float64
}{
	{"", 1}, {"", 1}, {"", 1}, {"Senior ", 1.25}, {"Senior ", 1.25}, {"Junior ", 0.75}, {"Lead ", 1.35},
	{"Staff ", 1.5}, {"Principal ", 1.65},
}

// Levels of roles: how many of seniorities they draw from.
const (
	allLevels    = 9 // up to Principal
	juniorToLead = 7 // up to Lead (package normalize reads "Staff" only before engineering words)
	// noLead stops before Lead: package normalize reads "Lead Data" as
	// French ("lead data", a data engineer), so "Lead Data Analyst" would
	// count as a data engineer.
	noLead = 6
)

// currency says how a location's salaries are written.
type currency int

const (
	usd currency = iota
	eur
	gbp
)

// location is a candidate_required_location text with how often it occurs,
// the currency its salaries are stated in, and the pay relative to the US.
type location struct {
	text   string
	weight int
	cur    currency
	pay    float64
}

var locations = []location{
	{"Worldwide", 12, usd, 0.9},
	{"Anywhere in the world", 2, usd, 0.9},
	{"USA", 10, usd, 1},
	{"USA, Canada", 3, usd, 1},
	{"USA timezones", 2, usd, 1},
	{"New York, NY", 1, usd, 1.1},
	{"San Francisco, CA", 1, usd, 1.15},
	{"Canada", 2, usd, 0.85},
	{"Toronto, Canada", 1, usd, 0.85},
	{"Americas, Europe, Israel", 2, usd, 0.9},
	{"Europe", 7, eur, 0.75},
	{"EMEA", 2, eur, 0.75},
	{"CET +/- 3h", 1, eur, 0.75},
	{"UK", 3, gbp, 0.8},
	{"London, UK", 1, gbp, 0.85},
	{"UK and Ireland", 1, gbp, 0.8},
	{"Germany", 3, eur, 0.8},
	{"Berlin, Germany", 1, eur, 0.8},
	{"DACH", 1, eur, 0.8},
	{"France", 2, eur, 0.7},
	{"Spain", 2, eur, 0.6},
	{"Portugal", 1, eur, 0.55},
	{"Netherlands", 2, eur, 0.8},
	{"Poland", 2, eur, 0.55},
	{"Nordics", 1, eur, 0.8},
	{"LATAM", 3, usd, 0.5},
	{"Brazil", 2, usd, 0.45},
	{"Mexico", 1, usd, 0.45},
	{"Argentina", 1, usd, 0.4},
	{"India", 2, usd, 0.3},
	{"Philippines", 1, usd, 0.25},
	{"APAC", 1, usd, 0.6},
	{"Australia", 2, usd, 0.85},
	{"Singapore", 1, usd, 0.85},
}

// company is a hiring company, with how much it hires.
type company struct {
	name   string
	weight int
}

// companies: a few hire a lot.
var companies = []company{
	{"Acme Analytics", 9}, {"Blue Harbor", 7}, {"Cobalt Labs", 6}, {"Delta Freight", 5}, {"Evergreen Health", 5},
	{"Foxglove", 4}, {"Granite Cloud", 4}, {"Helio Energy", 3}, {"Ivy Learning", 3}, {"Juniper Pay", 3},
	{"Kestrel Security", 2}, {"Lumen Media", 2}, {"Maple Robotics", 2}, {"Nimbus Data", 2}, {"Orbit Travel", 2},
	{"Pinecone Retail", 1}, {"Quartz Insurance", 1}, {"Riverbend Games", 1},
}

// jobTypes are Remotive's job types, full time the most common.
var jobTypes = []string{"full_time", "full_time", "full_time", "full_time", "contract", "part_time"}
