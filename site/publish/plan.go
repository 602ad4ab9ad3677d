package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// MarkerKey names the manifest that marks a target as published by
// jobpulse. Publish deletes what a target holds beyond the build, so it
// refuses a target that is not empty and lacks this marker: a folder or
// bucket of other files is never wiped by a wrong publish.target. An older
// marker holding plain text (no manifest) is accepted and replaced.
const MarkerKey = ".jobpulse-site"

// manifestVersion is the version of the manifest format.
const manifestVersion = 1

// manifest is the content of the marker: what the last publish uploaded,
// written last by every publish that changed something.
type manifest struct {
	// Note tells a person who finds the file what it is.
	Note string `json:"note"`
	// Version is manifestVersion.
	Version int `json:"version"`
	// Files are the published objects by key relative to the target.
	Files map[string]manifestEntry `json:"files"`
	// Invalidate are the URL paths of objects changed on the target that
	// CloudFront has not been told of yet: the next publish invalidates
	// them.
	Invalidate []string `json:"invalidate,omitempty"`
}

// manifestEntry describes one published object.
type manifestEntry struct {
	// SHA256 is the hex sha256 of the source bytes (before any gzip), also
	// in the object's x-amz-meta-sha256.
	SHA256 string `json:"sha256"`
	// ETag is the object's ETag as the upload returned it (on a bucket), or
	// "mtime:<unix nanoseconds>" of the file (in a folder). A listed ETag
	// that differs means the object changed behind publish's back.
	ETag string `json:"etag"`
	// Size is the size of the object as uploaded (after any gzip).
	Size            int64  `json:"size"`
	ContentType     string `json:"content_type,omitempty"`
	CacheControl    string `json:"cache_control,omitempty"`
	ContentEncoding string `json:"content_encoding,omitempty"`
	Redirect        string `json:"redirect,omitempty"`
}

const manifestNote = "This folder is published by jobpulse: files that are not in the built site are deleted. Do not edit."

// parseManifest reads a marker's content. An old-style marker (plain text)
// gives an empty manifest: every object is then uploaded again once.
func parseManifest(b []byte) manifest {
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Version != manifestVersion {
		return manifest{}
	}
	return m
}

// encode returns the manifest as deterministic JSON (map keys sorted).
func (m manifest) encode() []byte {
	m.Note, m.Version = manifestNote, manifestVersion
	if m.Files == nil {
		m.Files = map[string]manifestEntry{}
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		panic(fmt.Sprintf("site: encode manifest: %v", err)) // plain strings and numbers
	}
	return append(b, '\n')
}

// manifestFile is the marker file holding m.
func manifestFile(m manifest) *buildFile {
	return memFile(MarkerKey, "application/json", cacheNever, m.encode())
}

// PlanAction is what publish does with one key.
type PlanAction string

// The actions of a [Plan].
const (
	ActionUpload    PlanAction = "upload"    // new on the target
	ActionUpdate    PlanAction = "update"    // on the target in another version
	ActionDelete    PlanAction = "delete"    // on the target, gone from the build
	ActionUnchanged PlanAction = "unchanged" // on the target as built
)

// Reasons of the plan's actions.
const (
	reasonNew          = "new"
	reasonNoManifest   = "not in the manifest"
	reasonChangedThere = "changed on the target"
	reasonContent      = "content changed"
	reasonGone         = "gone from the build"
)

// PlanItem is one key of a [Plan].
type PlanItem struct {
	Key    string     `json:"key"`
	Action PlanAction `json:"action"`
	Reason string     `json:"reason,omitempty"`
	// Size is the size of the source file (upload, update, unchanged) or of
	// the object on the target (delete).
	Size int64 `json:"size"`
}

// Plan is what a publish does, computed from one listing of the
// target and its manifest before anything is written.
type Plan struct {
	Target string `json:"target"`
	// Manifest tells whether the target held a manifest to compare with
	// (false for a new target or an old-style marker).
	Manifest bool `json:"manifest"`
	// Items are every key, in upload order, then the deletes.
	Items []PlanItem `json:"items"`
	// MaxDeletes is the delete limit (publish.max_deletes; -1: none).
	MaxDeletes int `json:"max_deletes"`
	// DeletesRefused tells whether the deletes exceed MaxDeletes: the
	// publish is then refused whole, before anything is written.
	DeletesRefused bool `json:"deletes_refused,omitempty"`
	// Invalidate are the paths a successful publish invalidates on the
	// CloudFront distribution (publish.cloudfront_distribution): those of
	// the updates and deletes, and those pending from an earlier publish.
	Invalidate []string `json:"invalidate,omitempty"`
}

