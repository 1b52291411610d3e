package workdocs_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

// BenchmarkDescribeUsersPage measures one DescribeUsers page of 100 users from the middle
// of an organization of 1,000 and 100,000 users (or storetest.QueryBenchSizes), SQLite, for every Sort in both orders, with and without a Query ("ma", about a
// sixth of the organization), through the core ("<sort>/<order>[/query]"), and with the
// official SDK client through the face ("USER_NAME/sdk", "FULL_NAME/sdk": SigV4, decode,
// validation, marker opening and sealing). Every sort is a range read of an index of
// the store (store/userquery), so a page costs the same at every size.
//
//	go test ./face/workdocs -run '^$' -bench DescribeUsersPage -benchtime 100x
func BenchmarkDescribeUsersPage(b *testing.B) {
	storetest.BenchSizes(b, func(b *testing.B, n int) {
		h := MustHarness(b)
		mustBulkUsers(b, h, n)
		ctx := context.Background()
		caller := rollcall.Caller{TenantID: rollcall.DevAccountID}
		sorts := []string{workdocssvc.SortUserName, workdocssvc.SortFullName, workdocssvc.SortStorageLimit,
			workdocssvc.SortStorageUsed, workdocssvc.SortUserStatus}
		storetest.BenchSorts(b, sorts, "query", func(sort string, desc, query bool) func() ([]*workdocssvc.User, error) {
			in := workdocssvc.DescribeUsersInput{Sort: sort, Descending: desc, Limit: n / 2}
			if query {
				in.Query, in.Limit = "ma", n/12
			}
			out, err := h.WorkDocs.DescribeUsers(ctx, caller, in) // the cursor in the middle
			if err != nil {
				b.Fatal(err)
			}
			in.After, in.Limit = out.Next, 100
			return func() ([]*workdocssvc.User, error) {
				out, err := h.WorkDocs.DescribeUsers(ctx, caller, in)
				if err != nil {
					return nil, err
				}
				return out.Users, nil
			}
		})
		for _, sort := range []string{workdocssvc.SortUserName, workdocssvc.SortFullName} {
			b.Run(sort+"/sdk", func(b *testing.B) {
				client := h.MustClient(b, "", "")
				// Page to the middle through the SDK once: the Marker the face sealed there.
				var marker *string
				for seen := 0; seen < n/2; {
					out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Sort: aws.String(sort),
						Limit: aws.Int64(int64(min(999, n/2-seen))), Marker: marker})
					if err != nil {
						b.Fatal(err)
					}
					seen += len(out.Users)
					marker = out.Marker
				}
				storetest.BenchPage(b, 100, func() ([]*workdocs.User, error) {
					out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Sort: aws.String(sort), Limit: aws.Int64(100), Marker: marker})
					return out.Users, err
				})
			})
		}
	})
}

// mustBulkUsers inserts n users (storetest.QueryBenchUser) into the dev organization
// straight through the store (CreateUser's argon2id would dominate the setup).
func mustBulkUsers(tb testing.TB, h *harness, n int) {
	tb.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 11))
	storetest.MustBulkUsers(tb, h.store, n, func(i int) *rollcall.User {
		u := storetest.QueryBenchUser(rollcall.DevOrganizationID, i, r)
		u.TenantID, u.Kind, u.UserType, u.PasswordHash = rollcall.DevAccountID, rollcall.DirWorkDocs, workdocssvc.TypeUser, ""
		u.Key = strings.ToLower(u.Username)
		a := workdocssvc.UserAttrs{StorageType: workdocssvc.Unlimited, StorageUtilizedInBytes: u.ProductKeys.StorageUsed}
		if limit := u.ProductKeys.StorageLimit; limit != math.MaxInt64 {
			a.StorageType, a.StorageAllocatedInBytes = workdocssvc.Quota, &limit
		}
		return workdocssvc.NewUser(u, a)
	})
}
