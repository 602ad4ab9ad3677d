package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/jobpulse/jobpulse/internal/testenv"
)

// This file freezes the Remotive parser as it was before its one-pass fast
// path, to hold the new one to it: refParseRemotiveSlow is the encoding/json
// reference, refParseRemotiveV2 the former fast path (for the benchmarks).
// Do not change them with the parser. They decode into the parser's types,
// remotiveResponse and remotiveJob, whose names are part of encoding/json's
// error messages: a change to those types changes both sides.

// refDecodeDocument is decodeDocument as it was.
func refDecodeDocument(body []byte, v any) error {
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

// refParseRemotiveSlow is parseRemotiveSlow as it was.
func refParseRemotiveSlow(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var resp remotiveResponse
	if err := refDecodeDocument(body, &resp); err != nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: %w", lakeKey, ErrMalformed, err)
	}
	if resp.Jobs == nil {
		return nil, nil, fmt.Errorf("remotive: parse %s: %w: no \"jobs\" array", lakeKey, ErrMalformed)
	}
	postings := make([]Posting, 0, len(resp.Jobs))
	var rejects []Reject
	for i, raw := range resp.Jobs {
		var j remotiveJob
		err := json.Unmarshal(raw, &j)
		if err != nil {
			err = fmt.Errorf("job is not a Remotive job object: %w", err)
		}
		postings, rejects = refAddRemotiveJob(postings, rejects, &j, err, lakeKey, i)
	}
	return postings, rejects, nil
}

// refParseRemotiveV2 is the fast path ParseRemotive had before: the whole
// page in one reflective decode with github.com/go-json-experiment/json,
// set to read names as encoding/json does, falling back to the slow path on
// any error. It differs from the slow path on one point: it ignores
// "job-count", which the slow path refuses when it is not an integer.
func refParseRemotiveV2(body []byte, lakeKey string) ([]Posting, []Reject, error) {
	var typed struct {
		Jobs []remotiveJob `json:"jobs"`
	}
	trimmed := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	err := jsonv2.Unmarshal(trimmed, &typed, jsonv2.MatchCaseInsensitiveNames(true), jsonv1.MatchCaseSensitiveDelimiter(true))
	if err == nil && typed.Jobs != nil {
		postings := make([]Posting, 0, len(typed.Jobs))
		var rejects []Reject
		for i := range typed.Jobs {
			postings, rejects = refAddRemotiveJob(postings, rejects, &typed.Jobs[i], nil, lakeKey, i)
		}
		return postings, rejects, nil
	}
	return refParseRemotiveSlow(body, lakeKey)
}

// refAddRemotiveJob is addRemotiveJob as it was.
func refAddRemotiveJob(postings []Posting, rejects []Reject, j *remotiveJob, decodeErr error, lakeKey string, i int) ([]Posting, []Reject) {
	var p Posting
	err := decodeErr
	if err == nil {
		p, err = refRemotivePosting(j)
	}
	if err != nil {
		return postings, append(rejects, Reject{LakeKey: lakeKey, Index: i, Reason: err.Error()})
	}
	p.LakeKey = lakeKey
	remote := true // Remotive lists remote jobs only
	p.RemoteHint = &remote
	return append(postings, p), rejects
}

// refRemotivePosting is remotivePosting as it was.
func refRemotivePosting(j *remotiveJob) (Posting, error) {
	id := strings.TrimSpace(string(j.ID))
	if id == "" {
		return Posting{}, errors.New("job has no id")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return Posting{}, fmt.Errorf("job id %q is not an integer", id)
	}
	title := strings.TrimSpace(j.Title)
	if title == "" {
		return Posting{}, fmt.Errorf("job %s has no title", id)
	}
	logo := j.CompanyLogoURL
	if logo == "" {
		logo = j.CompanyLogo
	}
	tags := make([]string, 0, len(j.Tags))
	for _, t := range j.Tags {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return Posting{
		Source:       "remotive",
		SourceID:     id,
		URL:          strings.TrimSpace(j.URL),
		Title:        title,
		Company:      strings.TrimSpace(j.CompanyName),
		CompanyLogo:  strings.TrimSpace(logo),
		Category:     strings.TrimSpace(j.Category),
		JobType:      strings.TrimSpace(j.JobType),
		LocationText: strings.TrimSpace(j.CandidateRequiredLocation),
		SalaryText:   strings.TrimSpace(j.Salary),
		Tags:         tags,
		Description:  j.Description,
		PublishedAt:  refParseRemotiveTime(j.PublicationDate),
	}, nil
}

// refParseRemotiveTime is parseRemotiveTime as it was.
func refParseRemotiveTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{
		"2006-01-02T15:04:05",
		"2006-01-02T15:04:05.999999999",
		time.RFC3339Nano,
		"2006-01-02 15:04:05",
		time.DateOnly,
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// BenchmarkParseRemotivePagesV2 is BenchmarkParseRemotivePages with the
// former fast path.
func BenchmarkParseRemotivePagesV2(b *testing.B) {
	benchParseRemotive(b, readBenchLakePages(b), refParseRemotiveV2)
}

// BenchmarkParseRemotiveRealV2 is BenchmarkParseRemotiveReal with the
// former fast path.
func BenchmarkParseRemotiveRealV2(b *testing.B) {
	benchParseRemotive(b, [][]byte{testenv.RealCapture(b, "remotive/remote-jobs.json")}, refParseRemotiveV2)
}
