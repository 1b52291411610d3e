package workdocs_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

// BenchmarkDescribeUsersPage measures one DescribeUsers page of 50 users from the middle
// of an organization of 1,000, 100,000 and 1,000,000 users (SQLite):
//
//   - "USER_NAME/sdk": the official SDK client with a Marker, through the face (SigV4,
//     decode, validation, marker sealing) and the core; keyset paging on the
//     (organization, key) index, so the cost does not grow with the organization.
//   - "USER_NAME/core": the same page through the core alone.
//   - "FULL_NAME/core": a sort that reads and sorts the whole organization in memory; its
//     cost grows with the organization (documented), here for comparison (1,000 and
//     100,000 users only).
//
// Setting up a million users takes a while (bulk inserts, one transaction per 20,000).
func BenchmarkDescribeUsersPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) {
			h := MustHarness(b)
			mustBulkUsers(b, h, n)
			ctx := context.Background()
			caller := rollcall.Caller{TenantID: rollcall.DevAccountID}
			mid := func(sort string) *workdocssvc.UsersCursor {
				b.Helper()
				// The cursor after the first half of the organization, found through the core.
				out, err := h.WorkDocs.DescribeUsers(ctx, caller, workdocssvc.DescribeUsersInput{Sort: sort, Limit: 1})
				if err != nil {
					b.Fatal(err)
				}
				cur := *out.Next
				if sort == workdocssvc.SortUserName {
					cur.Value = fmt.Sprintf("bench%08d", n/2)
				}
				return &cur
			}
			b.Run("USER_NAME/core", func(b *testing.B) {
				in := workdocssvc.DescribeUsersInput{Sort: workdocssvc.SortUserName, Limit: 50, After: mid(workdocssvc.SortUserName)}
				for b.Loop() {
					out, err := h.WorkDocs.DescribeUsers(ctx, caller, in)
					if err != nil || len(out.Users) != 50 {
						b.Fatalf("%v %v", out, err)
					}
				}
			})
			b.Run("USER_NAME/sdk", func(b *testing.B) {
				client := h.MustClient(b, "", "")
				// Page to the middle through the SDK once: the Marker the face sealed there.
				var marker *string
				for seen := 0; seen < n/2; {
					out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Limit: aws.Int64(int64(min(999, n/2-seen))), Marker: marker})
					if err != nil {
						b.Fatal(err)
					}
					seen += len(out.Users)
					marker = out.Marker
				}
				for b.Loop() {
					out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Limit: aws.Int64(50), Marker: marker})
					if err != nil || len(out.Users) != 50 {
						b.Fatalf("%v %v", out, err)
					}
				}
			})
			if n > 100_000 {
				return
			}
			b.Run("FULL_NAME/core", func(b *testing.B) {
				in := workdocssvc.DescribeUsersInput{Sort: workdocssvc.SortFullName, Limit: 50, After: mid(workdocssvc.SortFullName)}
				for b.Loop() {
					out, err := h.WorkDocs.DescribeUsers(ctx, caller, in)
					if err != nil || len(out.Users) != 50 {
						b.Fatalf("%v %v", out, err)
					}
				}
			})
		})
	}
}

// mustBulkUsers inserts n users into the dev organization straight through the store
// (CreateUser's argon2id would dominate the setup).
func mustBulkUsers(tb testing.TB, h *harness, n int) {
	tb.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	const perTx = 20_000
	for start := 0; start < n; start += perTx {
		err := h.store.Update(context.Background(), func(tx rollcall.Tx) error {
			for i := start; i < min(start+perTx, n); i++ {
				name := fmt.Sprintf("bench%08d", i)
				u := &rollcall.User{ID: fmt.Sprintf("%08x-0000-4000-8000-%012d", i, i), DirectoryID: rollcall.DevOrganizationID,
					TenantID: rollcall.DevAccountID, Kind: rollcall.DirWorkDocs, Key: name, Username: name,
					GivenName: "Given" + strconv.Itoa(i%977), FamilyName: "Bench", UserType: workdocssvc.TypeUser,
					Status: workdocssvc.Active, CreatedAt: now, UpdatedAt: now}
				u.DisplayName = u.GivenName + " Bench"
				u.Attrs.StorageType = workdocssvc.Unlimited
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
