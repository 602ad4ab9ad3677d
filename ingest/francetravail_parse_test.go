package ingest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

const ftKey = "raw/source=francetravail/date=2025-03-11/run=r1/page-0001.json"

// TestParseFranceTravailCapture reads the real capture (150 offers): every
// offer is kept, with its ROME code, its place, its salary text, and the
// first read field by field.
func TestParseFranceTravailCapture(t *testing.T) {
	postings, rejects, err := ParseFranceTravail(testenv.RealCapture(t, "francetravail/2025-03.json"), ftKey)
	if err != nil || len(rejects) != 0 {
		t.Fatalf("rejects %v, err %v", rejects, err)
	}
	if len(postings) != 150 {
		t.Fatalf("%d postings, want 150", len(postings))
	}
	var salaries, codes, companies int
	for _, p := range postings {
		if p.SalaryText != "" {
			salaries++
		}
		if strings.HasPrefix(p.OccupationCode, "rome:") && len(p.OccupationCode) == len("rome:D1106") {
			codes++
		}
		if p.Company != "" {
			companies++
		}
		if p.LocationText == "" || p.PublishedAt.IsZero() || !strings.HasPrefix(p.URL, "https://") || p.LakeKey != ftKey {
			t.Errorf("%s: location %q, published %v, URL %q, lake key %q", p.SourceID, p.LocationText, p.PublishedAt, p.URL, p.LakeKey)
		}
	}
	// The capture's counts: 102 offers with salaire.libelle, 141 with
	// entreprise.nom, every one with a romeCode.
	if salaries != 102 || codes != 150 || companies != 141 {
		t.Errorf("%d salaries, %d ROME codes, %d companies: want 102, 150, 141", salaries, codes, companies)
	}
	first := postings[0]
	if !strings.HasPrefix(first.Description, "Pour cette boulangerie-pâtisserie artisanale située à Cannes") {
		t.Errorf("description %.60q", first.Description)
	}
	first.Description = ""
	onsite := false
	want := Posting{
		Source:         "francetravail",
		SourceID:       "189JHKY",
		URL:            "https://candidat.francetravail.fr/offres/recherche/detail/189JHKY",
		Title:          "Vendeur / Vendeuse en boulangerie (H/F)",
		Company:        "LA CHAUMIERE",
		Category:       "Épicier / Épicière",
		JobType:        "CDI, Temps plein",
		LocationText:   "06 - CANNES",
		Tags:           []string{},
		PublishedAt:    time.Date(2025, 3, 11, 12, 1, 12, 764e6, time.UTC),
		LakeKey:        ftKey,
		RemoteHint:     &onsite,
		OccupationCode: "rome:D1106",
		OccupationName: "Vendeur / Vendeuse en boulangerie-pâtisserie",
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first offer (-want +got):\n%s", diff)
	}
	if got := postings[2].SalaryText; got != "Annuel de 40000.0 Euros sur 12.0 mois" {
		t.Errorf("third offer's salary text %q", got)
	}
}

