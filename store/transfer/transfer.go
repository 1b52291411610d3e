package transfer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// Types are the row types of a file, in the order Export writes them and Import
// applies them.
var Types = []string{"tenant", "iam_principal", "access_key", "access_token", "directory", "group", "user",
	"idempotency", "message", "invitation", "setting"}

// Counts is a number of rows per type.
type Counts map[string]int

// String lists the counts in the order of Types.
func (c Counts) String() string {
	var b strings.Builder
	for i, t := range Types {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s=%d", t, c[t])
	}
	return b.String()
}

// Total is the sum of the counts.
func (c Counts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// userPage is how many users Export and Count read at a time.
const userPage = 1000

// Export writes every row of s to w, from one consistent snapshot (one View), and
// returns how many rows of each type it wrote.
func Export(ctx context.Context, s rollcall.Store, w io.Writer, now time.Time) (Counts, error) {
	var out *Writer
	err := s.View(ctx, func(tx rollcall.Tx) (err error) {
		// View runs fn once, but a fresh writer costs nothing.
		if out, err = NewWriter(w, now); err != nil {
			return err
		}
		return eachRow(tx, func(_ string, v any) error { return out.Write(v) })
	})
	if err != nil {
		return nil, err
	}
	return out.Counts(), out.Close()
}

// eachRow calls fn with every row tx holds and its type, type by type in the order of
// Types, each type in the order of its key (messages in the order they were queued).
func eachRow(tx rollcall.Tx, fn func(typ string, v any) error) error {
	of := func(typ string) func(any) error { return func(v any) error { return fn(typ, v) } }
	for _, list := range []func() error{
		func() error { return each(tx.Tenants, of("tenant")) },
		func() error {
			return each(func() ([]*rollcall.Principal, error) { return tx.Principals("") }, of("iam_principal"))
		},
		func() error { return each(tx.AccessKeys, of("access_key")) },
		func() error { return each(tx.AccessTokens, of("access_token")) },
		func() error { return each(tx.AllDirectories, of("directory")) },
		func() error { return each(tx.AllGroups, of("group")) },
		func() error { return eachUser(tx, of("user")) },
		func() error { return each(tx.IdempotencyRecords, of("idempotency")) },
		func() error { return each(allMessages(tx), of("message")) },
		func() error { return each(tx.Invitations, of("invitation")) },
		func() error { return each(settings(tx), of("setting")) },
	} {
		if err := list(); err != nil {
			return err
		}
	}
	return nil
}

func each[T any](list func() ([]*T, error), fn func(any) error) error {
	vs, err := list()
	if err != nil {
		return err
	}
	for _, v := range vs {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func eachUser(tx rollcall.Tx, fn func(any) error) error {
	after := ""
	for {
		users, err := tx.AllUsers(after, userPage)
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := fn(u); err != nil {
				return err
			}
		}
		if len(users) < userPage {
			return nil
		}
		after = users[len(users)-1].ID
	}
}

// allMessages lists every message, oldest first (the order they were queued in).
func allMessages(tx rollcall.Tx) func() ([]*rollcall.Message, error) {
	return func() ([]*rollcall.Message, error) {
		ms, err := tx.Messages(rollcall.MessageFilter{})
		for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
			ms[i], ms[j] = ms[j], ms[i]
		}
		return ms, err
	}
}

func settings(tx rollcall.Tx) func() ([]*Setting, error) {
	return func() ([]*Setting, error) {
		m, err := tx.Settings()
		if err != nil {
			return nil, err
		}
		out := make([]*Setting, 0, len(m))
		for name, value := range m {
			out = append(out, &Setting{Name: name, Value: value})
		}
		slices.SortFunc(out, func(a, b *Setting) int { return strings.Compare(a.Name, b.Name) })
		return out, nil
	}
}

// Count returns how many rows of each type s holds, from one snapshot.
func Count(ctx context.Context, s rollcall.Store) (Counts, error) {
	var c Counts
	err := s.View(ctx, func(tx rollcall.Tx) (err error) {
		c, err = count(tx)
		return err
	})
	return c, err
}

func count(tx rollcall.Tx) (Counts, error) {
	c := Counts{}
	err := eachRow(tx, func(typ string, _ any) error { c[typ]++; return nil })
	return c, err
}

// Options change what Import does.
type Options struct {
	// Merge allows a target that already holds data. A row whose key the target has
	// already is skipped, the target's row kept; a row that collides with another
	// row of the target on a unique value (a user's key, a group's tag, an
	// invitation's token hash) fails the import. Without Merge, a target with any row
	// (settings aside) is refused.
	Merge bool
}

// Result is what Import did.
type Result struct {
	File    Counts // rows in the file
	Before  Counts // rows in the target before
	Skipped Counts // rows of the file the target had already (Merge, and settings)
	After   Counts // rows in the target after, read back once the import committed
}

// ErrNotEmpty is Import's error for a target that holds data, without Options.Merge.
var ErrNotEmpty = errors.New("the target store is not empty")

// Import reads a file Export wrote and writes every row of it to s in one
// transaction: either all of it is imported or nothing is. It then reads the counts
// back from s and fails unless each equals what was there before plus what the file
// had, less what was skipped. r is read again from the start if the store runs the
// transaction more than once (a PostgreSQL serialization retry).
//
// Settings the target has already (each replica of a database inserts its own
// pagination key at start) keep the target's value and count as skipped, Merge or not.
func Import(ctx context.Context, s rollcall.Store, r io.ReadSeeker, opts Options) (*Result, error) {
	res := &Result{}
	err := s.Update(ctx, func(tx rollcall.Tx) error {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return err
		}
		before, err := count(tx)
		if err != nil {
			return err
		}
		if !opts.Merge {
			for _, t := range Types {
				if t != "setting" && before[t] > 0 {
					return fmt.Errorf("%w: it has %s (import into an empty store, or pass --merge)", ErrNotEmpty, before)
				}
			}
		}
		file, skipped, err := apply(tx, r, opts)
		if err != nil {
			return err
		}
		res.Before, res.File, res.Skipped = before, file, skipped
		return nil
	})
	if err != nil {
		return nil, err
	}
	if res.After, err = Count(ctx, s); err != nil {
		return res, fmt.Errorf("count the target: %w", err)
	}
	var bad []string
	for _, t := range Types {
		want := res.Before[t] + res.File[t] - res.Skipped[t]
		if res.After[t] != want {
			bad = append(bad, fmt.Sprintf("%s: %d in the target, want %d (%d before + %d in the file - %d skipped)",
				t, res.After[t], want, res.Before[t], res.File[t], res.Skipped[t]))
		}
	}
	if len(bad) > 0 {
		return res, fmt.Errorf("count check failed: %s", strings.Join(bad, "; "))
	}
	return res, nil
}

