package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
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

// decodeFast decodes body like [decodeDocument], with the faster decoder of
// github.com/go-json-experiment/json (encoding/json's v2) set to read names
// as encoding/json does. It is stricter (it refuses invalid UTF-8 and
// duplicate names), so a caller that gets an error decodes again with
// [decodeDocument], which decides.
func decodeFast(body []byte, v any) error {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	return jsonv2.Unmarshal(body, v, jsonv2.MatchCaseInsensitiveNames(true), jsonv1.MatchCaseSensitiveDelimiter(true))
}
