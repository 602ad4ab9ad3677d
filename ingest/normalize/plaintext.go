package normalize

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// What an HTML element does to the text around it.
const (
	breakSpace     = iota + 1 // words on either side stay apart: td, th
	breakLine                 // a line break: br, div, tr, li...
	breakParagraph            // a blank line: p, h1-h6, ul, table...
	dropContent               // the element and its content are dropped: script, style...
)

// htmlBreaks maps elements to what they do; elements not listed are inline
// and do nothing.
var htmlBreaks = map[atom.Atom]int{
	atom.Td: breakSpace, atom.Th: breakSpace,
	atom.Br: breakLine, atom.Div: breakLine, atom.Tr: breakLine, atom.Li: breakLine, atom.Dt: breakLine,
	atom.Dd: breakLine, atom.Section: breakLine, atom.Article: breakLine, atom.Header: breakLine,
	atom.Footer: breakLine, atom.Nav: breakLine, atom.Aside: breakLine, atom.Main: breakLine,
	atom.Form: breakLine, atom.Figure: breakLine, atom.Figcaption: breakLine, atom.Address: breakLine,
	atom.Details: breakLine, atom.Summary: breakLine, atom.Fieldset: breakLine, atom.Caption: breakLine,
	atom.P: breakParagraph, atom.H1: breakParagraph, atom.H2: breakParagraph, atom.H3: breakParagraph,
	atom.H4: breakParagraph, atom.H5: breakParagraph, atom.H6: breakParagraph, atom.Ul: breakParagraph,
	atom.Ol: breakParagraph, atom.Dl: breakParagraph, atom.Table: breakParagraph,
	atom.Blockquote: breakParagraph, atom.Pre: breakParagraph, atom.Hr: breakParagraph,
	atom.Script: dropContent, atom.Style: dropContent, atom.Noscript: dropContent,
	atom.Template: dropContent, atom.Title: dropContent, atom.Iframe: dropContent,
	atom.Object: dropContent, atom.Svg: dropContent, atom.Math: dropContent, atom.Canvas: dropContent,
	atom.Textarea: dropContent, atom.Select: dropContent,
}

// PlainText turns an HTML description into readable plain text: tags
// removed; block elements (p, div, h1-h6, tables, lists...) become line
// breaks, paragraphs a blank line, list items lines starting with "- ";
// entities decoded; script, style, svg and similar elements dropped with
// their content; runs of spaces collapsed to one space and runs of line
// breaks to one blank line; no leading or trailing space. Control
// characters and invalid UTF-8 are removed. A text with no "<" and no "&" is
// taken as plain text, and its own line breaks are kept.
//
// It never fails: broken HTML gives the text the tokenizer finds. It reads
// the input once (linear time) and builds no tree, so deep nesting costs
// nothing. When the text is one piece of s, such as the content of a single
// paragraph, it is returned without a copy, sharing memory with s.
func PlainText(s string) string {
	w := plainWriter{size: len(s)}
	if strings.IndexByte(s, '<') < 0 && strings.IndexByte(s, '&') < 0 {
		w.text(s, true)
		return w.String()
	}
	drop := 0 // depth inside dropped elements
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			j = len(s)
		} else {
			j += i
		}
		if drop == 0 && j > i {
			w.htmlText(s[i:j])
		}
		if j == len(s) {
			break
		}
		i = j
		end, tag := scanTag(s, i)
		if end == i {
			// A "<" that starts no tag is text.
			if drop == 0 {
				w.text("<", false)
			}
			i++
			continue
		}
		i = end
		if tag.class == nil {
			continue // comment, doctype, element that does nothing
		}
		b := tag.class.brk
		switch {
		case tag.class.raw && !tag.end && !tag.selfClosing:
			// The content of script, style, title... runs to its end tag
			// and is dropped.
			i = skipRawText(s, i, tag.name)
		case b == dropContent:
			if tag.end {
				drop = max(drop-1, 0)
			} else if !tag.selfClosing {
				drop++
			}
		case drop > 0:
		case b == breakSpace:
			w.space, w.pending = true, true
		case b == breakLine || b == breakParagraph:
			w.lineBreak(b)
			if !tag.end && tag.class.name == atom.Li {
				w.bullet = true
			}
		}
	}
	return w.String()
}

