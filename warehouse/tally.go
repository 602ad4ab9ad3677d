package warehouse

import (
	"context"
	"fmt"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// nameKey is one name a posting gives, as posting_names and run_tallies
// hold it (migrations 0010 and 0012): kind "role", "skill", "place" or
// "company"; for a place, detail is its kind (country, region, worldwide),
// for a company, the spelling of its name (and key its company key).
type nameKey struct{ kind, key, detail string }

// tally counts the postings that give each name. The loader counts in Go
// what it streams: on SQL's side each posting's names were a lateral query
// of their own, which took longer than the COPY of the posting itself
// (about 50 µs a posting, 10 s for a replay of 200,000).
type tally map[nameKey]int32

// appendNames appends to keys the names p gives, once each, as the view
// posting_name_rows gives them: its role, skills, places (a country by its
// name in countries, or its code when the table has none) and, when it has
// a company key, the spelling of its company's name.
func appendNames(keys []nameKey, p *jobdata.Posting, countries map[string]string) []nameKey {
	start := len(keys)
	put := func(k nameKey) {
		for _, n := range keys[start:] {
			if n == k {
				return
			}
		}
		keys = append(keys, k)
	}
	if p.Role != "" {
		put(nameKey{"role", p.Role, ""})
	}
	for _, s := range p.Skills {
		put(nameKey{"skill", s, ""})
	}
	for _, c := range p.Location.Countries {
		name, ok := countries[c]
		if !ok {
			name = c
		}
		put(nameKey{"place", name, "country"})
	}
	for _, r := range p.Location.Regions {
		put(nameKey{"place", r, "region"})
	}
	if p.Location.Scope == "worldwide" {
		put(nameKey{"place", "Worldwide", "worldwide"})
	}
	if p.CompanyKey != "" {
		put(nameKey{"company", p.CompanyKey, p.CompanyName})
	}
	return keys
}

// count counts one posting's names (from appendNames); the company's only
// when company is set (run_tallies does not count companies).
func (t tally) count(keys []nameKey, company bool) {
	for _, k := range keys {
		if company || k.kind != "company" {
			t[k]++
		}
	}
}

// columns returns the tally as three arrays and the counts, for unnest.
// With byKey, names that differ only in detail are one (run_tallies counts
// a place by its name).
func (t tally) columns(byKey bool) (kinds, keys, details []string, ns []int32) {
	if byKey {
		merged := tally{}
		for k, n := range t {
			merged[nameKey{k.kind, k.key, ""}] += n
		}
		t = merged
	}
	for k, n := range t {
		kinds, keys, details, ns = append(kinds, k.kind), append(keys, k.key), append(details, k.detail), append(ns, n)
	}
	return kinds, keys, details, ns
}

// readCountries reads the names posting_places gives countries.
func (l *Loader) readCountries(ctx context.Context) error {
	rows, err := l.tx.Query(ctx, `SELECT code, name FROM countries`)
	if err != nil {
		return fmt.Errorf("read countries: %w", err)
	}
	defer rows.Close()
	l.countries = map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return fmt.Errorf("read countries: %w", err)
		}
		l.countries[code] = name
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read countries: %w", err)
	}
	return nil
}

// saveNames adds the names of the postings this load added or changed to
// posting_names (migration 0012); the names the changed postings gave
// before were taken away before the change was written. Into an empty
// warehouse, the table is this load's count.
func (l *Loader) saveNames(ctx context.Context) error {
	if l.empty {
		if _, err := l.tx.Exec(ctx, `DELETE FROM posting_names`); err != nil {
			return fmt.Errorf("count the postings' names: %w", err)
		}
	}
	if len(l.names) == 0 {
		return nil
	}
	kinds, keys, details, ns := l.names.columns(false)
	_, err := l.tx.Exec(ctx, `INSERT INTO posting_names AS n (kind, key, detail, postings)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[])
		ON CONFLICT (kind, md5(key), md5(detail)) DO UPDATE SET postings = n.postings + excluded.postings`,
		kinds, keys, details, ns)
	if err != nil {
		return fmt.Errorf("count the names of %d new or changed postings: %w", l.stats.Inserted+l.stats.Updated, err)
	}
	return nil
}

// saveTallies counts what the run saw (run_tallies, migration 0010) and its
// week's distinct postings. When this load met every posting the run saw
// (the run had no sightings before), the counts are the loader's; when the
// run was loaded before, tally_run counts its whole sightings again.
func (l *Loader) saveTallies(ctx context.Context) error {
	if l.stats.Sightings == 0 {
		return nil
	}
	if len(l.sighted) > 0 {
		if _, err := l.tx.Exec(ctx, `SELECT tally_run($1)`, l.run.ID); err != nil {
			return fmt.Errorf("count what run %s saw: %w", l.run.ID, err)
		}
		return nil
	}
	kinds, keys, _, ns := l.seen.columns(true)
	if _, err := l.tx.Exec(ctx, `SELECT tally_counted($1, $2, $3, $4)`, l.run.ID, kinds, keys, ns); err != nil {
		return fmt.Errorf("count what run %s saw: %w", l.run.ID, err)
	}
	return nil
}
