package normalize

import "strings"

// Classes of rules/workplace_title.tsv: a title with a remote word grants
// remote work, whatever job it names; else one that names a job done in
// person (wpInPerson, as in rules/workplace_text.tsv) is read so.
var titlePhrases = loadPhrases("workplace_title.tsv", map[string]int{"inperson": wpInPerson, "remote": wpRemote})

// TitleInPerson reports whether a job title names work that can only be
// done in person ("Sandwich artist", "Mail Carrier", "Elektriker",
// "Chauffeur livreur"), with the phrases of rules/workplace_title.tsv, and
// no word of it grants remote work ("Virtual Receptionist"). It is for a
// posting of a source whose postings are all remote, where neither the
// location text nor the description names a workplace: the source's
// remote-only default does not apply to such a job.
func TitleInPerson(title string) bool { return titleInPerson(title, nil) }

// ExplainTitleInPerson is [TitleInPerson], and returns the phrases of
// rules/workplace_title.tsv it found.
func ExplainTitleInPerson(title string) (inPerson bool, steps []Step) {
	var tr trace
	inPerson = titleInPerson(title, &tr)
	return inPerson, tr.steps
}

// titleInPerson is [TitleInPerson], recording the phrases it finds in tr.
// A title is short and read only where a remote-only source's default
// would apply, so it is folded whole.
func titleInPerson(title string, tr *trace) bool {
	f := wordsPool.Get().(*foldedWords)
	defer wordsPool.Put(f)
	f.buf, f.bounds = f.buf[:0], f.bounds[:0]
	f.fold(title)
	return f.match(titlePhrases, tr) == wpInPerson
}

// alonePhrases are the phrases of rules/workplace_alone.tsv: workplace
// words that a title gives as a part of their own.
var alonePhrases = loadPhrases("workplace_alone.tsv", map[string]int{"remote": wpRemote, "hybrid": wpHybrid, "onsite": wpOnsite})

// TitleWorkplace reads where the work is done from a job title: the
// phrases of rules/workplace_text.tsv that name a workplace, read as in a
// description ("Junior Linkbuilding Manager - 100% Remote", "Kundenberater -
// Home-Office möglich"), and the bare words of rules/workplace_alone.tsv
// where they make a part of the title on their own ("Engineer (remote)",
// "Werkstudent - Remote / Homeoffice"; not "Remote Sensing Scientist").
// The strongest class wins as in [TextWorkplace]; a grant of some work from
// home is [Hybrid], or [Remote] when remoteOnly. Phrases of in-person work
// and of offers that are no salaried job are not read from a title (see
// [TitleInPerson]). It returns "" when the title names no workplace.
func TitleWorkplace(title string, remoteOnly bool) string {
	return titleWorkplace(title, remoteOnly, nil)
}

// ExplainTitleWorkplace is [TitleWorkplace], and returns the phrases it
// found.
func ExplainTitleWorkplace(title string, remoteOnly bool) (workplace string, steps []Step) {
	var tr trace
	workplace = titleWorkplace(title, remoteOnly, &tr)
	return workplace, tr.steps
}

// titleWorkplace is [TitleWorkplace], recording the phrases it finds in tr.
func titleWorkplace(title string, remoteOnly bool, tr *trace) string {
	if !workplaceStemSet.anyWord(title) {
		return ""
	}
	f := wordsPool.Get().(*foldedWords)
	defer wordsPool.Put(f)
	f.buf, f.bounds = f.buf[:0], f.bounds[:0]
	f.fold(title)
	best := f.match(wpPhrases, tr)
	if best < wpPartial {
		best = -1 // in-person work and self-employment: see TitleInPerson
	}
	for part := range titleParts(title) {
		f.buf, f.bounds = f.buf[:0], f.bounds[:0]
		f.fold(part)
		if c := f.matchWhole(alonePhrases, tr); c > best {
			best = c
		}
	}
	switch best {
	case wpOnsite:
		return Onsite
	case wpRemote:
		return Remote
	case wpHybrid:
		return Hybrid
	case wpPartial:
		if remoteOnly {
			return Remote
		}
		return Hybrid
	}
	return ""
}

// titleParts yields the parts of a title between the marks that set a part
// apart: brackets, a dash or a bar between spaces, a slash, a comma, a colon
// or a semicolon ("DevOps / Platform Engineer (m/w/d) REMOTE" has the parts
// "DevOps", "Platform Engineer", "m", "w", "d" and "REMOTE"). A hyphen inside
// a word ("Full-Stack") sets nothing apart.
func titleParts(title string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(title); {
			end, next := -1, i+1
			switch {
			case i == len(title):
				end = i
			case strings.IndexByte("()[]{}/,:;|", title[i]) >= 0:
				end = i
			case title[i] == '-' && (i == 0 || title[i-1] == ' ') && (i+1 == len(title) || title[i+1] == ' '):
				end = i
			case strings.HasPrefix(title[i:], "–") || strings.HasPrefix(title[i:], "—"):
				end, next = i, i+len("–")
			}
			if end >= 0 {
				if part := strings.TrimSpace(title[start:end]); part != "" && !yield(part) {
					return
				}
				start = next
			}
			i = next
		}
	}
}

// matchWhole returns the class of the phrase of phrases that the folded
// words are, all of them, or -1 when they are none.
func (f *foldedWords) matchWhole(phrases map[string][]wpPhrase, tr *trace) int {
	n := len(f.bounds) / 2
	if n == 0 {
		return -1
	}
	for _, p := range phrases[string(f.word(0))] {
		if len(p.rest) == n-1 && f.restAt(1, p.rest) {
			if tr != nil {
				tr.add("workplace", wpClassNames[p.class], "a part of the title on its own: phrase "+p.src)
			}
			return p.class
		}
	}
	return -1
}
