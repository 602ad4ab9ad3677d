package normalize

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Kinds of phrases of rules/role_text.tsv.
const (
	rtWork   = iota // the work the phrase names gives the role
	rtClause        // the clause after the phrase is read as a title
	rtMarked        // the words after the phrase, up to a gender marker, are read as a title
	rtLine          // rtMarked, for a phrase at the start of a line only
)

// rtPhrase is one phrase of rules/role_text.tsv: its folded words after
// the first, its kind and, for work phrases, its role.
type rtPhrase struct {
	rest []string
	kind int
	role string
	src  string // the table line, for explanations
}

// roleTextHead is how much of the start of a description [DescriptionRole]
// reads: where postings say what the job is, and a bound on its cost.
const roleTextHead = 1200

// roleTextIntros is how many intro clauses are read as titles at most: a
// description that repeats its opening line is read once or twice, not
// forty times.
const roleTextIntros = 4

// roleTextClause is how many words after an intro phrase are read as a
// title at most.
const roleTextClause = 10

// The compiled rules/role_text.tsv.
var (
	rtPhrases   map[string][]rtPhrase // first word -> phrases, longest first
	rtTitleWins map[string]bool       // roles no work phrase overrides
	// The first letters of the first words of the work phrases and of the
	// intro phrases, and how far after them a phrase (and for an intro,
	// its clause) may reach: the work phrases are looked for in every
	// description not kept by its title, the intros only where the title
	// names no role, so only the first should be rare words.
	rtWorkStems, rtIntroStems *stemSet
	rtWorkAfter, rtIntroAfter int
)

// loadRoleText compiles rules/role_text.tsv. It runs after the title tables
// are loaded (title.go's init), as it checks its roles against them.
func loadRoleText() error {
	rows, err := readTable("role_text.tsv", 2)
	if err != nil {
		return err
	}
	phrases, wins := map[string][]rtPhrase{}, map[string]bool{}
	var workStems, introStems []string
	workLongest, introLongest := 0, 0
	for _, r := range rows {
		switch {
		case r.fields[0] == "titlewins" && len(r.fields) == 2:
			for _, role := range alternatives(r.fields[1]) {
				if !roleSet.hasRole(role) {
					return r.errorf("role %q is named by no line of rules/roles.tsv", role)
				}
				wins[role] = true
			}
			continue
		case len(r.fields) != 3:
			return r.errorf("want kind <TAB> value <TAB> phrases, got %d fields", len(r.fields))
		}
		var kind int
		switch kv := r.fields[0] + " " + r.fields[1]; {
		case r.fields[0] == "work":
			if !roleSet.hasRole(r.fields[1]) {
				return r.errorf("role %q is named by no line of rules/roles.tsv", r.fields[1])
			}
			kind = rtWork
		case kv == "intro clause":
			kind = rtClause
		case kv == "intro marked":
			kind = rtMarked
		case kv == "intro line":
			kind = rtLine
		default:
			return r.errorf("kind %q: want work <role>, intro clause, intro marked, intro line or titlewins", kv)
		}
		for _, name := range alternatives(r.fields[2]) {
			words := strings.Fields(foldString(name, ""))
			if len(words) == 0 || strings.Join(words, " ") != name {
				return r.errorf("phrase %q is not folded (want %q)", name, strings.Join(words, " "))
			}
			for _, p := range phrases[words[0]] {
				if slices.Equal(p.rest, words[1:]) {
					return r.errorf("phrase %q is listed twice", name)
				}
			}
			phrases[words[0]] = append(phrases[words[0]], rtPhrase{rest: words[1:], kind: kind, role: r.fields[1],
				src: fmt.Sprintf("%q of rules/%s:%d", name, r.file, r.line)})
			stem := words[0][:min(len(words[0]), 5)]
			if len(stem) < 2 {
				return r.errorf("phrase %q: its first word is shorter than two letters", name)
			}
			if kind == rtWork {
				if !slices.Contains(workStems, stem) {
					workStems = append(workStems, stem)
				}
				workLongest = max(workLongest, len(name))
			} else {
				if !slices.Contains(introStems, stem) {
					introStems = append(introStems, stem)
				}
				introLongest = max(introLongest, len(name))
			}
		}
	}
	for _, ps := range phrases {
		slices.SortStableFunc(ps, func(a, b rtPhrase) int { return len(b.rest) - len(a.rest) })
	}
	rtPhrases, rtTitleWins = phrases, wins
	rtWorkStems, rtWorkAfter = newStemSet(workStems), workLongest
	// A clause of roleTextClause words of some twelve bytes each.
	rtIntroStems, rtIntroAfter = newStemSet(introStems), introLongest+12*roleTextClause
	return nil
}