// rawTextElements hold text that is not HTML, up to their end tag.
var rawTextElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true, atom.Textarea: true, atom.Xmp: true,
	atom.Iframe: true, atom.Noembed: true, atom.Noframes: true, atom.Noscript: true, atom.Plaintext: true,
}

// tagClasses holds htmlBreaks and rawTextElements in an open-addressing
// hash table (linear probing) keyed by the element's name, lower case,
// packed in two words: a tag costs a multiplication and a probe or two,
// where atom.Lookup and a map lookup would each hash the name. Elements
// neither table lists do nothing, so their atom is not needed.
var tagClasses = func() (tab [1 << tagClassBits]tagClass) {
	add := func(a atom.Atom) *tagClass {
		k := packElemName(a.String())
		h := k.hash()
		for tab[h].key.n != 0 && tab[h].key != k {
			h = (h + 1) % uint32(len(tab))
		}
		tab[h].key, tab[h].name = k, a
		return &tab[h]
	}
	for a, b := range htmlBreaks {
		add(a).brk = b
	}
	for a, raw := range rawTextElements {
		add(a).raw = raw
	}
	return tab
}()

// tagClassBits sizes tagClasses: 256 slots, more than four times the
// number of elements listed, so that probes stay short.
const tagClassBits = 8

// tagClass is one slot of tagClasses.
type tagClass struct {
	key  elemKey
	name atom.Atom // the element
	brk  int       // htmlBreaks[name]
	raw  bool      // rawTextElements[name]
}

// elemKey is an element name of up to 16 bytes, lower case: bytes 0-7 in
// lo and 8-15 in hi, the first lowest, and its length; n is 0 for an empty
// slot.
type elemKey struct {
	lo, hi uint64
	n      int
}

// add appends byte c, lower-cased, to k; a name longer than 16 bytes keeps
// only its length.
func (k *elemKey) add(c byte) {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	switch {
	case k.n < 8:
		k.lo |= uint64(c) << (8 * k.n)
	case k.n < 16:
		k.hi |= uint64(c) << (8 * (k.n - 8))
	}
	k.n++
}

// packElemName returns the key of name.
func packElemName(name string) elemKey {
	var k elemKey
	for i := range len(name) {
		k.add(name[i])
	}
	return k
}

// hash is the home slot of k in tagClasses (Fibonacci hashing).
func (k elemKey) hash() uint32 {
	return uint32((k.lo ^ k.hi*0xff51afd7ed558ccd ^ uint64(k.n)) * 0x9e3779b97f4a7c15 >> (64 - tagClassBits))
}

// lookupTag returns the class of the element named k: its atom and what
// htmlBreaks and rawTextElements say of it; nil when they list it not.
func lookupTag(k elemKey) *tagClass {
	if k.n == 0 || k.n > 16 {
		return nil
	}
	for h := k.hash(); ; h = (h + 1) % uint32(len(tagClasses)) {
		switch c := &tagClasses[h]; {
		case c.key == k:
			return c
		case c.key.n == 0:
			return nil
		}
	}
}

// htmlTag is what scanTag read.
type htmlTag struct {
	class       *tagClass // nil for comments, doctypes and elements not listed
	name        string    // the name as written, for raw text elements
	end         bool      // an end tag
	selfClosing bool      // ends with "/>"
}