// TestParseFranceTravailMalformed: a page that is not a search response is
// an error; an offer that cannot be read is a reject, the others kept.
func TestParseFranceTravailMalformed(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        string
		wantErr     bool
		wantIDs     []string
		wantRejects int
	}{
		{name: "not JSON", body: "<html>502 Bad Gateway</html>", wantErr: true},
		{name: "no resultats", body: `{"filtresPossibles": []}`, wantErr: true},
		{name: "two documents", body: `{"resultats": []} {"resultats": []}`, wantErr: true},
		{name: "empty", body: `{"resultats": []}`},
		{name: "byte-order mark", body: "\xef\xbb\xbf" + `{"resultats": [{"id": "1", "intitule": "Boulanger"}]}`, wantIDs: []string{"1"}},
		{name: "offers without id or title, or not offers", wantIDs: []string{"ok"}, wantRejects: 4,
			body: `{"resultats": [{"id": " ", "intitule": "x"}, {"id": "2", "intitule": ""}, {"id": "ok", "intitule": "Comptable", "romeCode": 5}, "text", {"id": "ok", "intitule": "Comptable"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			postings, rejects, err := ParseFranceTravail([]byte(tc.body), ftKey)
			if tc.wantErr {
				if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), ftKey) {
					t.Errorf("err %v: want ErrMalformed naming the page", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range postings {
				ids = append(ids, p.SourceID)
			}
			if !cmp.Equal(tc.wantIDs, ids) || len(rejects) != tc.wantRejects {
				t.Errorf("ids %q, %d rejects %v; want %q, %d", ids, len(rejects), rejects, tc.wantIDs, tc.wantRejects)
			}
		})
	}
	// A search that found nothing is answered 204, with no body.
	src := NewFranceTravail(DefaultFranceTravailConfig(), DefaultFetchConfig())
	ps, rs, err := src.Parse(t.Context(), StoredPage{Key: ftKey, Meta: Meta{Status: 204}}, nil)
	if len(ps) != 0 || len(rs) != 0 || err != nil {
		t.Errorf("204 page: %d postings, %v, %v", len(ps), rs, err)
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		h                  string
		first, last, total int
		ok                 bool
	}{
		{"offres 0-149/9848", 0, 149, 9848, true},
		{" offres 300-352/353 ", 300, 352, 353, true},
		{"offres 0-0/1", 0, 0, 1, true},
		{"offres */9848", 0, 0, 0, false},
		{"offres 149-0/9848", 0, 0, 0, false},
		{"offres 0-149", 0, 0, 0, false},
		{"0-149/9848", 0, 0, 0, false},
		{"offres 0-149/-1", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		first, last, total, ok := ParseContentRange(tc.h)
		if first != tc.first || last != tc.last || total != tc.total || ok != tc.ok {
			t.Errorf("ParseContentRange(%q) = %d, %d, %d, %v", tc.h, first, last, total, ok)
		}
	}
}

// FuzzParseFranceTravail: any bytes give an error or postings and rejects
// that account for every offer, each posting with an id, a title and the
// source's name, and valid UTF-8 wherever the input was.
func FuzzParseFranceTravail(f *testing.F) {
	capture := testenv.RealCapture(f, "francetravail/2025-03.json")
	var page struct{ Resultats []json.RawMessage }
	if err := json.Unmarshal(capture, &page); err != nil {
		f.Fatal(err)
	}
	for _, o := range page.Resultats[:5] {
		f.Add([]byte(`{"resultats":[` + string(o) + `]}`))
	}
	f.Add([]byte(`{"resultats":[{"id":"1","intitule":"x","romeCode":"m1805","dateCreation":"2025-13-01","origineOffre":{"urlOrigine":"javascript:alert(1)"}}]}`))
	f.Add([]byte(`{"resultats":[{"id":"1","intitule":"x","lieuTravail":null,"salaire":{"libelle":7}}, null]}`))
	f.Add([]byte("\xef\xbb\xbf{\"resultats\":[{\"id\":\"\\u00e9\",\"intitule\":\"\xff\"}]}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		postings, rejects, err := ParseFranceTravail(body, ftKey)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		var all struct{ Resultats []json.RawMessage }
		if decodeDocument(body, &all) != nil || len(postings)+len(rejects) != len(all.Resultats) {
			t.Fatalf("%d postings and %d rejects of %d offers", len(postings), len(rejects), len(all.Resultats))
		}
		for _, p := range postings {
			if p.Source != "francetravail" || strings.TrimSpace(p.SourceID) == "" || strings.TrimSpace(p.Title) == "" || p.LakeKey != ftKey {
				t.Fatalf("posting %+v", p)
			}
			if !strings.HasPrefix(p.URL, "https://") && !strings.HasPrefix(p.URL, "http://") {
				t.Fatalf("posting %s: URL %q", p.SourceID, p.URL)
			}
			if p.OccupationCode != "" && !strings.HasPrefix(p.OccupationCode, "rome:") {
				t.Fatalf("posting %s: occupation %q", p.SourceID, p.OccupationCode)
			}
			if utf8.Valid(body) && !utf8.ValidString(p.Title+p.LocationText+p.SalaryText) {
				t.Fatalf("posting %s: invalid UTF-8 out of valid input", p.SourceID)
			}
		}
	})
}

// FuzzParseContentRange: what is read is a range that holds together.
func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"offres 0-149/9848", "offres 300-352/353", "offres */0", "offres 1-0/2", "x 9223372036854775807-9223372036854775807/9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		first, last, total, ok := ParseContentRange(h)
		if ok && (first < 0 || last < first || total < 0) {
			t.Fatalf("ParseContentRange(%q) = %d, %d, %d", h, first, last, total)
		}
		if !ok && (first != 0 || last != 0 || total != 0) {
			t.Fatalf("ParseContentRange(%q) not ok, but %d, %d, %d", h, first, last, total)
		}
	})
}