// hasRole reports whether a line of the set gives role.
func (ps *patternSet) hasRole(role string) bool {
	return slices.ContainsFunc(ps.pats, func(p pattern) bool { return p.value == role })
}

// DescriptionRole reads the role from the start of a posting's description
// (its plain text, the first 1,200 bytes or so), given the role its title
// gave, with the phrases of rules/role_text.tsv:
//
//   - a phrase naming the work ("rating search results", "data to train AI
//     models") gives its role, whatever the title's, unless the title's role
//     is one of those the table's titlewins lines keep (a machine-learning
//     engineer's posting speaks of training data too);
//   - else, where the title named no role and occupationKnown is false (a
//     publisher's occupation code that names an occupation outside the
//     vocabulary makes it true: a cleaner's posting has no role to find),
//     the clause after a phrase that introduces the job ("We are looking
//     for a Senior Accountant to join", "Als Revisor Drittmittelprojekte
//     (m/w/d) prüfen Sie") is read as a title, with [Title]; the first of
//     the first roleTextIntros such clauses that names a role gives it.
//
// It returns titleRole when the description says nothing of the kind.
func DescriptionRole(text, titleRole string, occupationKnown bool) string {
	return descriptionRole(text, titleRole, occupationKnown, nil)
}

// descriptionRole is [DescriptionRole], recording its steps in tr.
func descriptionRole(text, titleRole string, occupationKnown bool, tr *trace) string {
	if text == "" || rtTitleWins[titleRole] {
		return titleRole
	}
	head := TextHead(text, roleTextHead)
	f := wordsPool.Get().(*foldedWords)
	defer wordsPool.Put(f)
	f.foldWindows(head, rtWorkStems, rtWorkAfter)
	for i, n := 0, len(f.bounds)/2; i < n; i++ {
		if p := f.phraseAt(i, rtWork); p != nil {
			tr.add("role", p.role, "the description names the work: phrase "+p.src)
			return p.role
		}
	}
	if titleRole != "" || occupationKnown {
		return titleRole
	}
	f.foldWindows(head, rtIntroStems, rtIntroAfter)
	var introRole string
	tries := 0
	for i, n := 0, len(f.bounds)/2; i < n && introRole == "" && tries < roleTextIntros; {
		p := f.phraseAt(i, rtClause)
		if p == nil {
			i++
			continue
		}
		at, end := i, i+1+len(p.rest)
		i = end
		if p.kind == rtLine && !lineStart(head, f.src[2*at]) {
			// "Ausbildung als Bautechniker (m/w/d)" asks for a training;
			// "Als Revisor (m/w/d) prüfen Sie" says the job.
			continue
		}
		span := f.clause(head, end, p.kind != rtClause)
		if span == "" {
			continue
		}
		tries++
		var sub trace
		var subTr *trace
		if tr != nil {
			subTr = &sub
		}
		if introRole, _ = readTitle(span, subTr); introRole != "" && tr != nil {
			for _, st := range sub.steps {
				if st.Field == "role" {
					tr.steps = append(tr.steps, st)
				}
			}
			tr.add("role", introRole, fmt.Sprintf("the title names no role; the description's %q after phrase %s", span, p.src))
		}
	}
	if introRole != "" {
		return introRole
	}
	return titleRole
}

// TextHead returns the start of text, at most n bytes: cut before the word
// the limit falls in, or, when that word is the whole head, before the
// character the limit falls in. The readers of a description's
// head ([DescriptionRole], and the place a description's head adds to a
// named one) read what postings say first: what the job is, and where
// candidates may be.
func TextHead(text string, n int) string {
	if len(text) <= n {
		return text
	}
	if head := text[:wordStart(text, n)]; head != "" {
		return head
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n]
}

