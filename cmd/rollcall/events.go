package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/operator"
)

// eventsCmd is `rollcall events export --out DIR`: the audit trail as CloudTrail log
// files, read straight from the store.
func eventsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		return errors.New("usage: rollcall events export --store S --out DIR [--tenant T]")
	}
	var c Config
	var out, tenant string
	fs := storeFlags("events export", &c, stderr)
	fs.StringVar(&out, "out", "", "directory to write the CloudTrail log files under (AWSLogs/...)")
	fs.StringVar(&tenant, "tenant", "", "only this tenant's events (default: every tenant's, and rollcall's own)")
	s, where, err := openStoreCmd(ctx, fs, &c, args[1:], "out DIR")
	if err != nil {
		return err
	}
	defer s.Close()
	op := operator.New(&rollcall.Service{Store: s})
	tenants := []string{tenant}
	if tenant == "" {
		ts, err := op.Tenants(ctx)
		if err != nil {
			return err
		}
		tenants = []string{audit.AdminAccount}
		for _, t := range ts {
			tenants = append(tenants, t.ID)
		}
	}
	x := &audit.Exporter{Dir: out}
	n, err := exportEvents(ctx, op, x, tenants)
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("events export: %w", err)
	}
	fmt.Fprintf(stdout, "rollcall: exported %s from %s into %s under %s\n", counted(n, "event"), where, counted(len(x.Files), "file"), out)
	return nil
}

// counted is n and noun, plural unless n is 1: "1 event", "2 events".
func counted(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

// exportEvents adds every event of tenants to x, each tenant's oldest first (the store
// lists them newest first, a page at a time; one tenant's are held at once).
func exportEvents(ctx context.Context, op *operator.Service, x *audit.Exporter, tenants []string) (int, error) {
	total := 0
	for _, tenant := range tenants {
		var recs []audit.Record
		f := rollcall.AuditFilter{TenantID: tenant, Limit: audit.MaxLimit}
		for {
			es, err := op.AuditEvents(ctx, f)
			if err != nil {
				return total, err
			}
			for _, e := range es {
				var r audit.Record
				if err := json.Unmarshal(audit.Complete(e.Record, e.Response), &r); err != nil {
					return total, fmt.Errorf("event %s: %w", e.ID, err)
				}
				recs = append(recs, r)
			}
			if len(es) < f.Limit {
				break
			}
			f.AfterTime, f.AfterID = es[len(es)-1].Time, es[len(es)-1].ID
		}
		slices.Reverse(recs)
		for _, r := range recs {
			if err := x.Add(r); err != nil {
				return total, err
			}
		}
		total += len(recs)
	}
	return total, nil
}

// adminEventsCmd is `rollcall admin events TENANT`: up to --limit of the tenant's audit
// trail, newest first (as many pages as it takes), and the token of the rest.
func adminEventsCmd(ctx context.Context, c *adminClient, p printer, args []string) error {
	if err := wantArgs(args, 1, "events TENANT [--name N] [--user U] [--since T] [--until T] [--errors] [--limit N] [--page-token P]"); err != nil {
		return err
	}
	fs := flag.NewFlagSet("rollcall admin events", flag.ContinueOnError)
	name := fs.String("name", "", "only events of this operation (eventName)")
	user := fs.String("user", "", "only events of this caller (userIdentity.principalId)")
	since := fs.String("since", "", "only events at or after this RFC 3339 time")
	until := fs.String("until", "", "only events before this RFC 3339 time")
	errs := fs.Bool("errors", false, "only failed calls")
	limit := fs.Int("limit", 50, "at most this many (1-1000)")
	page := fs.String("page-token", "", "the next page: the token the previous page printed")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var out struct {
		Events    []audit.Record `json:"events"`
		NextToken string         `json:"nextToken,omitempty"`
	}
	// A page examines a bounded number of events, so it may be short, or empty, with a
	// token: follow the tokens until --limit events or the end of the trail.
	for out.NextToken = *page; ; {
		q := withSet(url.Values{"tenant": {args[0]}, "limit": {strconv.Itoa(*limit - len(out.Events))}},
			"eventName", *name, "user", *user, "since", *since, "until", *until, "pageToken", out.NextToken)
		if *errs {
			q.Set("errorsOnly", "true")
		}
		var pg struct {
			Events    []audit.Record `json:"events"`
			NextToken string         `json:"nextToken,omitempty"`
		}
		if err := c.call(ctx, "GET", "events", q, &pg); err != nil {
			return err
		}
		out.Events, out.NextToken = append(out.Events, pg.Events...), pg.NextToken
		if out.NextToken == "" || len(out.Events) >= *limit {
			break
		}
	}
	rows := make([][]string, 0, len(out.Events)+1)
	for _, e := range out.Events {
		rows = append(rows, []string{e.EventTime, e.EventSource, e.EventName, e.UserIdentity.PrincipalID, e.SourceIPAddress, e.ErrorCode})
	}
	if out.NextToken != "" && !p.json {
		defer fmt.Fprintln(p.w, "next page: --page-token", out.NextToken)
	}
	return p.print(out, []string{"TIME", "SOURCE", "EVENT", "USER", "SOURCE IP", "ERROR"}, rows)
}
