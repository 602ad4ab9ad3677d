package boards

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jobpulse/jobpulse/internal/jobdata"
)

// maxCompany bounds the company's name a run's manifest may give a board
// (see [FromRun]): a list's line is far shorter.
const maxCompany = 200

// Ref returns the board as a run's manifest records it
// ([jobdata.SourceRun].Board): its kind, its name as listed and the
// company's name the list gave.
func (b Board) Ref() jobdata.BoardRef {
	return jobdata.BoardRef{Kind: b.Kind, Name: b.Name, Company: b.Company}
}

// Ref returns the board the source reads, as its run's manifest records it
// (see [ingest.BoardRefOf]).
func (s *Source) Ref() jobdata.BoardRef { return s.board.Ref() }

// FromRun returns the board whose pages a run's source named source holds,
// to parse them when the board is no longer listed: the board the run's
// manifest recorded (ref) when it is that source's, else the board the
// name spells ([KindOf]: its kind, and its name in lower case, with no
// company). ok is false when source is no company board's. origin names
// where the board came from, for errors.
//
// A recorded board whose kind is unknown, whose name is not a board name,
// or that is another source's, is not used; a company's name that is too
// long or holds control characters is left out.
func FromRun(source string, ref *jobdata.BoardRef, origin string) (Board, bool) {
	kind, name, ok := KindOf(source)
	if !ok {
		return Board{}, false
	}
	b := Board{Kind: kind, Name: name, Origin: origin}
	if ref == nil {
		return b, true
	}
	rec := Board{Kind: ref.Kind, Name: ref.Name, Company: ref.Company, Origin: origin}
	if _, known := kinds[rec.Kind]; !known || len(rec.Name) > maxBoardName || !boardName.MatchString(rec.Name) ||
		rec.Source() != source {
		return b, true
	}
	if !plainText(rec.Company, maxCompany) {
		rec.Company = ""
	}
	return rec, true
}

// plainText reports whether s is valid UTF-8 of at most n runes with no
// control character and no space at either end: a company's name as a list
// line gives it.
func plainText(s string, n int) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= n && strings.TrimSpace(s) == s &&
		!strings.ContainsFunc(s, unicode.IsControl)
}
