package normalize

import (
	"fmt"
	"slices"
)

// Seniority levels returned by [Title], lowest first. A title that names no
// level has seniority "".
const (
	SeniorityIntern    = "Intern"    // interns, working students, apprentices
	SeniorityJunior    = "Junior"    // junior, entry level, graduates, trainees
	SeniorityMid       = "Mid"       // mid-level, intermediate, "Engineer II"
	SenioritySenior    = "Senior"    // senior, "Engineer III"
	SeniorityLead      = "Lead"      // lead, tech lead, team lead
	SeniorityStaff     = "Staff"     // staff engineer, scientist, designer...
	SeniorityPrincipal = "Principal" // principal
	SeniorityHead      = "Head"      // head of ...
	SeniorityDirector  = "Director"  // director
	SeniorityVP        = "VP"        // vice president
	SeniorityCLevel    = "C-level"   // chief officers, founders, managing directors
)

// seniorityRanks orders the levels; seniority.tsv may name only these.
var seniorityRanks = map[string]int{
	SeniorityIntern: 1, SeniorityJunior: 2, SeniorityMid: 3, SenioritySenior: 4, SeniorityLead: 5,
	SeniorityStaff: 6, SeniorityPrincipal: 7, SeniorityHead: 8, SeniorityDirector: 9, SeniorityVP: 10,
	SeniorityCLevel: 11,
}

// The compiled title tables (rules/words.tsv, roles.tsv, seniority.tsv).
var (
	titleLex     *lexicon
	roleSet      patternSet
	roleMaskSet  patternSet // roles.tsv lines of role "-": words that name no role
	senioritySet patternSet
)

func init() {
	mustLoad(loadTitleRules())
	mustLoad(loadRoleText())
}

// loadTitleRules compiles the title tables.
func loadTitleRules() error {
	lx, err := loadWords()
	if err != nil {
		return err
	}
	roles, err := readTable("roles.tsv", 2)
	if err != nil {
		return err
	}
	rs, ms := patternSet{gap: maxGap}, patternSet{}
	for _, r := range roles {
		if len(r.fields) != 2 {
			return r.errorf("want role <TAB> pattern, got %d fields", len(r.fields))
		}
		terms, err := lx.compile(r, r.fields[1])
		if err != nil {
			return err
		}
		if r.fields[0] == "-" {
			ms.pats = append(ms.pats, pattern{terms: terms, value: "-", src: r.source()})
			continue
		}
		rs.pats = append(rs.pats, pattern{terms: terms, value: r.fields[0], src: r.source()})
	}
	levels, err := readTable("seniority.tsv", 2)
	if err != nil {
		return err
	}
	ss := patternSet{gap: maxGap}
	for _, r := range levels {
		if len(r.fields) != 2 {
			return r.errorf("want level <TAB> pattern, got %d fields", len(r.fields))
		}
		rank, ok := seniorityRanks[r.fields[0]]
		if !ok && r.fields[0] != "-" {
			return r.errorf("unknown seniority level %q", r.fields[0])
		}
		terms, err := lx.compile(r, r.fields[1])
		if err != nil {
			return err
		}
		ss.pats = append(ss.pats, pattern{terms: terms, value: r.fields[0], rank: rank, src: r.source()})
	}
	// A head that no role or level line names would read compounds as a
	// word that decides nothing.
	named := map[int32]bool{}
	for _, p := range slices.Concat(rs.pats, ss.pats) {
		for _, term := range p.terms {
			for _, id := range term {
				named[id] = true
			}
		}
	}
	for _, h := range lx.heads {
		if !named[lx.ids[h]] {
			return fmt.Errorf("normalize: rules/words.tsv: head %q is named by no line of rules/roles.tsv or seniority.tsv", h)
		}
	}
	rs.index(lx)
	ms.index(lx)
	ss.index(lx)
	titleLex, roleSet, roleMaskSet, senioritySet = lx, rs, ms, ss
	return nil
}

// Title returns the job family and the seniority level a job title names,
// e.g. "Senior Backend Engineer (Go) - Remote" gives ("Backend Engineer",
// "Senior"), "Développeur Full Stack (H/F)" gives ("Full Stack Developer", "")
// and "Werkstudent Softwareentwicklung" gives ("Software Engineer", "Intern").
//
// The role is the role of the first line of rules/roles.tsv whose pattern
// matches, once the words of its lines of role "-" are set aside ("chef
// d'équipe" names no kitchen); "" when none does. The seniority is the
// highest level that rules/seniority.tsv finds in the title, one of the
// Seniority constants, or "" when the title names none; levels written as
// alternatives ("Senior/Staff", "Junior or Mid") count as the lowest of
// them. Case, accents, punctuation and gender markers
// such as "(m/w/d)" do not matter. Only the first 64 words are read.
func Title(title string) (role, seniority string) { return readTitle(title, nil) }

// readTitle is [Title], recording its steps in tr.
func readTitle(title string, tr *trace) (role, seniority string) {
	var t text
	t.scan(title, false)
	var buf [maxTokens]int32
	var alt [maxTokens]byte
	words := titleLex.words(&t, buf[:], alt[:], tr)
	// Levels written as alternatives ("Senior/Staff", "Junior or Mid") are
	// one group, which counts as its lowest level: the posting is open from
	// there. Otherwise the highest level found wins.
	best, levels := 0, 0
	group, groupValue, groupEnd := 0, "", -2
	// A level's words are read once; words in the gaps of a level's pattern
	// are read on their own ("Associate Director, Program Manager" is a
	// Director), and the words of a "-" pattern are all set aside.
	var used [maxTokens]bool
	for i := 0; i < len(words); {
		if used[i] {
			i++
			continue
		}
		p, end := senioritySet.longestAt(words, i)
		if p < 0 {
			i++
			continue
		}
		if senioritySet.pats[p].rank == 0 {
			for j := i; j < end; j++ {
				used[j] = true
			}
		} else {
			senioritySet.pats[p].markTerms(words, i, senioritySet.gap, used[:len(words)])
		}
		tr.add("seniority", senioritySet.pats[p].value, senioritySet.pats[p].src)
		r, v := senioritySet.pats[p].rank, senioritySet.pats[p].value
		if r > 0 {
			levels++
			switch {
			case group > 0 && (alt[i] == altSlash && i == groupEnd || alt[i] == altOr && i == groupEnd+1):
				if r < group {
					group, groupValue = r, v
				}
			default:
				if group > best {
					best, seniority = group, groupValue
				}
				group, groupValue = r, v
			}
			groupEnd = end
		}
		i++
	}
	if group > best {
		best, seniority = group, groupValue
	}
	roleMaskSet.mask(words, tr)
	if i := roleSet.first(words); i >= 0 {
		role = roleSet.pats[i].value
		tr.add("role", role, roleSet.pats[i].src)
	} else {
		tr.add("role", "", "no line of rules/roles.tsv matches")
	}
	if seniority == "" {
		tr.add("seniority", "", "no line of rules/seniority.tsv matches")
	} else if levels > 1 {
		tr.add("seniority", seniority, "the highest of the levels found (of levels written as alternatives, the lowest)")
	}
	return role, seniority
}
