package ingest

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/jobpulse/jobpulse/ingest/normalize"
)

// Normalize fills the normalized fields of p from its raw fields and hints,
// with the rules of package [normalize]:
//
//   - CompanyName and CompanyKey from Company ([normalize.Company]): one
//     key for the spellings of one company, and its name without the legal
//     form.
//   - Role and Seniority from the title ([normalize.Title]); where the
//     title names no role, the role the publisher's OccupationName reads
//     as, as a title; else the role of its OccupationCode
//     ([normalize.OccupationRole]). Then the start of the description
//     ([normalize.DescriptionRole]): a phrase naming the work ("rating
//     search results") gives its role over the title's, unless the title
//     names one of the roles that build such things; where still no role,
//     the clause that introduces the job ("We are looking for a ...") is
//     read as a title.
//   - Location from LocationText ([normalize.ParseLocation]); where it names
//     no place, the place the description names ([normalize.TextPlace]:
//     "Location: Remote, UK", "based in the Philippines"); where it names
//     only a place the gazetteer lacks, the source's CountryHint (a board
//     of one country's jobs: Arbeitnow's "Lietzow" is German). The workplace
//     is what the location text says; else what the description says
//     ([normalize.TextWorkplace]: on-site, wholly remote, hybrid, or some
//     work from home, which is remote on a source whose postings are all
//     remote and hybrid elsewhere; on such a source, also on-site where it
//     describes work done in person: "in our store", "construction site",
//     "welcome visitors"); else the source's RemoteHint: false makes it
//     on-site, true remote, except where the title names a job done in
//     person ([normalize.TitleInPerson]: "Sandwich artist", "Mail
//     Carrier"), which is on-site. No default applies where the description
//     says the offer is no salaried job (a franchise, an independent
//     reseller), which has no place of work. Explicit text beats a
//     source's flag.
//   - Salary from SalaryHint when the source gave one and it is plausible
//     ([normalize.CompleteSalary] checks it and adds the period and annual
//     figures it implies); otherwise from SalaryText ([normalize.ParseSalary]).
//     Where neither gives one, a salary the description states beside a
//     word that makes it one ([normalize.TextSalary]: "Gehalt: 90.000€ bis
//     130.000€", "$130,000 - $150,000 a year"). An implausible salary leaves
//     Salary empty.
//   - Skills from Tags and the title, through the skills table only
//     ([normalize.Skills]): a tag the table does not know stays in Tags and
//     is no skill. DescriptionText is read for the support an ambiguous tag
//     ("go", "r", "health") needs, so it is set first.
//   - DescriptionText from Description ([normalize.PlainText]).
//   - Fingerprint from Company, Title and the normalized Location
//     ([normalize.Fingerprint]); postings with the same fingerprint are one
//     posting in the warehouse.
//
// Normalize only writes the normalized fields, so calling it twice gives the
// same posting.
func Normalize(p *Posting) { normalizePosting(p, nil) }

// Explain normalizes p as [Normalize] does and returns, field by field, the
// steps that decided each reading: the table lines, phrases and hints of
// the source that gave the role, seniority, place, workplace, salary and
// skills. It is for whoever extends a table and wants to know why.
func Explain(p *Posting) []normalize.Step {
	steps := []normalize.Step{}
	normalizePosting(p, &steps)
	return steps
}

