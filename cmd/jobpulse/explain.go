package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jobpulse/jobpulse/ingest"
	"github.com/jobpulse/jobpulse/ingest/normalize"
	"github.com/jobpulse/jobpulse/warehouse"
)

// explained is a posting as explain prints it.
type explained struct {
	Source    string           `json:"source,omitempty"`
	SourceID  string           `json:"source_id,omitempty"`
	PostingID string           `json:"posting_id,omitempty"`
	LakeKey   string           `json:"lake_key,omitempty"`
	Title     string           `json:"title"`
	Steps     []normalize.Step `json:"steps"`
}

func newExplainCommand(a *app) *cobra.Command {
	var (
		out    outputFlags
		raw    ingest.Posting
		tags   []string
		remote string
		code   string
	)
	cmd := &cobra.Command{
		Annotations: reads("lake.", "warehouse.", "sources.", "log."),
		Use:         "explain [POSTING-ID | URL | SOURCE:SOURCE-ID]",
		Short:       "Show how a posting is read, field by field, and the rule that decided each",
		Long: `explain reads a posting as a load does and prints each field as read (role, seniority,
place, workplace, salary, skills) with the rule that decided it: the line of the rule table
(ingest/normalize/rules/*.tsv), the gazetteer entry, the phrase of the description or the
source's hint. It is for whoever extends a table and wants to know why.

Given a posting id, a listing's URL or SOURCE:SOURCE-ID, it finds the posting's listings in
the warehouse and reads each from its raw page in the lake (lake.url), parsed by its source,
exactly as ingest and replay do: after a change of the rules it shows the new reading, which
replay then loads.

Without an argument it reads the raw fields given as flags (--title, --location, --salary,
--description, --tag, --remote, --occupation, --occupation-name, --country), with no warehouse and no lake:

  jobpulse explain --title "Kfz-Mechatroniker (m/w/d)" --location "Osnabrück"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if !cmd.Flags().Changed("title") && !cmd.Flags().Changed("location") && !cmd.Flags().Changed("salary") &&
					!cmd.Flags().Changed("description") && !cmd.Flags().Changed("company") && len(tags) == 0 && code == "" && raw.OccupationName == "" {
					return fmt.Errorf("explain: give a posting (id, URL or source:source_id) or its raw fields (--title, --location, --salary, --description, --company, --tag, --remote, --occupation, --occupation-name, --country)")
				}
				raw.Tags, raw.OccupationCode = tags, code
				if remote != "" {
					b, err := strconv.ParseBool(remote)
					if err != nil {
						return fmt.Errorf("explain: --remote %q: want true or false", remote)
					}
					raw.RemoteHint = &b
				}
				p := raw
				return writeExplained(cmd.OutOrStdout(), out.json, []explained{{Title: p.Title, Steps: ingest.Explain(&p)}})
			}
			ctx := cmd.Context()
			var all []explained
			err := a.withWarehouse(ctx, a.cfg.Warehouse, func(wh *warehouse.Warehouse) error {
				listings, err := wh.FindListings(ctx, args[0])
				if err != nil {
					return err
				}
				lake, err := ingest.OpenLake(ctx, a.cfg.Lake.URL)
				if err != nil {
					return err
				}
				sources := a.allSources()
				for _, l := range listings {
					cs, ok := sources[l.Source]
					if !ok {
						return fmt.Errorf("explain: listing %s:%s: source %q is not configured", l.Source, l.SourceID, l.Source)
					}
					p, err := ingest.ReadListing(ctx, lake, cs.source, l.LakeKey, l.SourceID)
					if err != nil {
						return fmt.Errorf("explain: %w", err)
					}
					all = append(all, explained{Source: l.Source, SourceID: l.SourceID, PostingID: l.PostingID,
						LakeKey: l.LakeKey, Title: p.Title, Steps: ingest.Explain(&p)})
				}
				return nil
			})
			if err != nil {
				return err
			}
			return writeExplained(cmd.OutOrStdout(), out.json, all)
		},
	}
	out.register(cmd)
	f := cmd.Flags()
	f.StringVar(&raw.Title, "title", "", "title as published")
	f.StringVar(&raw.LocationText, "location", "", "location text as published")
	f.StringVar(&raw.SalaryText, "salary", "", "salary text as published")
	f.StringVar(&raw.Description, "description", "", "description as published (HTML or text)")
	f.StringVar(&raw.Company, "company", "", "company as published")
	f.StringArrayVar(&tags, "tag", nil, "a tag of the posting (repeatable)")
	f.StringVar(&remote, "remote", "", "the source's remote flag: true (a remote-only board) or false")
	f.StringVar(&code, "occupation", "", `the publisher's occupation code, as "rome:D1507"`)
	f.StringVar(&raw.OccupationName, "occupation-name", "", `the publisher's name of the occupation, as France Travail's appellation "Chef de projet de développement local"`)
	f.StringVar(&raw.CountryHint, "country", "", `the country of a board of one country's jobs, as "DE" (Arbeitnow's): a location the gazetteer lacks lies in it`)
	return cmd
}

// writeExplained prints the explanations, as text or JSON.
func writeExplained(w io.Writer, asJSON bool, all []explained) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	var b strings.Builder
	for i, e := range all {
		if i > 0 {
			b.WriteString("\n")
		}
		if e.Source != "" {
			fmt.Fprintf(&b, "%s:%s  posting %s\n  raw page %s\n", e.Source, e.SourceID, e.PostingID, e.LakeKey)
		}
		fmt.Fprintf(&b, "title %q\n", e.Title)
		for _, s := range e.Steps {
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