// apply writes the rows of the file r to tx.
func apply(tx rollcall.Tx, r io.Reader, opts Options) (file, skipped Counts, err error) {
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	var h header
	if err := dec.Decode(&h); err != nil {
		return nil, nil, fmt.Errorf("read the header: %w", err)
	}
	if h.Format != Format {
		return nil, nil, fmt.Errorf("not a rollcall export (format %q, want %q)", h.Format, Format)
	}
	if h.Version < 1 || h.Version > Version {
		return nil, nil, fmt.Errorf("export format version %d: this rollcall reads versions 1 to %d", h.Version, Version)
	}
	file, skipped = Counts{}, Counts{}
	for n := 2; ; n++ {
		var l line
		if err := dec.Decode(&l); err == io.EOF {
			return nil, nil, errors.New("the file ends before its trailer: it is truncated")
		} else if err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", n, err)
		}
		if l.Type == "end" {
			for _, t := range Types {
				if l.Counts[t] != file[t] {
					return nil, nil, fmt.Errorf("the trailer counts %s, the file has %s", l.Counts, file)
				}
			}
			if dec.More() {
				return nil, nil, fmt.Errorf("line %d: data after the trailer", n+1)
			}
			return file, skipped, nil
		}
		skip, err := applyRow(tx, l, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d (%s): %w", n, l.Type, err)
		}
		file[l.Type]++
		if skip {
			skipped[l.Type]++
		}
	}
}

