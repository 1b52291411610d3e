package postgres_test

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestUserAttrsKeptAsWritten: a user's attrs document comes back byte for byte, as
// SQLite keeps it, whichever statement wrote it: a one-row INSERT, a group's multi-row
// INSERT (unnest of an array), an UPDATE. (As jsonb, the server reordered its members
// and respaced it.)
func TestUserAttrsKeptAsWritten(t *testing.T) {
	s := mustOpen(t, freshDB(t))
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	doc := func(s string) string { return `{"z":1,  "a":[true,null],"é":"` + s + `","b":{"y":2,"x":1}}` }
	one := storetest.NewUser("A", "u1", "one")
	one.Attrs = doc("one")
	if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(one) }); err != nil {
		t.Fatal(err)
	}
	two, three := storetest.NewUser("A", "u2", "two"), storetest.NewUser("A", "u3", "three")
	two.Attrs, three.Attrs = doc("two"), doc("three")
	if err := s.Update(ctx, func(tx rollcall.Tx) error {
		if err := tx.InsertUser(two); err != nil {
			return err
		}
		return tx.InsertUser(three)
	}); err != nil {
		t.Fatal(err)
	}
	four := storetest.NewUser("A", "u4", "four")
	storetest.MustInsert(t, s, four)
	four.Attrs = doc("four")
	if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.UpdateUser(four) }); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*rollcall.User{one, two, three, four} {
		var got *rollcall.User
		if err := s.View(ctx, func(tx rollcall.Tx) (err error) { got, err = tx.User("A", u.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if got.Attrs != u.Attrs {
			t.Errorf("user %s: attrs %s, want %s", u.ID, got.Attrs, u.Attrs)
		}
	}
}

// TestUserAttrsFromPreviousRelease: the release before migration 0330 wrote attrs as
// jsonb parameters (its group INSERT unnests a jsonb[]); during a rolling deploy its
// writes still land in the text column, in jsonb's text form.
func TestUserAttrsFromPreviousRelease(t *testing.T) {
	dsn := freshDB(t)
	s := mustOpen(t, dsn)
	storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewUser("A", "u1", "one"))
	conn := pgtest.Connect(t, dsn)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, `UPDATE users SET attrs = $1::jsonb WHERE id = 'u1'`, `{"b":1,"a":2}`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO users (id, directory_id, tenant_id, kind, key, email, email_lower, username,
		given_name, family_name, display_name, user_type, status, password_hash, created_at, updated_at, attrs)
		SELECT 'u2', directory_id, tenant_id, kind, 'two', 'two@example.com', 'two@example.com', username, given_name,
			family_name, display_name, user_type, status, password_hash, created_at, updated_at, a
		FROM users, unnest($1::jsonb[]) AS a WHERE id = 'u1'`, []string{`{"d":1,"c":2}`}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"u1": `{"a": 2, "b": 1}`, "u2": `{"c": 2, "d": 1}`} {
		var got *rollcall.User
		if err := s.View(ctx, func(tx rollcall.Tx) (err error) { got, err = tx.User("A", id); return err }); err != nil {
			t.Fatal(err)
		}
		if got.Attrs != want {
			t.Errorf("user %s: attrs %s, want %s", id, got.Attrs, want)
		}
	}
}