// scanTag reads the tag, comment or doctype that starts at s[i] == '<' and
// returns where it ends; i when "<" starts none (it is then text). An
// unclosed tag or comment runs to the end of s.
func scanTag(s string, i int) (int, htmlTag) {
	var tag htmlTag
	if i+1 >= len(s) {
		return i, tag
	}
	c := s[i+1]
	switch {
	case c == '!':
		if rest, ok := strings.CutPrefix(s[i:], "<!--"); ok {
			switch {
			case strings.HasPrefix(rest, ">"): // "<!-->"
				return i + 5, tag
			case strings.HasPrefix(rest, "->"): // "<!--->"
				return i + 6, tag
			}
			// A comment ends at "-->", or at "--!>" (a parse error
			// that ends it all the same), whichever comes first.
			end := len(s)
			if k := strings.Index(rest, "-->"); k >= 0 {
				end = i + 4 + k + 3
			}
			if k := strings.Index(rest, "--!>"); k >= 0 && i+4+k+4 < end {
				end = i + 4 + k + 4
			}
			return end, tag
		}
		return skipTo(s, i+2, '>'), tag
	case c == '?':
		return skipTo(s, i+2, '>'), tag
	case c == '/':
		if i+2 >= len(s) {
			return i, tag // "</" at the end is text
		}
		if !isASCIILetter(s[i+2]) {
			if i+2 < len(s) && s[i+2] == '>' {
				return i + 3, tag // "</>" is dropped
			}
			return skipTo(s, i+2, '>'), tag // "</ x>" is a bogus comment
		}
		tag.end = true
		var k int
		tag.class, k = scanTagName(s, i+2)
		tag.name = s[i+2 : k]
		// An end tag's attributes mean nothing, but a quoted value in
		// them still hides a ">", as it does for the tokenizer.
		end, _ := skipAttributes(s, k)
		return end, tag
	case isASCIILetter(c):
		var k int
		tag.class, k = scanTagName(s, i+1)
		tag.name = s[i+1 : k]
		end, selfClosing := skipAttributes(s, k)
		tag.selfClosing = selfClosing
		return end, tag
	}
	return i, tag
}

// scanTagName reads an element name at s[k] and returns its class (nil
// when neither htmlBreaks nor rawTextElements lists it) and where it ends.
func scanTagName(s string, k int) (*tagClass, int) {
	var key elemKey
	for k < len(s) && s[k] != '>' && s[k] != '/' && !isHTMLSpace(s[k]) {
		key.add(s[k])
		k++
	}
	return lookupTag(key), k
}

// skipAttributes skips the attributes of a start tag from s[k] (after its
// name) to its ">", and returns where the tag ends and whether it ends with
// "/>". It reads attributes as the x/net/html tokenizer does: a quote opens a
// value only after "name="; an unclosed quote or tag runs to the end of s.
func skipAttributes(s string, k int) (int, bool) {
	k = skipHTMLSpace(s, k)
	for k < len(s) {
		if s[k] == '>' {
			return k + 1, s[k-1] == '/'
		}
		// The name: "=" counts as part of it when it comes first.
		start := k
		for k < len(s) {
			c := s[k]
			if c == '=' && k == start {
				k++
				continue
			}
			if c == '=' || c == '/' || c == '>' || isHTMLSpace(c) {
				break
			}
			k++
		}
		// The value, if "=" follows.
		k = skipHTMLSpace(s, k)
		if k >= len(s) {
			break
		}
		switch s[k] {
		case '/':
			k++
		case '=':
			k = skipHTMLSpace(s, k+1)
			if k >= len(s) {
				return len(s), false
			}
			switch q := s[k]; q {
			case '>':
			case '"', '\'':
				j := strings.IndexByte(s[k+1:], q)
				if j < 0 {
					return len(s), false
				}
				k += j + 2
			default:
				for k < len(s) && s[k] != '>' && !isHTMLSpace(s[k]) {
					k++
				}
			}
		}
		k = skipHTMLSpace(s, k)
	}
	return len(s), false
}

func skipHTMLSpace(s string, k int) int {
	for k < len(s) && isHTMLSpace(s[k]) {
		k++
	}
	return k
}

// skipRawText returns where the text of a raw text element that starts at
// s[i] ends: after its end tag "</name" (any case), or at the end of s.
func skipRawText(s string, i int, name string) int {
	for {
		k := strings.Index(s[i:], "</")
		if k < 0 {
			return len(s)
		}
		k += i + 2
		if k+len(name) <= len(s) && strings.EqualFold(s[k:k+len(name)], name) &&
			(k+len(name) == len(s) || s[k+len(name)] == '>' || s[k+len(name)] == '/' || isHTMLSpace(s[k+len(name)])) {
			return skipTo(s, k+len(name), '>')
		}
		i = k
	}
}

// skipTo returns the position after the first c at or after s[k], or len(s).
func skipTo(s string, k int, c byte) int {
	if k >= len(s) {
		return len(s)
	}
	if j := strings.IndexByte(s[k:], c); j >= 0 {
		return k + j + 1
	}
	return len(s)
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