// decode unmarshals data strictly: a field this version does not know is an error.
func decode(data json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// exists reports whether get found the row: NotFound is false, any other error is
// returned.
func exists[T any](v *T, err error) (bool, error) {
	if rollcall.IsKind(err, rollcall.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// rowFunc writes the record data to tx; skip says the target had its key already
// (Merge, or a setting the target has).
type rowFunc func(tx rollcall.Tx, data json.RawMessage, merge bool) (skip bool, err error)

// importer is the rowFunc of one record type R of core type T. Without merge it writes
// the row. Under merge a row whose key the target has (has) is skipped: when write is
// an insert (Conflict when the key exists) it runs first and has is asked only if it
// conflicts, so merging new rows reads nothing more; an upsert (put) would overwrite
// the target's row, so has is asked first.
func importer[R any, PR interface {
	*R
	core() (*T, error)
}, T any](upsert bool, has func(rollcall.Tx, *T) (bool, error), write func(rollcall.Tx, *T) error) rowFunc {
	return func(tx rollcall.Tx, data json.RawMessage, merge bool) (bool, error) {
		var r R
		if err := decode(data, &r); err != nil {
			return false, err
		}
		v, err := PR(&r).core()
		if err != nil {
			return false, err
		}
		if !merge {
			return false, write(tx, v)
		}
		if upsert {
			found, err := has(tx, v)
			if err != nil || found {
				return found, err
			}
			return false, write(tx, v)
		}
		err = write(tx, v)
		if !rollcall.IsKind(err, rollcall.Conflict) {
			return false, err
		}
		// The key, or another unique value of the row, is taken: skip the row only if
		// the target has it.
		found, herr := has(tx, v)
		if herr != nil || found {
			return found, herr
		}
		return false, err
	}
}

// rowFuncs has the rowFunc of every record type.
var rowFuncs = map[string]rowFunc{
	"tenant": importer[tenantRecord](true,
		func(tx rollcall.Tx, v *rollcall.Tenant) (bool, error) { return exists(tx.Tenant(v.ID)) },
		rollcall.Tx.PutTenant),
	"iam_principal": importer[principalRecord](true,
		func(tx rollcall.Tx, v *rollcall.Principal) (bool, error) { return exists(tx.Principal(v.ARN)) },
		rollcall.Tx.PutPrincipal),
	"access_key": importer[accessKeyRecord](true,
		func(tx rollcall.Tx, v *rollcall.AccessKey) (bool, error) { return exists(tx.AccessKey(v.ID)) },
		rollcall.Tx.PutAccessKey),
	"access_token": importer[accessTokenRecord](false,
		func(tx rollcall.Tx, v *rollcall.AccessToken) (bool, error) { return exists(tx.AccessToken(v.Hash)) },
		rollcall.Tx.InsertAccessToken),
	"directory": importer[directoryRecord](false,
		func(tx rollcall.Tx, v *rollcall.Directory) (bool, error) { return exists(tx.Directory(v.ID)) },
		rollcall.Tx.InsertDirectory),
	"group": importer[groupRecord](true,
		func(tx rollcall.Tx, v *rollcall.Group) (bool, error) { return exists(tx.Group(v.DirectoryID, v.ID)) },
		rollcall.Tx.PutGroup),
	"user": importer[userRecord](false,
		func(tx rollcall.Tx, v *rollcall.User) (bool, error) { return exists(tx.User(v.DirectoryID, v.ID)) },
		rollcall.Tx.InsertUser),
	"idempotency": importer[idempotencyRecord](false,
		func(tx rollcall.Tx, v *rollcall.IdempotencyRecord) (bool, error) {
			return exists(tx.Idempotency(v.Scope, v.Token))
		},
		rollcall.Tx.InsertIdempotency),
	"message": importer[messageRecord](false,
		func(tx rollcall.Tx, v *rollcall.Message) (bool, error) { return exists(tx.Message(v.ID)) },
		rollcall.Tx.InsertMessage),
	"invitation": importer[invitationRecord](false,
		// No lookup by ID: a target invitation with the same token hash is the same row.
		func(tx rollcall.Tx, v *rollcall.Invitation) (bool, error) {
			old, err := tx.InvitationByTokenHash(v.TokenHash)
			if found, err := exists(old, err); !found || err != nil {
				return false, err
			}
			if old.ID != v.ID {
				return false, fmt.Errorf("invitation %s has the token hash of the target's invitation %s", v.ID, old.ID)
			}
			return true, nil
		},
		rollcall.Tx.InsertInvitation),
	"setting": func(tx rollcall.Tx, data json.RawMessage, _ bool) (bool, error) {
		var v Setting
		if err := decode(data, &v); err != nil {
			return false, err
		}
		err := tx.InsertSetting(v.Name, v.Value)
		if rollcall.IsKind(err, rollcall.Conflict) {
			return true, nil // the target's own value stays, Merge or not
		}
		return false, err
	},
}

// applyRow writes one row; skip says the target had its key already.
func applyRow(tx rollcall.Tx, l line, opts Options) (skip bool, err error) {
	fn, ok := rowFuncs[l.Type]
	if !ok {
		return false, fmt.Errorf("unknown row type %q", l.Type)
	}
	return fn(tx, l.Data, opts.Merge)
}
