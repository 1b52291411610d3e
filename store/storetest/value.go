package storetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// valueTests check that values of every shape come back as they went in.
var valueTests = []testCase{
	{"TimePrecisionAndZone", func(t *testing.T, s rollcall.Store) {
		// A time with nanoseconds, in another zone: it comes back in UTC, with its
		// milliseconds at least.
		zone := time.FixedZone("UTC+2", 2*60*60)
		at := time.Date(2026, 11, 22, 12, 30, 15, 123_456_789, zone)
		u := NewUser("A", "u1", "ada")
		u.CreatedAt, u.UpdatedAt = at, at.Add(time.Nanosecond)
		m := NewMessage("m1", "A", at)
		sent := at.Add(time.Microsecond)
		m.SentAt = &sent
		inv := NewInvitation("i1", "h1", "A")
		inv.ExpiresAt, inv.UsedAt = at, &at
		k := NewAccessKey("AKIA1")
		k.ExpiresAt = at
		MustInsert(t, s, u, m, inv, k)
		gotU, err := getUser(t, s, "A", "u1")
		wantRead(t, "user with nanoseconds in another zone", gotU, err, u)
		if want := at.UTC().Truncate(time.Millisecond); !gotU.CreatedAt.Truncate(time.Millisecond).Equal(want) || gotU.CreatedAt.Before(want) {
			t.Fatalf("CreatedAt = %v, want %v or finer", gotU.CreatedAt, want)
		}
		gotM, err := get(t, s, rollcall.Tx.Message, "m1")
		wantRead(t, "message", gotM, err, m)
		gotI, err := get(t, s, rollcall.Tx.InvitationByTokenHash, "h1")
		wantRead(t, "invitation", gotI, err, inv)
		gotK := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.AccessKey, error) { return tx.AccessKey("AKIA1") })
		WantEqual(t, "access key", gotK, k)
	}},
	{"TimeRange", func(t *testing.T, s rollcall.Store) {
		for i, at := range []time.Time{
			{}, // the zero time
			time.Date(1969, 7, 20, 20, 17, 40, 500_000_000, time.UTC), // before the Unix epoch
			time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC),
		} {
			u := NewUser("A", "u"+string(rune('0'+i)), "k"+string(rune('0'+i)))
			u.CreatedAt, u.UpdatedAt = at, at
			MustInsert(t, s, u)
			got, err := getUser(t, s, "A", u.ID)
			wantRead(t, "user created at "+at.String(), got, err, u)
			if at.IsZero() && !got.CreatedAt.IsZero() {
				t.Fatalf("the zero time came back as %v", got.CreatedAt)
			}
		}
	}},
	{"EmptyDocuments", func(t *testing.T, s rollcall.Store) {
		// An empty object is no document, as the release before wrote one.
		u := NewUser("A", "u1", "ada")
		u.Attrs = "{}"
		d := NewDirectory("A")
		d.Attrs = "{}"
		MustInsert(t, s, u, d)
		if got, _ := getUser(t, s, "A", "u1"); got.Attrs != "" {
			t.Fatalf("an empty document came back as %q", got.Attrs)
		}
		if got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("A") }); got.Attrs != "" {
			t.Fatalf("an empty directory document came back as %q", got.Attrs)
		}
	}},
	{"Strings", func(t *testing.T, s rollcall.Store) {
		// (No NUL bytes: PostgreSQL's text cannot hold them, and no face accepts them.)
		odd := []string{
			"", " ", "'; DROP TABLE users; --", `"quoted" \backslash\`, "tab\tnewline\nreturn\r",
			"Zoë Ødegård 李小龍 🙂", "<p>&amp;</p>", strings.Repeat("x", 64<<10),
		}
		for i, v := range odd {
			// Indexed columns get the odd string only when it is of a size an index takes.
			short := v
			if len(short) > 256 {
				short = "long"
			}
			u := &rollcall.User{ID: "u" + string(rune('a'+i)), DirectoryID: "A", Key: "key " + short, Email: short, Username: v,
				GivenName: v, FamilyName: v, DisplayName: v, UserType: short, Status: v, PasswordHash: v,
				Attrs: document(map[string]any{"locale": v, "tags": []map[string]string{{"key": v, "value": v}}, v: []string{v}})}
			m := NewMessage("m"+u.ID, "A", T0)
			m.Subject, m.TextBody, m.HTMLBody, m.LastError = v, v, v, v
			MustInsert(t, s, u, m)
			got, err := getUser(t, s, "A", u.ID)
			wantRead(t, "user of odd strings", got, err, u)
			got = mustRead(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", u.Key) })
			WantEqual(t, "user by an odd key", got, u)
			gotM, err := get(t, s, rollcall.Tx.Message, m.ID)
			wantRead(t, "message of odd strings", gotM, err, m)
		}
	}},
	{"LargeNumbers", func(t *testing.T, s rollcall.Store) {
		big, neg := int64(1)<<62, int64(-1)
		u := NewUser("A", "u1", "ada")
		u.Attrs = document(map[string]any{"storageAllocatedInBytes": big, "storageUtilizedInBytes": neg})
		u.ProductKeys.StorageLimit, u.ProductKeys.StorageUsed = big, neg
		m := NewMessage("m1", "A", T0)
		m.Attempts = 1 << 30
		MustInsert(t, s, u, m)
		got, err := getUser(t, s, "A", "u1")
		wantRead(t, "user with large numbers", got, err, u)
		gotM, err := get(t, s, rollcall.Tx.Message, "m1")
		wantRead(t, "message with many attempts", gotM, err, m)
	}},
	{"CallerValuesUntouched", func(t *testing.T, s rollcall.Store) {
		// Writing a value does not change it (a Store that normalizes times does so
		// on its own copy).
		zone := time.FixedZone("UTC-5", -5*60*60)
		at := time.Date(2026, 1, 2, 3, 4, 5, 6_789_012, zone)
		u := NewUser("A", "u1", "ada")
		u.CreatedAt = at
		MustInsert(t, s, u)
		if u.CreatedAt != at {
			t.Fatalf("InsertUser changed the caller's user: %+v", u)
		}
	}},
}

// document is v as an attribute document, as encoding/json writes it.
func document(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
