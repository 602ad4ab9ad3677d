package normalize

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
