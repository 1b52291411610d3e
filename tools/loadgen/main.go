// Command loadgen drives a running rollcall (or a bare net/http handler, for a baseline)
// with many concurrent keep-alive clients and reports throughput and latency.
//
//	loadgen -url http://127.0.0.1:4566 -face chime -c 64 -d 10s
//	loadgen -serve-bare 127.0.0.1:4599            # the baseline server
//	loadgen -url http://127.0.0.1:4599 -face bare -c 64 -d 10s
//	loadgen -wait http://127.0.0.1:4566/_rollcall/health -since 1700000000123456789
//	loadgen -gen-users 1000000 -out users.jsonl   # an import file for `rollcall import --merge`
//
// Every request is a distinct CreateUser (a unique email or user ID), signed with the
// official aws-sdk-go v1 signer where the face needs SigV4, so the server does its full
// work: verify, validate, commit durably, answer.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/rollcall/rollcall/tools/loadgen/load"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:4566", "server base URL")
	face := flag.String("face", "chime", "chime | a4b | business | workdocs | bare")
	conc := flag.Int("c", 64, "concurrent clients (one keep-alive connection each)")
	dur := flag.Duration("d", 10*time.Second, "how long to run (bounded)")
	account := flag.String("chime-account", "", "Chime account ID (created when empty)")
	bare := flag.String("serve-bare", "", "serve the bare baseline handler on this address instead")
	signBare := flag.Bool("sign", true, "with -face bare: sign each request as Chime's are, so the baseline's client does a face's work (issue 12 defines the ratio so)")
	wait := flag.String("wait", "", "poll this URL until it answers 200, then print the milliseconds since -since")
	since := flag.Int64("since", 0, "with -wait: the start, in Unix nanoseconds (date +%s%N)")
	genUsers := flag.Int("gen-users", 0, "write an import file with this many users instead (see gen.go)")
	out := flag.String("out", "", "with -gen-users: the file to write")
	emails := flag.String("emails", "sequential", "sequential (each run's emails sort in the order they are made) | random (scattered, as real sign-ups are; see load.Gen.RandomEmails)")
	flag.Parse()
	switch {
	case *wait != "":
		if err := waitReady(*wait, *since); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	case *genUsers > 0:
		if err := genImport(*out, *genUsers); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if *bare != "" {
		fmt.Fprintln(os.Stderr, http.ListenAndServe(*bare, load.BareHandler()))
		os.Exit(1)
	}
	if *dur > 5*time.Minute {
		*dur = 5 * time.Minute
	}
	defer quietGC(os.Getenv)()
	g := load.New(*url, *face)
	g.SignBare = *signBare
	switch *emails {
	case "sequential":
	case "random":
		g.RandomEmails = true
	default:
		fmt.Fprintf(os.Stderr, "loadgen: -emails %q: want sequential or random\n", *emails)
		os.Exit(2)
	}
	if g.Face == "chime" {
		g.ChimeAccount = *account
		if g.ChimeAccount == "" {
			id, err := g.CreateChimeAccount()
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadgen: create chime account:", err)
				os.Exit(1)
			}
			g.ChimeAccount = id
		}
	}
	fmt.Println(load.Run(g.Face, *conc, *dur, g.Request))
}

// driveGCPercent is the collector's target while loadgen drives a server. Its live heap
// is a few MB, so at the default 100 it collected 6-7 times a second at 4 clients, and
// every pause and mark assist landed inside some request's measured time: against the
// bare handler at 4 clients p99 was 3.4-3.5 ms at GOGC=100 and 1.7-2.9 ms at 1000
// (three runs each, interleaved).
const driveGCPercent = 1000

// quietGC sets driveGCPercent unless GOGC is set, and returns what puts the old value
// back. The bare handler (-serve-bare) keeps the default: it is the baseline.
func quietGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(driveGCPercent)
	return func() { debug.SetGCPercent(old) }
}
