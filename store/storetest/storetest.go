package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// Opener makes a fresh, empty database for one test and returns a function that opens
// a Store on it. The suite closes every Store it opens, and may open the same database
// again after closing it (the restart tests). Any cleanup of the database itself is
// the Opener's, through t.Cleanup.
type Opener func(t *testing.T) (open func() rollcall.Store)

// testCase runs against a fresh store.
type testCase struct {
	name string
	fn   func(t *testing.T, s rollcall.Store)
}

// RunTests runs the whole suite; every case gets a fresh database from opener and runs
// in parallel with the others.
func RunTests(t *testing.T, opener Opener) {
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Tenants", tenantTests},
		{"AccessKeys", accessKeyTests},
		{"Principals", principalTests},
		{"AccessTokens", accessTokenTests},
		{"Directories", directoryTests},
		{"Groups", groupTests},
		{"Users", userTests},
		{"ListUsers", listUserTests},
		{"UserQuery", queryTests},
		{"Idempotency", slices.Concat(idempotencyTests, idempotencyEdgeTests)},
		{"Messages", messageTests},
		{"MessageClaims", messageClaimTests},
		{"Invitations", invitationTests},
		{"Sessions", sessionTests},
		{"Purge", purgeTests},
		{"Values", valueTests},
		{"Transactions", txTests},
		{"Concurrency", concurrencyTests},
		{"Export", exportTests},
		{"Faults", faultTests},
		{"AuditEvents", auditTests},
		{"DeleteContents", clearTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.fn(t, MustOpen(t, opener(t)))
				})
			}
		})
	}
	t.Run("Restart", func(t *testing.T) {
		for _, c := range restartTests {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				c.fn(t, opener(t))
			})
		}
	})
}

// MustOpen calls open and closes the Store when the test ends.
func MustOpen(tb testing.TB, open func() rollcall.Store) rollcall.Store {
	tb.Helper()
	s := open()
	if s == nil {
		tb.Fatal("open returned a nil Store")
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// MustUpdate runs fn in an Update and fails the test on error. fn runs where the Store
// runs it (on a writer goroutine, say): it must return errors, never call tb.Fatal.
func MustUpdate(tb testing.TB, s rollcall.Store, fn func(rollcall.Tx) error) {
	tb.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		tb.Fatalf("Update: %v", err)
	}
}

// MustView runs fn in a View and fails the test on error.
func MustView(tb testing.TB, s rollcall.Store, fn func(rollcall.Tx) error) {
	tb.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		tb.Fatalf("View: %v", err)
	}
}

// MustInsert writes each value with its Insert or Put method, in one Update.
func MustInsert(tb testing.TB, s rollcall.Store, values ...any) {
	tb.Helper()
	MustUpdate(tb, s, func(tx rollcall.Tx) error { return insert(tx, values...) })
}

// mustWriteEach writes each value with write (a Tx method: rollcall.Tx.InsertFault), in
// one Update.
func mustWriteEach[T any](tb testing.TB, s rollcall.Store, write func(rollcall.Tx, T) error, values ...T) {
	tb.Helper()
	MustUpdate(tb, s, func(tx rollcall.Tx) error {
		for _, v := range values {
			if err := write(tx, v); err != nil {
				return err
			}
		}
		return nil
	})
}

