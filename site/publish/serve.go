package publish

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

// maxGzip is the largest file [Handler] compresses: it compresses a file in
// memory, whole, and sends a larger one as it is.
const maxGzip = 64 << 20

// Handler serves the built site in dir as a website bucket serves what
// [Publish] put there: a folder's index.html for its path (a folder asked
// for without its final slash is redirected to it), the site's 404.html with
// status 404 for what is missing, and every file with the Content-Type and
// Cache-Control a publish gives it (rules are publish.cache_control). Text is
// sent gzip-compressed to a client that accepts it (Vary: Accept-Encoding),
// as publish.gzip publishes it. It answers GET and HEAD, with ranges and
// If-Modified-Since, and reads nothing outside dir (a symbolic link that
// leads out is missing). dir is opened at each request, so that a build
// that replaces it is served at once.
func Handler(dir string, rules []CacheRule) http.Handler {
	return &siteHandler{dir: dir, rules: rules}
}

type siteHandler struct {
	dir   string
	rules []CacheRule
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "500 the site's folder cannot be read", http.StatusInternalServerError)
		return
	}
	defer root.Close()
	key := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if key == "" {
		key = "."
	}
	st, err := root.Stat(key)
	if err == nil && st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, redirectToFolder(r), http.StatusMovedPermanently)
			return
		}
		key = path.Join(key, "index.html")
		st, err = root.Stat(key)
	}
	status := http.StatusOK
	if err != nil || !st.Mode().IsRegular() {
		key, status = "404.html", http.StatusNotFound
		if st, err = root.Stat(key); err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
	}
	f, err := root.Open(key)
	if err != nil {
		http.Error(w, "500 the file cannot be read", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		http.Error(w, "500 the file cannot be read", http.StatusInternalServerError)
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		http.Error(w, "500 the file cannot be read", http.StatusInternalServerError)
		return
	}
	contentType := contentTypeOf(key, head[:n])
	hdr := w.Header()
	hdr.Set("Content-Type", contentType)
	hdr.Set("Cache-Control", servedCacheControl(key, contentType, h.rules))
	var body io.ReadSeeker = f
	if compressible(contentType) {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) && st.Size() <= maxGzip {
			b, err := gzipBytes(f)
			if err != nil {
				http.Error(w, "500 the file cannot be read", http.StatusInternalServerError)
				return
			}
			hdr.Set("Content-Encoding", "gzip")
			body = bytes.NewReader(b)
		}
	}
	if status != http.StatusOK {
		serveStatus(w, r, status, body)
		return
	}
	http.ServeContent(w, r, key, st.ModTime(), body)
}

// servedCacheControl is the Cache-Control a publish gives the file at key
// (the manifest and lock, which the build's marker stands for, none).
func servedCacheControl(key, contentType string, rules []CacheRule) string {
	if key == MarkerKey || key == lockKey {
		return cacheNever
	}
	return cacheControlOf(key, contentType, rules)
}

// serveStatus sends body whole with status (the 404 page), for which
// ranges and conditions do not apply.
func serveStatus(w http.ResponseWriter, r *http.Request, status int, body io.ReadSeeker) {
	size, err := body.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = body.Seek(0, io.SeekStart)
	}
	if err != nil {
		http.Error(w, "500 the file cannot be read", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		io.Copy(w, body)
	}
}

// redirectToFolder returns the request's path with a final slash, and its
// query.
func redirectToFolder(r *http.Request) string {
	u := path.Base(r.URL.Path) + "/"
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

// acceptsGzip reports whether Accept-Encoding headers accept gzip: gzip
// or * listed without q=0 (and gzip not refused by its own q=0).
func acceptsGzip(values []string) bool {
	star := false
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(item), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "x-gzip" && name != "*" {
				continue
			}
			ok := true
			for p := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					q, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					ok = err == nil && q > 0
				}
			}
			if name == "*" {
				star = star || ok
				continue
			}
			return ok
		}
	}
	return star
}
