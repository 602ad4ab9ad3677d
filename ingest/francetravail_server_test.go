package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// Credentials the France Travail test server accepts.
const (
	ftClientID = "PAR_jobpulse_0123456789abcdef"
	ftSecret   = "Sêcret:@/?#%& '\"\\M5e1c2e3t4"
	ftScope    = "api_offresdemploiv2 o2dsoffre"
)

// ftOffer is an offer the test server serves: its bytes as the capture has
// them, and what the server filters on.
type ftOffer struct {
	raw         json.RawMessage
	id          string
	created     time.Time
	departement string
}

// ftServer plays France Travail on 127.0.0.1: the token endpoint of the
// client credentials grant, which checks what it is sent as France
// Travail's documentation asks (POST, realm=/partenaire, grant_type, the
// client id and secret in the form, the scopes), and the offers search,
// which wants the last token issued, pages by ranges as the API does (at
// most 150 offers a page, no index past 3149, 206 Partial Content while
// more follow, Content-Range: offres 0-149/N, 204 for a search that finds
// nothing) and filters by creation dates and département. Every violation
// fails the test. It can also withdraw a token before it expires, as the
// API may (revokeAfter), or the application's access (refuseAfter): a
// search then gets 401, which is no violation.
type ftServer struct {
	t         *testing.T
	offers    []ftOffer
	filters   json.RawMessage
	expiresIn int // seconds, in each token
	// revokeAfter, when above 0, is how many searches each token serves:
	// the next search with it gets 401, as if it had been revoked.
	revokeAfter int
	// refuseAfter, when above 0, is how many searches the server serves in
	// all: every later one gets 401, whatever its token.
	refuseAfter int

	mu       sync.Mutex
	tokens   []string // issued, the last one valid
	searches []string // raw queries of the searches asked, refused ones included
	bodies   []string // the token requests' bodies
	served   int      // searches answered with offers (or 204)
	byToken  int      // of those, answered with the last token issued
	refused  int      // searches answered 401 by revokeAfter or refuseAfter
}

// ftCapture reads the offers of the real capture.
func ftCapture(t testing.TB) (offers []json.RawMessage, filters json.RawMessage) {
	t.Helper()
	var page struct {
		Resultats        []json.RawMessage `json:"resultats"`
		FiltresPossibles json.RawMessage   `json:"filtresPossibles"`
	}
	if err := json.Unmarshal(testenv.RealCapture(t, "francetravail/2025-03.json"), &page); err != nil {
		t.Fatal(err)
	}
	return page.Resultats, page.FiltresPossibles
}

// newFTServer serves n offers: the capture's 150 as they are, then copies
// of them with ids of their own ("<id>-2", ...); when spread is set, the
// offers' creation dates are moved apart, a minute each, from
// 2025-03-01 on.
func newFTServer(t *testing.T, n int, spread bool) (*ftServer, *httptest.Server) {
	t.Helper()
	capture, filters := ftCapture(t)
	s := &ftServer{t: t, filters: filters, expiresIn: 1499}
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		raw := capture[i%len(capture)]
		var o map[string]any
		if err := json.Unmarshal(raw, &o); err != nil {
			t.Fatal(err)
		}
		if i >= len(capture) {
			o["id"] = fmt.Sprintf("%s-%d", o["id"], i/len(capture)+1)
		}
		if spread {
			o["dateCreation"] = start.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		}
		if i >= len(capture) || spread {
			var err error
			if raw, err = json.Marshal(o); err != nil {
				t.Fatal(err)
			}
		}
		created, err := time.Parse(time.RFC3339Nano, o["dateCreation"].(string))
		if err != nil {
			t.Fatal(err)
		}
		dep, _, _ := strings.Cut(o["lieuTravail"].(map[string]any)["libelle"].(string), " - ")
		s.offers = append(s.offers, ftOffer{raw: raw, id: o["id"].(string), created: created, departement: dep})
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// config returns the source's configuration for srv, with the right
// credentials and no pause between calls.
func (s *ftServer) config(srv *httptest.Server) FranceTravailConfig {
	cfg := DefaultFranceTravailConfig()
	cfg.URL = srv.URL + "/partenaire/offresdemploi"
	cfg.TokenURL = srv.URL + "/connexion/oauth2/access_token?realm=%2Fpartenaire"
	cfg.ClientID, cfg.ClientSecret = ftClientID, ftSecret
	cfg.MinInterval = 0
	return cfg
}

func (s *ftServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/connexion/oauth2/access_token":
		s.token(w, r)
	case "/partenaire/offresdemploi/v2/offres/search":
		s.search(w, r)
	default:
		s.t.Errorf("request to %s", r.URL)
		http.NotFound(w, r)
	}
}

func (s *ftServer) fail(w http.ResponseWriter, status int, format string, args ...any) {
	s.t.Errorf("France Travail server: "+format, args...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "message": fmt.Sprintf(format, args...)})
}

