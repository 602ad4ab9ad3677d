package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Cache-Control of published files. A file whose name carries a content
// hash (assets/site.3f2a9c01b7de.css) never changes under that name; any
// other file may change at the next publish.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheShort     = "public, max-age=300"
)

// buildFile is one file of the built site.
type buildFile struct {
	key          string // slash path relative to the site root: roles/index.html
	path         string // file on disk
	size         int64
	sha256       string // hex
	contentType  string
	cacheControl string
	data         []byte // the content, for a file that is not on disk (path "")
	done         bool   // set by forEach once uploaded
}

// open returns the file's content.
func (f buildFile) open() (io.ReadSeekCloser, error) {
	if f.path == "" {
		return nopCloser{bytes.NewReader(f.data)}, nil
	}
	return os.Open(f.path)
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// markerKey names the file that marks a target as published by jobpulse.
// Publish deletes what a target holds beyond the build, so it refuses a
// target that is not empty and lacks this marker: a folder or bucket of
// other files is never wiped by a wrong publish.target.
const markerKey = ".jobpulse-site"

// markerFile is the marker, published with every site.
func markerFile() *buildFile {
	data := []byte("This folder is published by jobpulse: files that are not in the built site are deleted.\n")
	sum := sha256.Sum256(data)
	return &buildFile{
		key:          markerKey,
		size:         int64(len(data)),
		sha256:       hex.EncodeToString(sum[:]),
		contentType:  "text/plain; charset=utf-8",
		cacheControl: cacheControlOf(markerKey),
		data:         data,
	}
}

// isPage reports whether f is an HTML page, published after the assets.
func (f buildFile) isPage() bool {
	return strings.HasPrefix(f.contentType, "text/html")
}

// remoteObject is what a target knows of a published file.
type remoteObject struct {
	size   int64
	sha256 string
	// headers tells whether the target stores the headers below (a bucket
	// does, a folder does not).
	headers      bool
	contentType  string
	cacheControl string
}

// matches reports whether r holds f as built.
func (r remoteObject) matches(f buildFile) bool {
	if r.size != f.size || !strings.EqualFold(r.sha256, f.sha256) {
		return false
	}
	return !r.headers || (r.contentType == f.contentType && r.cacheControl == f.cacheControl)
}

// walkBuild reads every regular file under dir (following symbolic links to
// files) with its hash and headers.
func walkBuild(dir string) (map[string]*buildFile, error) {
	files := map[string]*buildFile{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f, err := readBuildFile(filepath.ToSlash(rel), p)
		if err != nil {
			return err
		}
		if f != nil {
			files[f.key] = f
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("site: publish: read site.out %q: %w", dir, err)
	}
	return files, nil
}

// readBuildFile hashes the file at p and works out its headers. It returns
// nil for what is not a regular file.
func readBuildFile(key, p string) (*buildFile, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(fh, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, err
	}
	head = head[:n]
	h := sha256.New()
	h.Write(head)
	if _, err := io.Copy(h, fh); err != nil {
		return nil, err
	}
	return &buildFile{
		key:          key,
		path:         p,
		size:         st.Size(),
		sha256:       hex.EncodeToString(h.Sum(nil)),
		contentType:  contentTypeOf(key, head),
		cacheControl: cacheControlOf(key),
	}, nil
}

// webTypes are the Content-Types of the files a site holds, fixed here so
// that they do not depend on the machine's MIME tables.
var webTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml; charset=utf-8",
	".rss":         "application/rss+xml; charset=utf-8",
	".atom":        "application/atom+xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".wasm":        "application/wasm",
}

// contentTypeOf returns the Content-Type of a file by its extension, then
// the system's MIME table, then its first bytes. Text types say
// charset=utf-8.
func contentTypeOf(name string, head []byte) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := webTypes[ext]; ok {
		return t
	}
	t := ""
	if ext != "" {
		t = mime.TypeByExtension(ext)
	}
	if t == "" {
		t = http.DetectContentType(head)
	}
	mediaType, params, err := mime.ParseMediaType(t)
	if err != nil {
		return "application/octet-stream"
	}
	if strings.HasPrefix(mediaType, "text/") || strings.HasSuffix(mediaType, "+xml") {
		params["charset"] = "utf-8"
	}
	return mime.FormatMediaType(mediaType, params)
}

// cacheControlOf returns the Cache-Control of a file: long-lived when its
// name carries a content hash, short otherwise.
func cacheControlOf(name string) string {
	for _, part := range strings.Split(path.Base(name), ".") {
		if isContentHash(part) {
			return cacheImmutable
		}
	}
	return cacheShort
}

// isContentHash reports whether s looks like a hex content hash (as the
// build puts in asset names): at least 8 hex digits, at least one a digit.
func isContentHash(s string) bool {
	if len(s) < 8 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f':
		default:
			return false
		}
	}
	return digit
}
