package ingest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// GzipEncoded reports whether resp's body is still gzip-compressed by its
// Content-Encoding ("gzip", "x-gzip", or a list naming gzip): net/http
// decodes only "gzip", and only when it asked for it itself
// (resp.Uncompressed is then set).
func GzipEncoded(resp *http.Response) bool {
	return !resp.Uncompressed && strings.Contains(strings.ToLower(resp.Header.Get("Content-Encoding")), "gzip")
}

// Gunzip decodes body, one gzip member or several, holding at most limit
// decoded bytes: when the decoded body is longer it returns no body and an
// error wrapping [ErrTooLarge]. So a small body that decodes to gigabytes (a
// gzip bomb) costs no more memory than the cap.
func Gunzip(body []byte, limit int64) ([]byte, error) {
	var out bytes.Buffer
	if err := gunzip(&out, body, limit); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// CheckGunzip is [Gunzip] without keeping the decoded bytes: it only checks
// that body decodes to at most limit bytes.
func CheckGunzip(body []byte, limit int64) error {
	return gunzip(io.Discard, body, limit)
}

func gunzip(w io.Writer, body []byte, limit int64) error {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("gzip body of %d bytes: %w", len(body), err)
	}
	defer zr.Close()
	n, err := io.Copy(w, io.LimitReader(zr, limit+1))
	switch {
	case n > limit:
		return fmt.Errorf("%w (%d bytes, once decompressed from %d gzip bytes)", ErrTooLarge, limit, len(body))
	case err != nil:
		return fmt.Errorf("gzip body of %d bytes, after %d decoded bytes: %w", len(body), n, err)
	}
	return nil
}
