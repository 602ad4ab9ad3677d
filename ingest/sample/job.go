package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Role drift: the weight of a role among the jobs that appear on a day is its
// base weight times exp(driftAmplitude * sin(2π t/driftPeriod + phase)), t
// being the day in days since 1970. Over two weeks a role near the rising
// side of its wave about doubles its share and one near the falling side
// halves it; the phases are spread so that on any day some roles rise, some
// fall and some stay flat.
const (
	driftPeriod    = 91.0 // days: a season
	driftAmplitude = 0.8
)

// seed mixes into every generator so that the sample is not the stream of
// small seeds other code might use.
const seed = 0x6a6f6270756c7365 // "jobpulse"

// companyWeights and locationWeights are the weights of companies and
// locations, for pick.
var (
	companyWeights  = weightsOf(companies, func(c company) int { return c.weight })
	locationWeights = weightsOf(locations, func(l location) int { return l.weight })
)

func weightsOf[T any](items []T, weight func(T) int) []float64 {
	w := make([]float64, len(items))
	for i, it := range items {
		w[i] = float64(weight(it))
	}
	return w
}

// roleWeight returns the weight of role k for a job that appeared at day t
// (days since 1970, fractional).
func roleWeight(k int, t float64) float64 {
	return roles[k].weight * math.Exp(driftAmplitude*math.Sin(2*math.Pi*t/driftPeriod+rolePhases[k]))
}

// rolePhases are the phases of the roles' drift: the golden ratio spreads
// them evenly around the circle whatever the number of roles.
var rolePhases = func() []float64 {
	p := make([]float64, len(roles))
	for k := range p {
		p[k] = 2 * math.Pi * math.Mod(float64(k)*0.6180339887498949, 1)
	}
	return p
}()

// slugger turns a title into the slug of its URL.
var slugger = strings.NewReplacer(" ", "-", "/", "-")

// job returns the job with id, which appeared on the board on day born (days
// since 1970); t is about born, but grows smoothly with the id, and sets the
// role mix (see roleWeight). Everything about a job is drawn from its id, so
// a job is the same on every day it is open.
func job(id, born int64, t float64) Job {
	r := rand.New(rand.NewPCG(uint64(id), seed))
	w := make([]float64, len(roles))
	for k := range roles {
		w[k] = roleWeight(k, t)
	}
	ro := roles[pick(r, w)]

	sen := seniorities[r.IntN(ro.levels)]
	title := sen.prefix + ro.title

	employer := companies[pick(r, companyWeights)].name + " (sample)"
	loc := locations[pick(r, locationWeights)]

	jobType := jobTypes[r.IntN(len(jobTypes))]
	tags := pickSkills(r, ro.skills)
	salary := salaryText(r, float64(ro.salary)*sen.pay*loc.pay, loc.cur, jobType)

	// Published on the board in the day before the night it is first
	// seen (02:00 UTC of its first day).
	published := time.Unix(born*secondsPerDay, 0).UTC().Add(2*time.Hour - time.Duration(1+r.IntN(22*60))*time.Minute)
	slug := strings.ToLower(slugger.Replace(title))
	return Job{
		ID:                        int(id),
		URL:                       fmt.Sprintf("https://remotive.com/remote-jobs/sample/%s-%d", slug, id),
		Title:                     title,
		CompanyName:               employer,
		CompanyLogo:               "",
		Category:                  ro.category,
		Tags:                      tags,
		JobType:                   jobType,
		PublicationDate:           published.Format("2006-01-02T15:04:05"),
		CandidateRequiredLocation: loc.text,
		Salary:                    salary,
		Description: fmt.Sprintf("<p>%s at %s, open to candidates in %s.</p><p>You will work with %s.</p>"+
			"<p>This is generated sample data, not a real job offer.</p>", title, employer, loc.text, strings.Join(tags, ", ")),
	}
}

// pickSkills returns two to five of a role's skills, the first ones (the
// role's usual skills) the likeliest, in the order drawn.
func pickSkills(r *rand.Rand, skills []string) []string {
	n := min(2+r.IntN(4), len(skills))
	out := make([]string, 0, n)
	taken := make([]bool, len(skills))
	for len(out) < n {
		// The minimum of two uniform draws favours the first skills.
		k := min(r.IntN(len(skills)), r.IntN(len(skills)))
		if !taken[k] {
			taken[k] = true
			out = append(out, skills[k])
		}
	}
	return out
}

// salaryText returns a salary as boards write it for a job paying about
// annual US dollars a year, or "" (as for about four jobs in ten) when the
// posting states none. Contract jobs are paid by the hour.
func salaryText(r *rand.Rand, annual float64, cur currency, jobType string) string {
	if r.IntN(10) < 4 {
		return ""
	}
	annual *= 0.9 + 0.2*r.Float64()
	sign := "$"
	switch cur {
	case eur:
		annual, sign = annual*0.92, "€"
	case gbp:
		annual, sign = annual*0.79, "£"
	}
	lo := roundTo(annual*0.9, 5000)
	hi := max(roundTo(annual*(1.1+0.2*r.Float64()), 5000), lo+5000)
	if jobType == "contract" {
		lo, hi := roundTo(float64(lo)/2080, 5), roundTo(float64(hi)/2080, 5)
		hi = max(hi, lo+5)
		if cur == usd {
			return fmt.Sprintf("$%d - $%d/hr", lo, hi)
		}
		return fmt.Sprintf("%s%d - %s%d per hour", sign, lo, sign, hi)
	}
	switch {
	case lo < 20_000:
		// Below 20,000 a year, package normalize cannot tell a month
		// from a year (nor can a reader): boards then say which.
		return fmt.Sprintf("%s%dk - %s%dk per year", sign, lo/1000, sign, hi/1000)
	case cur == eur && r.IntN(2) == 0:
		return fmt.Sprintf("€%d.000 - €%d.000", lo/1000, hi/1000)
	case cur == usd && r.IntN(3) == 0:
		return fmt.Sprintf("$%d,000 - $%d,000", lo/1000, hi/1000)
	case cur == gbp && r.IntN(4) == 0:
		return fmt.Sprintf("£%dk", lo/1000)
	}
	return fmt.Sprintf("%s%dk - %s%dk", sign, lo/1000, sign, hi/1000)
}

// roundTo rounds x to a multiple of step, at least step.
func roundTo(x float64, step int) int {
	return max(int(math.Round(x/float64(step)))*step, step)
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
