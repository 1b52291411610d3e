package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
	"github.com/rollcall/rollcall/store/transfer"
)

// The store subcommands: migrate, export, import. Each opens the store as serve does
// (--store, or SQLite in --data-dir), does its one job and exits.

// storeFlags are the flags every store subcommand takes, with ROLLCALL_STORE and
// ROLLCALL_DATA_DIR as defaults, as serve reads them.
func storeFlags(name string, c *Config, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("rollcall "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.Store, "store", "", "storage: empty for SQLite in --data-dir, sqlite:PATH, or postgres://...")
	fs.StringVar(&c.DataDir, "data-dir", "rollcall-data", "directory of the embedded database, when --store is empty")
	return fs
}

// openStoreCmd parses a store subcommand's args (see parseStoreFlags) and opens the
// store they name.
func openStoreCmd(ctx context.Context, fs *flag.FlagSet, c *Config, args []string, required ...string) (rollcall.Store, string, error) {
	if err := parseStoreFlags(fs, args, required...); err != nil {
		return nil, "", err
	}
	return openStore(ctx, c)
}

// parseStoreFlags parses args into fs, made by storeFlags with the subcommand's own
// flags added, and refuses to go on while a required flag is empty. Each of required
// is a flag and what it takes: "out FILE" ("export: --out FILE is required").
func parseStoreFlags(fs *flag.FlagSet, args []string, required ...string) error {
	if err := parseWithEnv(fs, args, os.Getenv); err != nil {
		return err
	}
	for _, r := range required {
		name, _, _ := strings.Cut(r, " ")
		if fs.Lookup(name).Value.String() == "" {
			return fmt.Errorf("%s: --%s is required", strings.TrimPrefix(fs.Name(), "rollcall "), r)
		}
	}
	return nil
}

// migrateCmd brings the store's schema up to date and exits: what serve does at every
// start, run on its own (before a rolling deploy, say). Replicas starting meanwhile
// wait for it on the migration lock.
func migrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	s, where, err := openStoreCmd(ctx, storeFlags("migrate", &c, stderr), &c, args)
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rollcall: the schema of %s is up to date\n", where)
	return nil
}

// exportCmd writes everything the store holds to --out, from one snapshot.
func exportCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var out string
	fs := storeFlags("export", &c, stderr)
	fs.StringVar(&out, "out", "", "file to write (JSON lines; mode 0600: it holds access key secrets); - for stdout")
	s, where, err := openStoreCmd(ctx, fs, &c, args, "out FILE")
	if err != nil {
		return err
	}
	defer s.Close()
	var counts transfer.Counts
	if out == "-" {
		counts, err = transfer.Export(ctx, s, stdout, time.Now())
		stdout = stderr // the summary must not mix with the data
	} else {
		counts, err = writeFileAtomic(out, func(w io.Writer) (transfer.Counts, error) {
			return transfer.Export(ctx, s, w, time.Now())
		})
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stdout, "rollcall: exported %d rows from %s to %s\n", counts.Total(), where, out)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\trows\t")
	for _, t := range transfer.Types {
		fmt.Fprintf(tw, "%s\t%d\t\n", t, counts[t])
	}
	return tw.Flush()
}

// writeFileAtomic writes path atomically (see internal/atomicfile), mode 0600.
func writeFileAtomic(path string, write func(io.Writer) (transfer.Counts, error)) (transfer.Counts, error) {
	var counts transfer.Counts
	err := atomicfile.Write(path, 0o600, func(w io.Writer) (err error) {
		counts, err = write(w)
		return err
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// importCmd writes every row of --in into the store in one transaction and checks the
// counts read back from it.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	var in string
	var opts transfer.Options
	fs := storeFlags("import", &c, stderr)
	fs.StringVar(&in, "in", "", "file written by rollcall export")
	fs.BoolVar(&opts.Merge, "merge", false, "import into a store that holds data: rows it has already are skipped (kept as they are)")
	if err := parseStoreFlags(fs, args, "in FILE"); err != nil {
		return err
	}
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	s, where, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := transfer.Import(ctx, s, f, opts)
	if res != nil && res.After != nil {
		printImport(stdout, res)
	}
	if err != nil {
		return fmt.Errorf("import into %s: %w", where, err)
	}
	fmt.Fprintf(stdout, "rollcall: imported %d rows from %s into %s; the counts check out\n",
		res.File.Total()-res.Skipped.Total(), in, where)
	return nil
}

func printImport(w io.Writer, res *transfer.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tin file\tbefore\tskipped\tafter\t")
	for _, t := range transfer.Types {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", t, res.File[t], res.Before[t], res.Skipped[t], res.After[t])
	}
	tw.Flush()
}

// pageTokenKeySetting names the key that seals pagination tokens in the store's
// settings: one key per database, so a token minted by one replica opens on another.
const pageTokenKeySetting = "page-token-key"

// loadPageTokenKey returns the store's pagination key, creating it on first start:
// insert a random key if there is none, then read back whatever the store holds, so
// replicas that start at once all end up with the winner's key.
func loadPageTokenKey(ctx context.Context, s rollcall.Store) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var value string
	err := s.Update(ctx, func(tx rollcall.Tx) error {
		var err error
		if value, err = tx.Setting(pageTokenKeySetting); !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		if err := tx.InsertSetting(pageTokenKeySetting, hex.EncodeToString(fresh)); err != nil && !rollcall.IsKind(err, rollcall.Conflict) {
			return err
		}
		value, err = tx.Setting(pageTokenKeySetting)
		return err
	})
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(value)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("the store's %s setting is not a hex key of 16 bytes or more", pageTokenKeySetting)
	}
	return key, nil
}
