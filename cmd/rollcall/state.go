package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// `rollcall admin reset` and `rollcall [admin] snapshot ...`: state for test suites,
// through a running server's admin API.

func adminReset(ctx context.Context, c *adminClient, p printer, args []string) error {
	fs := flag.NewFlagSet("rollcall admin reset", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "reset this tenant only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.call(ctx, http.MethodPost, "reset", withSet(url.Values{}, "tenant", *tenant), nil); err != nil {
		return err
	}
	if *tenant != "" {
		fmt.Fprintf(p.w, "reset tenant %s to the seed\n", *tenant)
	} else {
		fmt.Fprintln(p.w, "reset the store to the seed")
	}
	return nil
}

type adminSnapshotJSON struct {
	Name    string
	Size    int64
	SavedAt time.Time
}

func adminSnapshot(ctx context.Context, c *adminClient, p printer, args []string) error {
	const usage = "snapshot save|restore|delete NAME, or snapshot list"
	if err := wantArgs(args, 1, usage); err != nil {
		return err
	}
	if args[0] == "list" {
		return listTable(ctx, c, p, "snapshots", nil, "snapshots", []string{"SNAPSHOT", "BYTES", "SAVED"},
			func(s adminSnapshotJSON) []string { return []string{s.Name, fmt.Sprint(s.Size), day(s.SavedAt)} })
	}
	if err := wantArgs(args, 2, usage); err != nil {
		return err
	}
	path := "snapshots/" + url.PathEscape(args[1])
	var method, done string
	switch args[0] {
	case "save":
		method, done = http.MethodPut, "saved"
	case "restore":
		method, done, path = http.MethodPost, "restored", path+"/restore"
	case "delete":
		method, done = http.MethodDelete, "deleted"
	default:
		return fmt.Errorf("usage: rollcall admin %s", usage)
	}
	if err := c.call(ctx, method, path, nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(p.w, "%s snapshot %s\n", done, args[1])
	return nil
}

// snapshotArgs turns `rollcall snapshot [flags] CMD NAME` into the arguments of
// `rollcall admin [flags] snapshot CMD NAME`: "snapshot" goes before the first argument
// that is neither a flag nor a flag's value.
func snapshotArgs(args []string) []string {
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		if !strings.Contains(args[i], "=") && (args[i] == "--url" || args[i] == "-url" ||
			args[i] == "--admin-token" || args[i] == "-admin-token") {
			i++ // the flag's value
		}
		i++
	}
	i = min(i, len(args))
	return append(append(append([]string{}, args[:i]...), "snapshot"), args[i:]...)
}