// lineStart reports whether byte i of s starts a line: nothing but spaces
// and a bullet ("-", "*", "•") stand between it and a newline or the start
// of s. A full stop is no such bound: "z. B. als Bautechniker (m/w/d)".
func lineStart(s string, i int) bool {
	for i > 0 {
		switch c := s[i-1]; c {
		case '\n':
			return true
		case ' ', '\t', '-', '*':
			i--
		default:
			if strings.HasSuffix(s[:i], "•") || strings.HasSuffix(s[:i], "\u00a0") || strings.HasSuffix(s[:i], "\u2060") {
				_, n := utf8.DecodeLastRuneInString(s[:i])
				i -= n
				continue
			}
			return false
		}
	}
	return true
}

// foldWindows folds the windows of head around the stems of set, reaching
// after bytes after each, into f with the words' places in head. Words of
// separate windows are kept apart by an empty word, which no phrase holds.
func (f *foldedWords) foldWindows(head string, set *stemSet, after int) {
	f.buf, f.bounds, f.src = f.buf[:0], f.bounds[:0], f.src[:0]
	for _, sp := range f.stemWindows(head, set, 0, after) {
		if len(f.bounds) > 0 {
			f.bounds = append(f.bounds, len(f.buf), len(f.buf))
			f.src = append(f.src, sp[0], sp[0])
		}
		f.foldAt(head[sp[0]:sp[1]], sp[0])
	}
}

// phraseAt returns the longest phrase of rules/role_text.tsv that starts at
// folded word i, or nil: a work phrase when kind is rtWork, else an intro.
func (f *foldedWords) phraseAt(i, kind int) *rtPhrase {
	ps := rtPhrases[string(f.word(i))]
	n := len(f.bounds) / 2
	for k := range ps {
		p := &ps[k]
		if i+len(p.rest) >= n || (p.kind == rtWork) != (kind == rtWork) {
			continue
		}
		ok := true
		for j, w := range p.rest {
			if string(f.word(i+1+j)) != w {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return nil
}

// clauseStops are words that end the clause after an intro phrase: what
// follows them says what the job does, not what it is called.
var clauseStops = map[string]bool{
	"to": true, "who": true, "with": true, "that": true, "which": true, "in": true, "at": true, "from": true,
	"qui": true, "avec": true, "afin": true, "dans": true, "que": true,
	"um": true, "mit": true, "zur": true, "zum": true, "con": true,
}

// clause returns the text of head from folded word i to the end of its
// clause: a punctuation mark that ends a clause, a word of clauseStops, or
// roleTextClause words. With marked, the clause must end with a gender
// marker ("(m/w/d)", "(H/F)"), which it then includes; else it is "".
func (f *foldedWords) clause(head string, i int, marked bool) string {
	n := len(f.bounds) / 2
	if i >= n {
		return ""
	}
	start := f.src[2*i]
	end := i
	for ; end < n && end-i < roleTextClause; end++ {
		w := f.word(end)
		if len(w) == 0 || strings.ContainsAny(head[f.src[2*end-1]:f.src[2*end]], ".!?:;,\n") {
			break
		}
		if marked {
			if m := f.markerEnd(end); m > end {
				stop := f.src[2*m-1]
				if stop < len(head) && (head[stop] == ')' || head[stop] == ']') {
					stop++
				}
				return head[start:stop]
			}
		} else if clauseStops[string(w)] {
			break
		}
	}
	if marked || end == i {
		return ""
	}
	return head[start:f.src[2*end-1]]
}

// markerEnd returns where the gender marker starting at folded word i ends
// (exclusive): two or more of its letters in a row; i when none starts
// there.
func (f *foldedWords) markerEnd(i int) int {
	n := len(f.bounds) / 2
	j := i
	for j < n && genderLetter(f.word(j)) {
		j++
	}
	if j-i < 2 {
		return i
	}
	return j
}

// ExplainDescriptionRole reads a description as [DescriptionRole] does and
// returns, beside the role, the steps that decided it: the phrase of
// rules/role_text.tsv, and for a clause read as a title, the lines of the
// title tables.
func ExplainDescriptionRole(text, titleRole string, occupationKnown bool) (role string, steps []Step) {
	var tr trace
	role = descriptionRole(text, titleRole, occupationKnown, &tr)
	return role, tr.steps
}
