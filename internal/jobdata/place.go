package jobdata

// Workplace values of [Location.Workplace].
const (
	Remote = "remote"
	Hybrid = "hybrid"
	Onsite = "onsite"
)

// Scope values of [Location.Scope].
const (
	ScopeWorldwide = "worldwide" // open to candidates anywhere
	ScopeRegion    = "region"    // restricted to one or more regions (and maybe countries)
	ScopeCountry   = "country"   // restricted to one or more countries
	ScopeUnknown   = ""          // the text names no place we know
)

// Location is where a job may be done from.
type Location struct {
	Scope     string   // one of the Scope constants
	Countries []string // ISO 3166-1 alpha-2 codes, sorted, e.g. ["CA", "US"]
	Regions   []string // region names from the places table, sorted, e.g. ["Americas", "Europe"]
	Workplace string   // Remote, Hybrid, Onsite, or "" when unknown
}

// Period values of [Salary.Period].
const (
	Hour  = "hour"
	Day   = "day"
	Week  = "week"
	Month = "month"
	Year  = "year"
)

// Salary is a pay range as published.
type Salary struct {
	Min, Max  float64 // in Currency per Period; Min == Max for a single figure; both 0 when unknown
	Currency  string  // ISO 4217 code, e.g. "USD", "EUR"; "" when unknown
	Period    string  // one of the Period constants; "" when unknown
	AnnualMin float64 // Min per year, when Period is known; 0 otherwise
	AnnualMax float64 // Max per year, when Period is known; 0 otherwise
}

// Known reports whether the salary has at least one figure.
func (s Salary) Known() bool { return s.Min > 0 || s.Max > 0 }
