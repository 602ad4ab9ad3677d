package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jobpulse/jobpulse/site"
	"github.com/jobpulse/jobpulse/site/publish"
	"github.com/jobpulse/jobpulse/warehouse"
)

// report is what a command did, printed at its end for people, or as JSON
// with --json.
type report struct {
	Runs    []runReport       `json:"runs,omitempty"`
	Shard   *shardReport      `json:"shard,omitempty"` // ingest --shard: its run is in the lake only
	Build   *site.BuildResult `json:"build,omitempty"`
	Publish *publishReport    `json:"publish,omitempty"`
	Error   string            `json:"error,omitempty"`
}

type runReport struct {
	warehouse.Run
	Loaded warehouse.LoadStats `json:"loaded"`
}

type publishReport struct {
	Source string `json:"source"`
	Target string `json:"target"` // empty: nothing was published
	publish.Result
}

// addRun records a loaded run.
func (r *report) addRun(run warehouse.Run, stats warehouse.LoadStats) {
	r.Runs = append(r.Runs, runReport{Run: run, Loaded: stats})
}

// write prints the report, with err (if any) in the JSON form, and returns
// err: the command's result.
func (r *report) write(out io.Writer, asJSON bool, err error) error {
	if err != nil {
		r.Error = oneLine(err.Error())
	}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(r); jerr != nil && err == nil {
			err = fmt.Errorf("report: %w", jerr)
		}
		return err
	}
	for _, run := range r.Runs {
		fmt.Fprintf(out, "run %s: %s\n", run.ID, run.Status)
		for _, s := range run.Sources {
			fmt.Fprintf(out, "  %-10s %-6s %4d pages %7d postings %5d rejected", s.Source, s.Status, s.Pages, s.Postings, s.Rejected)
			if s.Error != "" {
				fmt.Fprintf(out, "  %s", s.Error)
			}
			fmt.Fprintln(out)
		}
		if sh := r.Shard; sh != nil {
			again := ""
			if sh.Attempt > 1 {
				again = fmt.Sprintf(" (attempt %d)", sh.Attempt)
			}
			fmt.Fprintf(out, "  shard %s of night %s%s recorded at %s: load --night %s loads it with the others\n",
				sh.Shard, sh.Night, again, sh.Key, sh.Night)
			continue
		}
		l := run.Loaded
		fmt.Fprintf(out, "  loaded: %d new, %d updated, %d unchanged, %d sightings\n", l.Inserted, l.Updated, l.Unchanged, l.Sightings)
	}
	if b := r.Build; b != nil {
		fmt.Fprintf(out, "built %d pages from %d queries into %s in %s\n", b.Pages, b.Queries, b.Out, b.Duration.Round(time.Millisecond))
		var stages []string
		for _, s := range b.Stages {
			stages = append(stages, fmt.Sprintf("%s %s", s.Name, s.Duration.Round(time.Millisecond)))
		}
		fmt.Fprintf(out, "  stages: %s\n", strings.Join(stages, ", "))
		var pages []string
		for _, p := range b.Heaviest {
			pages = append(pages, fmt.Sprintf("%s %.1f kB", p.URL, float64(p.Bytes)/1000))
		}
		if len(pages) > 0 {
			fmt.Fprintf(out, "  heaviest pages: %s\n", strings.Join(pages, ", "))
		}
	}
	if p := r.Publish; p != nil {
		p.writeText(out)
	}
	return err
}

// writeText prints the publish part of the summary: the plan on a dry run,
// else one line of what was done.
func (p *publishReport) writeText(out io.Writer) {
	switch {
	case p.Target == "":
		fmt.Fprintf(out, "publish: no publish.target set; the site stays in %s\n", p.Source)
	case p.Plan == nil:
		// Nothing was planned: the publish failed before.
	case p.DryRun:
		for _, it := range p.Plan.Items {
			if it.Action != publish.ActionUnchanged {
				fmt.Fprintf(out, "%-9s %s (%s)\n", it.Action, it.Key, it.Reason)
			}
		}
		fmt.Fprintf(out, "plan for %s: %d to upload, %d to update, %d to delete, %d unchanged (dry run: nothing written)\n",
			p.Target, p.Plan.Count(publish.ActionUpload), p.Plan.Count(publish.ActionUpdate), p.Plan.Count(publish.ActionDelete), p.Plan.Count(publish.ActionUnchanged))
		if p.Plan.DeletesRefused {
			fmt.Fprintf(out, "  the deletes exceed publish.max_deletes (%d): a publish would refuse them\n", p.Plan.MaxDeletes)
		}
		if inv := p.Plan.Invalidate; len(inv) > 0 {
			fmt.Fprintf(out, "  a publish would invalidate %s on CloudFront\n", invalidated(inv))
		}
	case p.DeletesRefused > 0:
		// Refused from the plan, before anything was written.
		fmt.Fprintf(out, "publish of %s to %s refused: %d deletes refused: more than publish.max_deletes (%d); nothing written\n",
			p.Source, p.Target, p.DeletesRefused, p.Plan.MaxDeletes)
	default:
		fmt.Fprintf(out, "published %s to %s: %d uploaded (%d bytes), %d unchanged, %d deleted\n",
			p.Source, p.Target, p.Uploaded, p.Bytes, p.Unchanged, p.Deleted)
		switch inv := p.Invalidation; {
		case inv == nil && p.Plan != nil && len(p.Plan.Invalidate) > 0:
			fmt.Fprintf(out, "  CloudFront: %s not invalidated, as the publish failed: the next publish invalidates them\n", invalidated(p.Plan.Invalidate))
		case inv == nil:
		case inv.Error != "":
			fmt.Fprintf(out, "  CloudFront invalidation of %s on distribution %s FAILED: the site is published; the next publish invalidates them\n", invalidated(inv.Paths), inv.Distribution)
		default:
			fmt.Fprintf(out, "  invalidated %s on CloudFront distribution %s (invalidation %s)\n", invalidated(inv.Paths), inv.Distribution, inv.ID)
		}
	}
}

// invalidated names invalidation paths: their number, or the one wildcard.
func invalidated(paths []string) string {
	switch {
	case len(paths) == 1 && strings.HasSuffix(paths[0], "*"):
		return paths[0]
	case len(paths) == 1:
		return "1 path"
	}
	return fmt.Sprintf("%d paths", len(paths))
}
