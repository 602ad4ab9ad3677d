package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeDocument decodes body, one whole JSON document that may start with a
// UTF-8 byte-order mark, into v. Data after the document is an error: a
// response with two documents, or JSON followed by an HTML error page, is
// not what a source answers.
func decodeDocument(body []byte, v any) error {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON document")
	}
	return nil
}

// parseRecords parses each record of a page with parse: the postings, with
// the page's lake key, and a [Reject] for each record that parse refuses,
// at its index. One bad record never costs the others.
func parseRecords(records []json.RawMessage, lakeKey string, parse func(json.RawMessage) (Posting, error)) ([]Posting, []Reject) {
	postings := make([]Posting, 0, len(records))
	var rejects []Reject
	for i, raw := range records {
		p, err := parse(raw)
		if err != nil {
			rejects = append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
			continue
		}
		p.LakeKey = lakeKey
		postings = append(postings, p)
	}
	return postings, rejects
}
