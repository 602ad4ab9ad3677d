package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// franceTravailOfferPage is the address of an offer's page on France
// Travail's site, for an offer that gives none.
const franceTravailOfferPage = "https://candidat.francetravail.fr/offres/recherche/detail/"

// Parse parses a page of France Travail's offers search. A page answered
// 204 No Content (a search that found nothing) holds no offers.
func (s *FranceTravail) Parse(_ context.Context, page StoredPage, _ Lookup) ([]Posting, []Reject, error) {
	if page.Meta.Status == http.StatusNoContent && len(strings.TrimSpace(string(page.Body))) == 0 {
		return nil, nil, nil
	}
	return ParseFranceTravail(page.Body, page.Key)
}

type franceTravailOffer struct {
	ID           string `json:"id"`
	Intitule     string `json:"intitule"`
	Description  string `json:"description"`
	DateCreation string `json:"dateCreation"`
	LieuTravail  struct {
		Libelle string `json:"libelle"`
	} `json:"lieuTravail"`
	RomeCode    string `json:"romeCode"`
	RomeLibelle string `json:"romeLibelle"`
	// Appellation is the offer's occupation under its code, in ROME's own
	// words ("Gestionnaire d'applications système d'information").
	Appellation string `json:"appellationlibelle"`
	Entreprise  struct {
		Nom  string `json:"nom"`
		Logo string `json:"logo"`
	} `json:"entreprise"`
	TypeContratLibelle          string `json:"typeContratLibelle"`
	DureeTravailLibelleConverti string `json:"dureeTravailLibelleConverti"`
	Salaire                     struct {
		Libelle string `json:"libelle"`
	} `json:"salaire"`
	OrigineOffre struct {
		URLOrigine string `json:"urlOrigine"`
	} `json:"origineOffre"`
}

// ParseFranceTravail parses one response of France Travail's offers search:
// {"resultats": [...], "filtresPossibles": [...]}. lakeKey names the raw
// page in errors and rejects. A page that is not the expected JSON (or has
// no "resultats" array) is an error wrapping [ErrMalformed]; an offer that
// lacks an id or a title is returned as a [Reject] and the others are kept.
//
// The offer's id is the posting's id, intitule its title, lieuTravail.libelle
// ("75 - Paris 15e Arrondissement") its location text, salaire.libelle
// ("Mensuel de 1900,00 Euros sur 12 mois") its salary text, romeCode its
// OccupationCode ("rome:D1106"), appellationlibelle its OccupationName
// ("Chef de projet de développement local"), romeLibelle its category, the contract
// and working time ("CDD - 6 Mois, Temps plein") its job type, and
// dateCreation its publication time. The API gives each offer the place
// where the work is done and no remote flag, so RemoteHint is false:
// on-site unless the description says otherwise. URL is the offer's page
// (origineOffre.urlOrigine, else its page on France Travail's site).
func ParseFranceTravail(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var page struct {
		Resultats []json.RawMessage `json:"resultats"`
	}
	if err := decodeDocument(body, &page); err != nil {
		return nil, nil, fmt.Errorf("francetravail: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if page.Resultats == nil {
		return nil, nil, fmt.Errorf("francetravail: parse %s: %w: no \"resultats\" array", lakeKey, ErrMalformed)
	}
	postings, rejects := parseRecords(page.Resultats, lakeKey, parseFranceTravailOffer)
	return postings, rejects, nil
}

func parseFranceTravailOffer(raw json.RawMessage) (Posting, error) {
	var o franceTravailOffer
	if err := json.Unmarshal(raw, &o); err != nil {
		return Posting{}, fmt.Errorf("offer is not a France Travail offer object: %w", err)
	}
	id := strings.TrimSpace(o.ID)
	if id == "" {
		return Posting{}, errors.New("offer has no id")
	}
	title := strings.TrimSpace(o.Intitule)
	if title == "" {
		return Posting{}, fmt.Errorf("offer %s has no title", id)
	}
	var published time.Time
	if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(o.DateCreation)); err == nil {
		published = t.UTC()
	}
	code := ""
	if c := strings.ToUpper(strings.TrimSpace(o.RomeCode)); c != "" {
		code = "rome:" + c
	}
	link := strings.TrimSpace(o.OrigineOffre.URLOrigine)
	if u, err := url.Parse(link); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		link = franceTravailOfferPage + url.PathEscape(id)
	}
	onsite := false
	return Posting{
		Source:         "francetravail",
		SourceID:       id,
		URL:            link,
		Title:          title,
		Company:        strings.TrimSpace(o.Entreprise.Nom),
		CompanyLogo:    strings.TrimSpace(o.Entreprise.Logo),
		Category:       strings.TrimSpace(o.RomeLibelle),
		JobType:        strings.Join(trimAll([]string{o.TypeContratLibelle, o.DureeTravailLibelleConverti}), ", "),
		LocationText:   strings.TrimSpace(o.LieuTravail.Libelle),
		SalaryText:     strings.TrimSpace(o.Salaire.Libelle),
		Tags:           []string{},
		Description:    o.Description,
		PublishedAt:    published,
		RemoteHint:     &onsite,
		OccupationCode: code,
		OccupationName: strings.TrimSpace(o.Appellation),
	}, nil
}
