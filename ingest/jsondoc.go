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
