package publish

import (
	"bytes"
	"compress/gzip"
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

// buildFile is one file to publish: a file of the built site, a redirect, or
// the manifest.
type buildFile struct {
	key             string // slash path relative to the site root: roles/index.html
	path            string // file on disk; "" when data holds the content
	size            int64  // of the source bytes
	sha256          string // hex, of the source bytes
	contentType     string
	cacheControl    string
	contentEncoding string // "gzip" when published compressed
	redirect        string // x-amz-website-redirect-location of a redirect object
	data            []byte // the content, for a file that is not on disk
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// open returns the source bytes.
func (f *buildFile) open() (io.ReadCloser, error) {
	if f.path == "" {
		return nopCloser{bytes.NewReader(f.data)}, nil
	}
	return os.Open(f.path)
}

// body returns the bytes as published: gzip-compressed when
// f.contentEncoding says so (in memory), else the source, with their size.
// The reader is an io.ReaderAt too, for multipart uploads.
func (f *buildFile) body() (body interface {
	io.ReadSeekCloser
	io.ReaderAt
}, size int64, err error) {
	if f.contentEncoding == "gzip" {
		src, err := f.open()
		if err != nil {
			return nil, 0, err
		}
		defer src.Close()
		b, err := gzipBytes(src)
		if err != nil {
			return nil, 0, err
		}
		return nopCloser{bytes.NewReader(b)}, int64(len(b)), nil
	}
	if f.path == "" {
		return nopCloser{bytes.NewReader(f.data)}, int64(len(f.data)), nil
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, 0, err
	}
	return fh, f.size, nil
}

// gzipBytes compresses r deterministically: no name, no modification time,
// a fixed level, so the same source always gives the same bytes (and ETag).
func gzipBytes(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(zw, r); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// walkBuild reads every regular file under dir (following symbolic links to
// files) with its hash and Content-Type.
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

// readBuildFile hashes the file at p and works out its Content-Type. It
// returns nil for what is not a regular file.
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
		key:         key,
		path:        p,
		size:        st.Size(),
		sha256:      hex.EncodeToString(h.Sum(nil)),
		contentType: contentTypeOf(key, head),
	}, nil
}

// memFile is a file published from memory.
func memFile(key, contentType, cacheControl string, data []byte) *buildFile {
	sum := sha256.Sum256(data)
	return &buildFile{
		key:          key,
		size:         int64(len(data)),
		sha256:       hex.EncodeToString(sum[:]),
		contentType:  contentType,
		cacheControl: cacheControl,
		data:         data,
	}
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

// compressible reports whether a Content-Type is text, worth publishing
// gzip-compressed (publish.gzip).
func compressible(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mediaType, "text/"),
		strings.HasSuffix(mediaType, "+xml"), strings.HasSuffix(mediaType, "+json"),
		mediaType == "application/json", mediaType == "application/xml",
		mediaType == "application/javascript", mediaType == "application/wasm":
		return true
	}
	return false
}