func (s *ftServer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "token request: %v", err)
		return
	}
	s.mu.Lock()
	s.bodies = append(s.bodies, r.PostForm.Encode())
	s.mu.Unlock()
	switch {
	case r.Method != http.MethodPost:
		s.fail(w, http.StatusMethodNotAllowed, "token request: method %s", r.Method)
		return
	case r.URL.Query().Get("realm") != "/partenaire":
		s.fail(w, http.StatusBadRequest, "token request: realm %q", r.URL.Query().Get("realm"))
		return
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		s.fail(w, http.StatusBadRequest, "token request: Content-Type %q", r.Header.Get("Content-Type"))
		return
	case r.PostForm.Get("grant_type") != "client_credentials":
		s.fail(w, http.StatusBadRequest, "token request: grant_type %q", r.PostForm.Get("grant_type"))
		return
	case r.PostForm.Get("scope") != ftScope:
		s.fail(w, http.StatusBadRequest, "token request: scope %q, want %q", r.PostForm.Get("scope"), ftScope)
		return
	case r.Header.Get("Authorization") != "":
		s.fail(w, http.StatusBadRequest, "token request: credentials in an Authorization header, not in the form")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.PostForm.Get("client_id") != ftClientID || r.PostForm.Get("client_secret") != ftSecret {
		w.WriteHeader(http.StatusUnauthorized)
		// A server that echoes what it was sent: the source must mask it.
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client",
			"error_description": "Client authentication failed for " + r.PostForm.Get("client_secret")})
		return
	}
	s.mu.Lock()
	tok := fmt.Sprintf("tok-%d", len(s.tokens)+1)
	s.tokens = append(s.tokens, tok)
	s.byToken = 0
	s.mu.Unlock()
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer",
		"expires_in": s.expiresIn, "scope": ftScope})
}

func (s *ftServer) search(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	valid := len(s.tokens) > 0 && r.Header.Get("Authorization") == "Bearer "+s.tokens[len(s.tokens)-1]
	s.searches = append(s.searches, r.URL.RawQuery)
	withdrawn := valid && (s.revokeAfter > 0 && s.byToken >= s.revokeAfter || s.refuseAfter > 0 && s.served >= s.refuseAfter)
	switch {
	case withdrawn:
		s.refused++
	case valid:
		s.served++
		s.byToken++
	}
	s.mu.Unlock()
	if !valid {
		s.fail(w, http.StatusUnauthorized, "search with Authorization %q: not the last token issued", r.Header.Get("Authorization"))
		return
	}
	if withdrawn {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error": "invalid_token", "error_description": "access token revoked"}`))
		return
	}
	q := r.URL.Query()
	first, last, err := parseRangeParam(q.Get("range"))
	switch {
	case err != nil:
		s.fail(w, http.StatusBadRequest, "range %q: %v", q.Get("range"), err)
		return
	case first > 3000 || last > 3149 || last-first+1 > 150:
		s.fail(w, http.StatusBadRequest, "range %q: past the API's limits", q.Get("range"))
		return
	case q.Has("minCreationDate") != q.Has("maxCreationDate"):
		s.fail(w, http.StatusBadRequest, "minCreationDate and maxCreationDate go together")
		return
	}
	var lo, hi time.Time
	if q.Has("minCreationDate") {
		lo, err = time.Parse("2006-01-02T15:04:05Z", q.Get("minCreationDate"))
		if err == nil {
			hi, err = time.Parse("2006-01-02T15:04:05Z", q.Get("maxCreationDate"))
		}
		if err != nil {
			s.fail(w, http.StatusBadRequest, "creation dates: %v", err)
			return
		}
	}
	var found []json.RawMessage
	for _, o := range s.offers {
		if (lo.IsZero() || !o.created.Before(lo) && !o.created.After(hi)) &&
			(!q.Has("departement") || q.Get("departement") == o.departement) {
			found = append(found, o.raw)
		}
	}
	if len(found) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if first >= len(found) {
		s.fail(w, http.StatusRequestedRangeNotSatisfiable, "range %q past the %d offers found", q.Get("range"), len(found))
		return
	}
	last = min(last, len(found)-1)
	// The offers as the capture has them, byte for byte.
	var body bytes.Buffer
	body.WriteString(`{"resultats": [`)
	for i, o := range found[first : last+1] {
		if i > 0 {
			body.WriteString(", ")
		}
		body.Write(o)
	}
	fmt.Fprintf(&body, `], "filtresPossibles": %s}`, s.filters)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Range", fmt.Sprintf("offres %d-%d/%d", first, last, len(found)))
	w.Header().Set("Accept-Range", "offres 150")
	if last < len(found)-1 {
		w.WriteHeader(http.StatusPartialContent)
	}
	w.Write(body.Bytes())
}

// parseRangeParam reads range=p-d.
func parseRangeParam(s string) (first, last int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("not p-d")
	}
	if first, err = strconv.Atoi(a); err == nil {
		last, err = strconv.Atoi(b)
	}
	if err == nil && (first < 0 || last < first) {
		err = fmt.Errorf("p > d")
	}
	return first, last, err
}

// counts returns how many tokens were issued and searches served.
func (s *ftServer) counts() (tokens, searches int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tokens), len(s.searches)
}
