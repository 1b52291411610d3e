package chime_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	chimesvc "github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/chime"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/store/storetest"
)

// BenchmarkCreateUser: signed CreateUser requests from 64 keep-alive clients through the
// whole face (verify, validate, durable group commit), next to a bare net/http handler
// doing the same JSON round trip, and the face with a fault injector that has no rule,
// in one run: compare the creates/s figures.
func BenchmarkCreateUser(b *testing.B) {
	h := MustHarness(b)
	account := h.MustAccount(b)
	bare := facetest.MustServeBare(b, facetest.BareJSON(http.StatusCreated, http.Header{"Content-Type": {"application/json"}}, "",
		func(in *map[string]any) any { return map[string]any{"User": *in} }))
	// The same face with a fault injector that has no rule, as every server runs.
	e := &fault.Engine{Store: h.svc.Store, Catalog: map[string][]string{chime.Name: {"CreateUser"}}}
	if err := e.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	withFaults := newFace(h.Service)
	withFaults.Faults = e
	faults := facetest.MustServe(b, withFaults)
	for _, target := range []struct{ name, url string }{{"rollcall", h.srv.URL}, {"rollcall-fault-injector-no-rule", faults.URL}, {"bare-net-http", bare.URL}} {
		b.Run(target.name, func(b *testing.B) { facetest.BenchChimeCreateUser(b, target.url, account) })
	}
}

// BenchmarkListUsersPage measures one ListUsers page of 100 users from the middle of an
// account of 1,000 and 100,000 users (or storetest.QueryBenchSizes),
// SQLite: filtered by UserType (a quarter of the account are SharedDevice), by email
// (one user), and unfiltered, through the core; and by UserType with the official SDK
// client through the face ("type/sdk"). Each is a range read of an index ending in the
// user ID.
//
//	go test ./face/chime -run '^$' -bench ListUsersPage -benchtime 100x
func BenchmarkListUsersPage(b *testing.B) {
	storetest.BenchSizes(b, func(b *testing.B, n int) {
		h := MustHarness(b)
		account := h.MustAccount(b)
		mid := mustBulkChimeUsers(b, h, account, n)
		ctx := context.Background()
		caller := rollcall.Caller{TenantID: rollcall.DevAccountID}
		for _, c := range []struct {
			name string
			in   chimesvc.ListUsersInput
		}{
			{"all", chimesvc.ListUsersInput{AccountID: account, After: mid.ID, Limit: 100}},
			{"type", chimesvc.ListUsersInput{AccountID: account, UserType: "SharedDevice", After: mid.ID, Limit: 100}},
			{"email", chimesvc.ListUsersInput{AccountID: account, Email: strings.ToUpper(mid.Email), Limit: 100}},
		} {
			b.Run(c.name, func(b *testing.B) {
				storetest.BenchPage(b, 0, func() ([]*chimesvc.User, error) {
					users, _, err := h.Chime.ListUsers(ctx, caller, c.in)
					return users, err
				})
			})
		}
		b.Run("type/sdk", func(b *testing.B) {
			client := h.client(b, "test", "test")
			var token *string
			for seen := 0; seen < n/8; { // to the middle of the SharedDevice users
				out, err := client.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), UserType: aws.String("SharedDevice"),
					MaxResults: aws.Int64(int64(min(200, n/8-seen))), NextToken: token})
				if err != nil {
					b.Fatal(err)
				}
				seen += len(out.Users)
				token = out.NextToken
			}
			in := &chimev1.ListUsersInput{AccountId: aws.String(account), UserType: aws.String("SharedDevice"), MaxResults: aws.Int64(100), NextToken: token}
			storetest.BenchPage(b, 0, func() ([]*chimev1.User, error) {
				out, err := client.ListUsers(in)
				return out.Users, err
			})
		})
	})
}

// mustBulkChimeUsers inserts n users (storetest.QueryBenchUser) into the account
// straight through the store, and returns the one in the middle by ID.
func mustBulkChimeUsers(tb testing.TB, h *harness, account string, n int) *rollcall.User {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 17))
	storetest.MustBulkUsers(tb, h.svc.Store, n, func(i int) *rollcall.User {
		u := storetest.QueryBenchUser(account, i, r)
		u.TenantID, u.Kind, u.Key, u.Status, u.PasswordHash = rollcall.DevAccountID, rollcall.DirChime, strings.ToLower(u.Email), "Active", ""
		u.ProductKeys = rollcall.ProductKeys{}
		return chimesvc.NewUser(u, chimesvc.UserAttrs{LicenseType: "Pro", RegistrationStatus: "Unregistered"})
	})
	var mid *rollcall.User
	err := h.svc.Store.View(context.Background(), func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: account, Limit: n / 2})
		if err == nil {
			mid = users[len(users)-1]
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return mid
}
