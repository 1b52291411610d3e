package alexaforbusiness_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
)

// BenchmarkSearchUsersPage measures one SearchUsers page of 50 users from the middle of
// an account of 1,000, 100,000 and 1,000,000 users (SQLite):
//
//   - "UserId/sdk": sorted by UserId, the official SDK client with a NextToken, through
//     the face (SigV4, decode, validation, token opening and sealing) and the core; keyset
//     paging on the (directory, key) index, so the cost does not grow with the account.
//   - "UserId/core" and "ID/core" (no sort): the same page through the core alone.
//   - "LastName/core": a sort that reads and sorts the whole account in memory; its cost
//     grows with the account (documented), here for comparison (up to 100,000 users).
//
// Run it with:
//
//	go test ./face/alexaforbusiness -run '^$' -bench SearchUsersPage -benchtime 200x
func BenchmarkSearchUsersPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) {
			h := MustHarness(b)
			mustBulkAlexaUsers(b, h, n)
			ctx := context.Background()
			caller := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
			byKey := alexa.SearchUsersInput{Limit: 50, Sort: []alexa.Sort{{Key: alexa.FieldUserID}},
				After: &alexa.Cursor{Values: []string{fmt.Sprintf("bench%08d", n/2)}}}
			page := func(b *testing.B, in alexa.SearchUsersInput) {
				for b.Loop() {
					out, err := h.Alexa.SearchUsers(ctx, caller, in)
					if err != nil || len(out.Users) != 50 {
						b.Fatalf("%v %v", out, err)
					}
				}
			}
			b.Run("UserId/core", func(b *testing.B) { page(b, byKey) })
			b.Run("UserId/sdk", func(b *testing.B) {
				client := h.MustClient(b, "", "")
				token := face.SealSearchToken(h.face, caller, byKey, byKey.After)
				in := &a4b.SearchUsersInput{MaxResults: aws.Int64(50), NextToken: aws.String(token),
					SortCriteria: []*a4b.Sort{{Key: aws.String("UserId"), Value: aws.String("ASC")}}}
				for b.Loop() {
					out, err := client.SearchUsers(in)
					if err != nil || len(out.Users) != 50 {
						b.Fatalf("%v %v", out, err)
					}
				}
			})
			b.Run("ID/core", func(b *testing.B) {
				page(b, alexa.SearchUsersInput{Limit: 50, After: &alexa.Cursor{ID: benchID(n / 2)}})
			})
			if n > 100_000 {
				return
			}
			b.Run("LastName/core", func(b *testing.B) {
				page(b, alexa.SearchUsersInput{Limit: 50, Sort: []alexa.Sort{{Key: alexa.FieldLastName}},
					After: &alexa.Cursor{Values: []string{"Last"}, ID: benchID(n / 2)}})
			})
		})
	}
}

func benchID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i) }

// mustBulkAlexaUsers inserts n users into the dev account's Alexa for Business directory
// straight through the store, 20,000 per transaction.
func mustBulkAlexaUsers(tb testing.TB, h *harness, n int) {
	tb.Helper()
	h.MustCreate(tb, rollcall.DevAccountID, person{ID: "~first"}) // creates the directory
	now := time.Now().UTC().Truncate(time.Millisecond)
	const perTx = 20_000
	for start := 0; start < n; start += perTx {
		err := h.store.Update(context.Background(), func(tx rollcall.Tx) error {
			for i := start; i < min(start+perTx, n); i++ {
				id := benchID(i)
				u := &rollcall.User{ID: id, DirectoryID: rollcall.AlexaDirectoryID(rollcall.DevAccountID), TenantID: rollcall.DevAccountID,
					Kind: rollcall.DirAlexa, Key: fmt.Sprintf("bench%08d", i), Username: fmt.Sprintf("bench%08d", i),
					GivenName: "Given" + strconv.Itoa(i%977), FamilyName: "Last", Status: "ACTIVE", CreatedAt: now, UpdatedAt: now}
				u.Attrs.Arn = "arn:aws:a4b:us-east-1:" + rollcall.DevAccountID + ":user/" + id
				if err := tx.InsertUser(u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("bulk insert: %v", err)
		}
	}
}