// Count returns how many items have action a.
func (p *Plan) Count(a PlanAction) int {
	n := 0
	for _, it := range p.Items {
		if it.Action == a {
			n++
		}
	}
	return n
}

// changedKeys returns the keys of the updates and deletes: the objects
// whose old version a cache may hold.
func (p *Plan) changedKeys() []string {
	var keys []string
	for _, it := range p.Items {
		if it.Action == ActionUpdate || it.Action == ActionDelete {
			keys = append(keys, it.Key)
		}
	}
	return keys
}

// compareEntry returns the reason f must be uploaded over the listed object
// r described by the manifest entry e (ok: the manifest has one), or "" when
// the object is as built. Headers are compared only when the target keeps
// them (headers).
func compareEntry(f *buildFile, r remoteObject, e manifestEntry, ok, headers bool) string {
	switch {
	case !ok:
		return reasonNoManifest
	case r.etag != e.ETag || r.size != e.Size:
		return reasonChangedThere
	case !strings.EqualFold(e.SHA256, f.sha256):
		return reasonContent
	case !headers:
		// A folder keeps no headers: a header change rewrites nothing.
	case e.ContentType != f.contentType:
		return "Content-Type changed"
	case e.CacheControl != f.cacheControl:
		return "Cache-Control changed"
	case e.ContentEncoding != f.contentEncoding:
		return "Content-Encoding changed"
	case e.Redirect != f.redirect:
		return "redirect changed"
	}
	return ""
}

// plannedFile is a file of the plan with what to do with it.
type plannedFile struct {
	*buildFile
	action PlanAction
	class  int
}

// makePlan compares the files to publish with the listed target and its
// manifest. It returns the plan, the files in upload order (with the
// unchanged ones, whose manifest entries carry over) and the keys to delete.
func makePlan(target string, headers bool, files map[string]*buildFile, remote map[string]remoteObject, m manifest, hasManifest bool, maxDeletes int) (*Plan, []plannedFile, []string) {
	plan := &Plan{Target: target, Manifest: hasManifest, MaxDeletes: maxDeletes}
	var planned []plannedFile
	for _, f := range files {
		p := plannedFile{buildFile: f, class: publishClass(f.key, f.contentType)}
		r, listed := remote[f.key]
		e, inManifest := m.Files[f.key]
		reason := reasonNew
		switch {
		case !listed:
			p.action = ActionUpload
		default:
			reason = compareEntry(f, r, e, inManifest, headers)
			p.action = ActionUpdate
			if reason == "" {
				p.action = ActionUnchanged
			}
		}
		planned = append(planned, p)
		plan.Items = append(plan.Items, PlanItem{Key: f.key, Action: p.action, Reason: reason, Size: f.size})
	}
	order := func(a, b plannedFile) int {
		if a.class != b.class {
			return a.class - b.class
		}
		return strings.Compare(a.key, b.key)
	}
	slices.SortFunc(planned, order)
	byKey := map[string]int{}
	for i, p := range planned {
		byKey[p.key] = i
	}
	slices.SortFunc(plan.Items, func(a, b PlanItem) int { return byKey[a.Key] - byKey[b.Key] })

	var stale []string
	for key := range remote {
		if _, ok := files[key]; !ok && key != MarkerKey {
			stale = append(stale, key)
		}
	}
	slices.Sort(stale)
	for _, k := range stale {
		plan.Items = append(plan.Items, PlanItem{Key: k, Action: ActionDelete, Reason: reasonGone, Size: remote[k].size})
	}
	plan.DeletesRefused = maxDeletes >= 0 && len(stale) > maxDeletes
	return plan, planned, stale
}

// sameBytes reports whether the marker must be rewritten: its content would
// change.
func sameBytes(old []byte, m manifest) bool {
	return bytes.Equal(old, m.encode())
}
