// Package normalize turns the free text of job postings into comparable
// values: a role and seniority from a title, a location scope from location
// text, a salary range from salary text, skills of its skills table from
// tags and titles, and plain text from HTML descriptions.
//
// The rules live in data tables (patterns of roles, places, currencies) that
// a maintainer extends without touching the code. Nothing is invented: where
// the text says nothing, the result says "unknown" (empty values).
//
// The values it makes are the data types the warehouse stores, declared in
// internal/jobdata so that the warehouse needs nothing of ingest; the names
// below are those types, as this package speaks of them.
package normalize

import "github.com/jobpulse/jobpulse/internal/jobdata"

// Workplace values of [Location.Workplace].
const (
	Remote = jobdata.Remote
	Hybrid = jobdata.Hybrid
	Onsite = jobdata.Onsite
)

// Scope values of [Location.Scope].
const (
	ScopeWorldwide = jobdata.ScopeWorldwide // open to candidates anywhere
	ScopeRegion    = jobdata.ScopeRegion    // restricted to one or more regions (and maybe countries)
	ScopeCountry   = jobdata.ScopeCountry   // restricted to one or more countries
	ScopeUnknown   = jobdata.ScopeUnknown   // the text names no place we know
)

// Location is where a job may be done from ([jobdata.Location]).
type Location = jobdata.Location

// Period values of [Salary.Period].
const (
	Hour  = jobdata.Hour
	Day   = jobdata.Day
	Week  = jobdata.Week
	Month = jobdata.Month
	Year  = jobdata.Year
)

// Salary is a pay range as published ([jobdata.Salary]).
type Salary = jobdata.Salary