// normalizePosting is [Normalize]; with steps non-nil it also records why.
func normalizePosting(p *Posting, steps *[]normalize.Step) {
	explain := steps != nil
	add := func(field, value, rule string) {
		if explain {
			*steps = append(*steps, normalize.Step{Field: field, Value: value, Rule: rule})
		}
	}
	p.CompanyName, p.CompanyKey = normalize.Company(p.Company)
	if explain {
		add("company", p.CompanyName, fmt.Sprintf("company %q, key %q (rules/company.tsv)", p.Company, p.CompanyKey))
	}
	if explain {
		var st []normalize.Step
		p.Role, p.Seniority, st = normalize.ExplainTitle(p.Title)
		*steps = append(*steps, st...)
	} else {
		p.Role, p.Seniority = normalize.Title(p.Title)
	}
	if p.Role == "" && p.OccupationName != "" {
		// The publisher's name of the occupation is a title in its own
		// words, finer than its code's domain.
		if role, _ := normalize.Title(p.OccupationName); role != "" {
			p.Role = role
			if explain {
				add("role", role, fmt.Sprintf("the title names no role; the publisher's occupation name %q is read as a title (rules/roles.tsv)", p.OccupationName))
			}
		}
	}
	codeRole, codeKnown := normalize.OccupationRole(p.OccupationCode)
	switch {
	case p.OccupationCode == "":
	case codeKnown && p.Role == "":
		p.Role = codeRole
		if explain {
			_, _, st := normalize.ExplainOccupationRole(p.OccupationCode)
			*steps = append(*steps, st...)
		}
	case codeKnown && explain:
		add("role", p.Role, fmt.Sprintf("the title (or the occupation name) decides; the publisher's code %s would give %q", p.OccupationCode, codeRole))
	case explain:
		add("role", p.Role, fmt.Sprintf("the publisher's code %s: no line of rules/occupations.tsv", p.OccupationCode))
	}

	p.DescriptionText = normalize.PlainText(p.Description)
	if explain {
		var st []normalize.Step
		p.Role, st = normalize.ExplainDescriptionRole(p.DescriptionText, p.Role, codeKnown)
		*steps = append(*steps, st...)
	} else {
		p.Role = normalize.DescriptionRole(p.DescriptionText, p.Role, codeKnown)
	}
	if explain {
		var st []normalize.Step
		p.Location, st = normalize.ExplainLocation(p.LocationText)
		*steps = append(*steps, st...)
		add("place", normalize.PlaceString(p.Location), fmt.Sprintf("read from the location text %q", p.LocationText))
	} else {
		p.Location = normalize.ParseLocation(p.LocationText)
	}
	if p.Location.Scope != normalize.ScopeWorldwide && p.DescriptionText != "" {
		// Where the location text names no place, the whole description
		// is read for one. Where it names one, only the head of the
		// description, where postings state where candidates may be
		// ("Full-Time | Remote (US and Canada only)", "Location: North
		// America Remote / San Francisco"), may widen it: reading every
		// whole description cost a fifth more normalization time.
		text, how := p.DescriptionText, "the location text names no place: the description's (phrases above)"
		if p.Location.Scope != normalize.ScopeUnknown {
			text, how = normalize.TextHead(text, descriptionHeadBytes), "the head of the description widens the place (phrases above)"
		}
		var tp normalize.Location
		if explain {
			var st []normalize.Step
			tp, st = normalize.ExplainTextPlace(text)
			*steps = append(*steps, st...)
		} else {
			tp = normalize.TextPlace(text)
		}
		switch {
		case tp.Scope == normalize.ScopeUnknown:
		case p.Location.Scope == normalize.ScopeUnknown:
			p.Location.Scope, p.Location.Countries, p.Location.Regions = tp.Scope, tp.Countries, tp.Regions
			add("place", normalize.PlaceString(p.Location), how)
		case tp.Scope != normalize.ScopeWorldwide && !(containsAll(p.Location.Countries, tp.Countries) && containsAll(p.Location.Regions, tp.Regions)):
			p.Location = joinPlaces(p.Location, tp)
			add("place", normalize.PlaceString(p.Location), how)
		}
	}
	if tp := normalize.TitlePlace(p.Title); tp.Scope != normalize.ScopeUnknown && p.Location.Scope != normalize.ScopeWorldwide &&
		!containsAll(p.Location.Countries, tp.Countries) {
		p.Location = joinPlaces(p.Location, tp)
		if explain {
			add("place", normalize.PlaceString(p.Location), fmt.Sprintf("the title names %s", normalize.PlaceString(tp)))
		}
	}
	if p.CountryHint != "" && p.Location.Scope == normalize.ScopeUnknown && p.Location.Workplace == "" &&
		strings.ContainsFunc(p.LocationText, unicode.IsLetter) {
		// The location text names a place, but none the gazetteer knows
		// (it holds every place of 1,000 inhabitants or more), nor a
		// workplace ("Remote"): on a board of one country's jobs, a
		// village of that country.
		p.Location.Scope, p.Location.Countries = normalize.ScopeCountry, []string{p.CountryHint}
		if explain {
			add("place", p.CountryHint, fmt.Sprintf("the location text %q names no place the gazetteer knows; the source lists jobs in %s", p.LocationText, p.CountryHint))
		}
	}
	salaried := true // no offer to open a franchise (read with the workplace)
	remoteOnly := p.RemoteHint != nil && *p.RemoteHint
	var fromTitle string // the workplace the title names
	if p.Location.Workplace == "" {
		fromTitle = titleWorkplace(p.Title, remoteOnly, steps)
	}
	switch {
	case p.Location.Workplace != "":
		if explain {
			add("workplace", p.Location.Workplace, fmt.Sprintf("location text %q", p.LocationText))
		}
	case fromTitle != "":
		// The title's "- 100% Remote" or "(hybrid)" is the employer's
		// headline; it beats the description's words and the source's
		// flag.
		p.Location.Workplace = fromTitle
		if explain {
			add("workplace", fromTitle, fmt.Sprintf("the title %q (phrases above)", p.Title))
		}
	default:
		var defaultApplies bool
		if explain {
			var st []normalize.Step
			p.Location.Workplace, defaultApplies, st = normalize.ExplainTextWorkplace(p.DescriptionText, remoteOnly)
			*steps = append(*steps, st...)
		} else {
			p.Location.Workplace, defaultApplies = normalize.TextWorkplaceDefault(p.DescriptionText, remoteOnly)
		}
		switch {
		case p.Location.Workplace != "":
			add("workplace", p.Location.Workplace, "the description (phrases above)")
		case !defaultApplies:
			salaried = false
			add("workplace", "", "the description says the offer is no salaried job (phrase above): no default of the source applies")
		case remoteOnly && titleInPerson(p.Title, steps):
			// A remote-only board also carries jobs scraped from
			// elsewhere; a store clerk or an electrician is not remote
			// because the board is.
			p.Location.Workplace = normalize.Onsite
			add("workplace", normalize.Onsite, "the title names work done in person (phrase above), and nothing grants remote work: the source's remote-only default does not apply")
		case remoteOnly:
			p.Location.Workplace = normalize.Remote
			add("workplace", normalize.Remote, "the source lists remote jobs only, and the text says nothing else")
		case p.RemoteHint != nil:
			p.Location.Workplace = normalize.Onsite
			add("workplace", normalize.Onsite, "the source's flag says not remote, and the text says nothing else")
		default:
			add("workplace", "", "neither the location, the description nor the source says")
		}
	}

	p.Salary = normalize.Salary{}
	if p.SalaryHint.Known() {
		if s, ok := normalize.CompleteSalary(p.SalaryHint); ok {
			p.Salary = s
			if explain {
				add("salary", salaryString(s), "the source's figures")
			}
		} else if explain {
			add("salary", "", fmt.Sprintf("the source's figures %s are not plausible", salaryString(p.SalaryHint)))
		}
	}
	if !p.Salary.Known() {
		if s, ok := normalize.ParseSalary(p.SalaryText); ok {
			p.Salary = s
			if explain {
				add("salary", salaryString(s), fmt.Sprintf("salary text %q (rules/salary.tsv)", p.SalaryText))
			}
		} else if p.SalaryText != "" && explain {
			add("salary", "", fmt.Sprintf("salary text %q: no plausible salary", p.SalaryText))
		}
	}
	if !p.Salary.Known() && salaried {
		if s, span, ok := normalize.ExplainTextSalary(p.DescriptionText); ok {
			p.Salary = s
			if explain {
				add("salary", salaryString(s), fmt.Sprintf("the description: %q (rules/salary_text.tsv, rules/salary.tsv)", span))
			}
		}
	}

	p.Skills = normalize.Skills(p.Tags, p.Title, p.DescriptionText)
	if explain {
		add("skills", strings.Join(p.Skills, ", "), fmt.Sprintf("tags %q, backed by the title or description where ambiguous (rules/skills.tsv)", p.Tags))
	}
	p.Fingerprint = normalize.Fingerprint(p.Company, p.Title, p.Location)
}

