package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rollcall/rollcall/face/admin"
)

// `rollcall admin faults` manages fault-injection rules through /_rollcall/faults.

// adminFault is a rule as the admin API answers it.
type adminFault = admin.FaultJSON

func adminFaults(ctx context.Context, c *adminClient, p printer, args []string) error {
	sub, rest := "list", args
	if len(args) > 0 {
		sub, rest = args[0], args[1:]
	}
	switch sub {
	case "list":
		return listFaults(ctx, c, p)
	case "add":
		return addFault(ctx, c, p, rest)
	case "delete":
		if err := wantArgs(rest, 1, "faults delete ID"); err != nil {
			return err
		}
		if err := c.call(ctx, http.MethodDelete, "faults/"+url.PathEscape(rest[0]), nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(p.w, "deleted fault rule %s\n", rest[0])
		return nil
	}
	return fmt.Errorf("unknown faults command %q: list, add or delete", sub)
}

func listFaults(ctx context.Context, c *adminClient, p printer) error {
	var out struct {
		Faults   []adminFault `json:"faults"`
		Injected int64        `json:"injected"`
	}
	if err := c.call(ctx, http.MethodGet, "faults", nil, &out); err != nil {
		return err
	}
	var rows [][]string
	for _, f := range out.Faults {
		rows = append(rows, faultRow(f))
	}
	return p.print(out, []string{"RULE", "FACE", "OPERATION", "ACTION", "MATCHES", "PROBABILITY", "LEFT", "EXPIRES", "FIRED", "ACTIVE"}, rows)
}

func faultRow(f adminFault) []string {
	action := f.Action
	if f.LatencyMs > 0 {
		action += fmt.Sprintf(" %dms", f.LatencyMs)
	}
	var match []string
	for _, m := range []struct{ k, v string }{{"tenant", f.Tenant}, {"key", f.AccessKey}, {"header", f.Header}} {
		if m.v != "" {
			match = append(match, m.k+"="+m.v)
		}
	}
	left, expires := "", ""
	if f.Count != nil {
		left = fmt.Sprint(*f.Count)
	}
	if f.ExpiresAt != nil {
		expires = day(*f.ExpiresAt)
	}
	return []string{f.ID, f.Face, f.Operation, action, strings.Join(match, " "), fmt.Sprint(f.Probability), left, expires,
		fmt.Sprint(f.Fired), fmt.Sprint(f.Active)}
}

func addFault(ctx context.Context, c *adminClient, p printer, args []string) error {
	fs := flag.NewFlagSet("rollcall admin faults add", flag.ContinueOnError)
	fs.SetOutput(p.w)
	face := fs.String("face", "", "chime, workdocs, alexaforbusiness or amazonbusiness (required)")
	op := fs.String("op", "*", "the face's operation (CreateUser), or * for all")
	action := fs.String("action", "", "throttle, error500, error503, latency, reset or lose-response (required)")
	count := fs.Int("count", 0, "fire for the next N matching calls only (0: no count)")
	prob := fs.Float64("probability", 1, "fire on this share of matching calls, in (0, 1]")
	ttl := fs.Duration("ttl", 0, "the rule expires after this long (0: never)")
	latency := fs.Duration("latency", 0, "the latency action's wait")
	tenant := fs.String("tenant", "", "only this tenant's calls")
	key := fs.String("access-key", "", "only calls signed with this access key")
	header := fs.String("header", "", "only calls with this header: NAME=VALUE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req := map[string]any{"face": *face, "operation": *op, "action": *action, "probability": *prob,
		"tenant": *tenant, "accessKey": *key, "header": *header}
	if *count != 0 {
		req["count"] = *count
	}
	if *ttl != 0 {
		req["ttlSeconds"] = int64(ttl.Round(time.Second) / time.Second)
	}
	if *latency != 0 {
		req["latencyMs"] = latency.Milliseconds()
	}
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	var f adminFault
	if err := c.send(ctx, http.MethodPost, "faults", nil, body, &f); err != nil {
		return err
	}
	return p.print(f, []string{"RULE", "FACE", "OPERATION", "ACTION", "MATCHES", "PROBABILITY", "LEFT", "EXPIRES", "FIRED", "ACTIVE"}, [][]string{faultRow(f)})
}
