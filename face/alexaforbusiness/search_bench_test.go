package alexaforbusiness_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/store/storetest"
)

// BenchmarkSearchUsersPage measures one SearchUsers page of 50 users from the middle of
// an account of 1,000 and 100,000 users (or storetest.QueryBenchSizes),
// SQLite: every sort key, ascending and descending (ties by ascending ID), with and
// without filters (FirstName among half the names and EnrollmentStatus PENDING or
// REGISTERED: a third of the account), through the core ("<key>/<order>[/filters]"),
// and with the official SDK client through the face ("UserId/sdk", "LastName/sdk":
// SigV4, decode, validation, token opening and sealing). Every sort is a range read of
// an index of the store (store/userquery), so a page costs the same at every size.
//
//	go test ./face/alexaforbusiness -run '^$' -bench SearchUsersPage -benchtime 100x
func BenchmarkSearchUsersPage(b *testing.B) {
	storetest.BenchSizes(b, func(b *testing.B, n int) {
		h := MustHarness(b)
		mustBenchAlexaUsers(b, h, n)
		ctx := context.Background()
		caller := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
		filters := []alexa.Filter{{Key: alexa.FieldFirstName, Values: storetest.QueryBenchGivenNames()[:20]},
			{Key: alexa.FieldEnrollmentStatus, Values: []string{"PENDING", "REGISTERED"}}}
		middle := func(in alexa.SearchUsersInput, half int) alexa.SearchUsersInput {
			in.Limit = half
			out, err := h.Alexa.SearchUsers(ctx, caller, in)
			if err != nil {
				b.Fatal(err)
			}
			in.After, in.Limit = out.Next, 50
			return in
		}
		page := func(in alexa.SearchUsersInput) func() ([]*alexa.User, error) {
			return func() ([]*alexa.User, error) {
				out, err := h.Alexa.SearchUsers(ctx, caller, in)
				if err != nil {
					return nil, err
				}
				return out.Users, nil
			}
		}
		storetest.BenchSorts(b, alexa.SearchFields, "filters", func(key string, desc, filtered bool) func() ([]*alexa.User, error) {
			in := alexa.SearchUsersInput{Sort: []alexa.Sort{{Key: key, Descending: desc}}}
			half := n / 2
			if filtered {
				in.Filters, half = filters, n/6
			}
			return page(middle(in, half))
		})
		b.Run("none", func(b *testing.B) {
			storetest.BenchPage(b, 50, page(middle(alexa.SearchUsersInput{}, n/2)))
		})
		for _, key := range []string{alexa.FieldUserID, alexa.FieldLastName} {
			b.Run(key+"/sdk", func(b *testing.B) {
				client := h.MustClient(b, "", "")
				in := middle(alexa.SearchUsersInput{Sort: []alexa.Sort{{Key: key}}}, n/2)
				token := face.SealSearchToken(h.face, caller, in, in.After)
				req := &a4b.SearchUsersInput{MaxResults: aws.Int64(50), NextToken: aws.String(token),
					SortCriteria: []*a4b.Sort{{Key: aws.String(key), Value: aws.String("ASC")}}}
				storetest.BenchPage(b, 50, func() ([]*a4b.UserData, error) {
					out, err := client.SearchUsers(req)
					return out.Users, err
				})
			})
		}
	})
}

func benchID(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i) }

// mustBenchAlexaUsers inserts n users (storetest.QueryBenchUser) into the dev account's
// Alexa for Business directory straight through the store, 20,000 per transaction.
func mustBenchAlexaUsers(tb testing.TB, h *harness, n int) {
	tb.Helper()
	h.MustCreate(tb, rollcall.DevAccountID, person{ID: "~first"}) // creates the directory
	r := rand.New(rand.NewPCG(uint64(n), 13))
	storetest.MustBulkUsers(tb, h.store, n, func(i int) *rollcall.User {
		id := benchID(i)
		u := storetest.QueryBenchUser(rollcall.AlexaDirectoryID(rollcall.DevAccountID), i, r)
		u.ID, u.TenantID, u.Kind, u.Key, u.Status, u.PasswordHash = id, rollcall.DevAccountID, rollcall.DirAlexa, fmt.Sprintf("bench%08d", i), "", ""
		u.Username, u.UserType, u.DisplayName = "", "", ""
		a := alexa.UserAttrs{Arn: "arn:aws:a4b:us-east-1:" + rollcall.DevAccountID + ":user/" + id, EnrollmentStatus: u.ProductKeys.Enrollment}
		if a.EnrollmentStatus == alexa.EnrollmentInitialized {
			a.EnrollmentStatus = ""
		}
		return alexa.NewUser(u, a)
	})
}

// mustBulkAlexaUsers inserts n users into the dev account's Alexa for Business directory
// straight through the store, 20,000 per transaction.
func mustBulkAlexaUsers(tb testing.TB, h *harness, n int) {
	tb.Helper()
	h.MustCreate(tb, rollcall.DevAccountID, person{ID: "~first"}) // creates the directory
	now := time.Now().UTC().Truncate(time.Millisecond)
	storetest.MustBulkUsers(tb, h.store, n, func(i int) *rollcall.User {
		id := benchID(i)
		u := &rollcall.User{ID: id, DirectoryID: rollcall.AlexaDirectoryID(rollcall.DevAccountID), TenantID: rollcall.DevAccountID,
			Kind: rollcall.DirAlexa, Key: fmt.Sprintf("bench%08d", i), Username: fmt.Sprintf("bench%08d", i),
			GivenName: "Given" + strconv.Itoa(i%977), FamilyName: "Last", Status: "ACTIVE", CreatedAt: now, UpdatedAt: now}
		return alexa.NewUser(u, alexa.UserAttrs{Arn: "arn:aws:a4b:us-east-1:" + rollcall.DevAccountID + ":user/" + id})
	})
}