// descriptionHeadBytes is how much of a description's start may widen a
// named place ([normalize.TextHead]). On the gold sets any head from 300 to
// 2,500 bytes read the same places; the whole description widened one more
// place, wrongly.
const descriptionHeadBytes = 500

// titleInPerson is [normalize.TitleInPerson], recording its phrases in
// steps when they are non-nil.
func titleInPerson(title string, steps *[]normalize.Step) bool {
	if steps == nil {
		return normalize.TitleInPerson(title)
	}
	ok, st := normalize.ExplainTitleInPerson(title)
	*steps = append(*steps, st...)
	return ok
}

// titleWorkplace is [normalize.TitleWorkplace], appending the phrases it
// finds to steps when steps is not nil.
func titleWorkplace(title string, remoteOnly bool, steps *[]normalize.Step) string {
	if steps == nil {
		return normalize.TitleWorkplace(title, remoteOnly)
	}
	wp, st := normalize.ExplainTitleWorkplace(title, remoteOnly)
	*steps = append(*steps, st...)
	return wp
}

// containsAll reports whether every string of sub is in set.
func containsAll(set, sub []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

// joinPlaces returns loc with the countries and regions of more added; its
// scope is a region's when it has one.
func joinPlaces(loc, more normalize.Location) normalize.Location {
	loc.Countries = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(loc.Countries), more.Countries...))))
	loc.Regions = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(loc.Regions), more.Regions...))))
	switch {
	case len(loc.Regions) > 0:
		loc.Scope = normalize.ScopeRegion
	case len(loc.Countries) > 0:
		loc.Scope = normalize.ScopeCountry
	}
	return loc
}

// salaryString formats a salary for an explanation.
func salaryString(s normalize.Salary) string {
	if !s.Known() {
		return ""
	}
	return fmt.Sprintf("%g-%g %s/%s", s.Min, s.Max, s.Currency, s.Period)
}