func insert(tx rollcall.Tx, values ...any) error {
	for _, v := range values {
		var err error
		switch v := v.(type) {
		case *rollcall.Tenant:
			err = tx.PutTenant(v)
		case *rollcall.AccessKey:
			err = tx.PutAccessKey(v)
		case *rollcall.AccessToken:
			err = tx.InsertAccessToken(v)
		case *rollcall.Directory:
			err = tx.InsertDirectory(v)
		case *rollcall.Group:
			err = tx.PutGroup(v)
		case *rollcall.User:
			err = tx.InsertUser(v)
		case *rollcall.IdempotencyRecord:
			err = tx.InsertIdempotency(v)
		case *rollcall.Message:
			err = tx.InsertMessage(v)
		case *rollcall.Invitation:
			err = tx.InsertInvitation(v)
		case *rollcall.Session:
			err = tx.InsertSession(v)
		case *rollcall.Principal:
			err = tx.PutPrincipal(v)
		default:
			panic("storetest: cannot insert a " + reflect.TypeOf(v).String())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// read runs fn in a View and returns what it returns.
func read[T any](tb testing.TB, s rollcall.Store, fn func(rollcall.Tx) (T, error)) (T, error) {
	tb.Helper()
	var v T
	err := s.View(context.Background(), func(tx rollcall.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

// get reads, in a View, the row that method (a Tx method expression, such as
// rollcall.Tx.Session) finds by key.
func get[K, T any](tb testing.TB, s rollcall.Store, method func(rollcall.Tx, K) (T, error), key K) (T, error) {
	tb.Helper()
	return read(tb, s, func(tx rollcall.Tx) (T, error) { return method(tx, key) })
}

// mustRead is read that fails the test on error.
func mustRead[T any](tb testing.TB, s rollcall.Store, fn func(rollcall.Tx) (T, error)) T {
	tb.Helper()
	v, err := read(tb, s, fn)
	if err != nil {
		tb.Fatalf("View: %v", err)
	}
	return v
}

func update(s rollcall.Store, fn func(rollcall.Tx) error) error {
	return s.Update(context.Background(), fn)
}

// WantKind fails the test unless err is a *rollcall.Error of kind k.
func WantKind(tb testing.TB, what string, err error, k rollcall.Kind) {
	tb.Helper()
	if !rollcall.IsKind(err, k) {
		tb.Fatalf("%s: err = %v, want a %v error", what, err, k)
	}
}

// wantStored reads each of wants back with get (what names get, with the row's key as
// key returns it) and wants it equal.
func wantStored[T any](tb testing.TB, s rollcall.Store, what string, key func(*T) string,
	get func(tx rollcall.Tx, want *T) (*T, error), wants ...*T) {
	tb.Helper()
	for _, want := range wants {
		got := mustRead(tb, s, func(tx rollcall.Tx) (*T, error) { return get(tx, want) })
		WantEqual(tb, what+"("+key(want)+")", got, want)
	}
}

// namedRead is a read of one row, and what it is for a failure's message.
type namedRead[T any] struct {
	what string
	fn   func(tx rollcall.Tx) (*T, error)
}

// wantNotFound wants each of reads, each in a View of its own, to find nothing.
func wantNotFound[T any](tb testing.TB, s rollcall.Store, reads []namedRead[T]) {
	tb.Helper()
	for _, r := range reads {
		_, err := read(tb, s, r.fn)
		WantKind(tb, r.what, err, rollcall.NotFound)
	}
}

// wantRead fails on a read's err, else wants what it got to equal want (WantEqual).
func wantRead[T any](tb testing.TB, what string, got T, err error, want T) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
	WantEqual(tb, what, got, want)
}

// WantEqual fails the test unless got and want are the same value, comparing times to
// the millisecond and nil slices equal to empty ones, and unless every time in got is
// in UTC.
func WantEqual(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if loc := nonUTC(reflect.ValueOf(got)); loc != "" {
		tb.Errorf("%s: a time is in %s, want UTC", what, loc)
	}
	if g, w := Canonical(got), Canonical(want); !reflect.DeepEqual(g, w) {
		tb.Fatalf("%s:\n got  %s\n want %s", what, dump(g), dump(w))
	}
}

func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

var timeType = reflect.TypeFor[time.Time]()

// Canonical returns a deep copy of v in the form the suite compares: every time.Time
// truncated to the millisecond and in UTC, every empty slice nil, every attribute
// document (an Attrs string) as its JSON value: a store keeps a document's members and
// values, not its spacing or member order (PostgreSQL's jsonb keeps neither).
func Canonical(v any) any {
	if v == nil {
		return nil
	}
	return canonical(reflect.ValueOf(v)).Interface()
}

func canonical(v reflect.Value) reflect.Value {
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		return reflect.ValueOf(t.UTC().Truncate(time.Millisecond))
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(canonical(v.Elem()))
		return p
	case reflect.Struct:
		s := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			switch f := v.Type().Field(i); {
			case !s.Field(i).CanSet():
			case f.Name == "Attrs" && f.Type.Kind() == reflect.String:
				s.Field(i).SetString(sameJSON(v.Field(i).String()))
			default:
				s.Field(i).Set(canonical(v.Field(i)))
			}
		}
		return s
	case reflect.Slice:
		if v.Len() == 0 {
			return reflect.Zero(v.Type())
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(canonical(v.Index(i)))
		}
		return s
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := reflect.New(v.Type()).Elem()
		c.Set(canonical(v.Elem()))
		return c
	}
	return v
}

// nonUTC returns the zone of the first time in v that is not in UTC, or "".
func nonUTC(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	if v.Type() == timeType {
		if t := v.Interface().(time.Time); t.Location() != time.UTC {
			return fmt.Sprintf("zone %q (UTC%s)", t.Location(), t.Format("-07:00"))
		}
		return ""
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nonUTC(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if loc := nonUTC(v.Field(i)); loc != "" {
					return loc
				}
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if loc := nonUTC(v.Index(i)); loc != "" {
				return loc
			}
		}
	}
	return ""
}

// ids returns the IDs of a list, in order, for comparisons of listings.
func ids[T any](list []*T, id func(*T) string) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, id(v))
	}
	return out
}

func wantIDs(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		tb.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

// sameJSON is doc re-encoded with its members sorted, so equal JSON values compare equal;
// doc itself when it is not JSON (a store that mangles it then differs).
func sameJSON(doc string) string {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return doc
	}
	b, err := json.Marshal(v)
	if err != nil {
		return doc
	}
	return string(b)
}
