// Command rollcall serves the user-provisioning APIs of Amazon Chime, Amazon WorkDocs,
// Alexa for Business and Amazon Business over one durable user directory.
//
// Usage:
//
//	rollcall serve [flags]     run the server (the default subcommand)
//	rollcall migrate --store S bring the store's schema up to date, and exit
//	rollcall export --store S --out FILE   write everything the store holds to FILE
//	rollcall import --store S --in FILE [--merge]   load FILE into the store, one transaction
//	rollcall admin [flags] CMD list and inspect tenants, directories, users and mail
//	                           through a running server's admin API (-h for commands)
//	rollcall events export --store S --out DIR   write the audit trail as CloudTrail log files
//	rollcall snapshot save|restore|delete NAME, rollcall snapshot list
//	                           a running server's snapshots (rollcall admin snapshot ...)
//	rollcall version           print the version
//
// Run `rollcall serve -h` for the flags; each has a ROLLCALL_* environment variable.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "rollcall:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args)
	case "migrate":
		return migrateCmd(ctx, args, os.Stdout, os.Stderr)
	case "export":
		return exportCmd(ctx, args, os.Stdout, os.Stderr)
	case "import":
		return importCmd(ctx, args, os.Stdout, os.Stderr)
	case "admin":
		return adminMain(ctx, args)
	case "events":
		return eventsCmd(ctx, args, os.Stdout, os.Stderr)
	case "snapshot":
		return adminMain(ctx, snapshotArgs(args))
	case "version":
		fmt.Println("rollcall", Version)
		return nil
	default:
		return fmt.Errorf("unknown command %q (try: serve, admin, snapshot, migrate, export, import, events, version)", cmd)
	}
}

// serve runs the server until ctx is done (SIGINT/SIGTERM), then shuts it down
// gracefully: in-flight requests finish and every acknowledged write is committed.
func serve(ctx context.Context, args []string) error {
	if os.Getenv("GOGC") == "" {
		go paceGC(ctx) // GOGC 200 while the live heap is small (gcpace.go)
	}
	m := NewMain()
	if err := m.ParseFlags(args, os.Getenv); err != nil {
		return err
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	if err := slowSysmon(m.Config.SysmonSlack); err != nil {
		fmt.Fprintln(m.Stderr, "rollcall: --sysmon-slack:", err)
	}
	<-ctx.Done()
	fmt.Fprintln(m.Stderr, "rollcall: shutting down")
	return m.Close()
}
