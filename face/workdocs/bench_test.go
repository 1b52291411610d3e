package workdocs_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/face/facetest"
)

// BenchmarkCreateUser measures CreateUser end to end: the official SDK client signs and
// sends, the face verifies, decodes, validates, hashes the password with argon2id and
// creates the user in SQLite (durable commit).
//
//   - "face/default-cost": argon2id at password.Default (19 MiB, 2 passes), what the
//     server runs with. CreateUser is CPU- and memory-bound by design here.
//   - "face/test-cost": argon2id at 1 KiB, 1 pass: the cost of everything else.
//   - "bare": a plain net/http handler doing the same JSON round trip with no auth,
//     checks, hashing or storage, driven by the same client, for a ratio.
func BenchmarkCreateUser(b *testing.B) {
	b.Run("face/default-cost", func(b *testing.B) {
		h := MustHarness(b, func(o *harnessOptions) { o.passwords = password.Default })
		benchCreate(b, h.MustClient(b, "", ""))
	})
	b.Run("face/test-cost", func(b *testing.B) {
		h := MustHarness(b)
		benchCreate(b, h.MustClient(b, "", ""))
	})
	b.Run("bare", func(b *testing.B) {
		benchCreate(b, workdocs.New(facetest.MustServeBare(b, bareCreateUser).AWSSession(b, "", "")))
	})
}

func benchCreate(b *testing.B, client *workdocs.WorkDocs) {
	facetest.BenchCreates(b, 0, func(seq int64) error {
		id := "bench-" + strconv.FormatInt(seq, 10)
		_, err := client.CreateUser(&workdocs.CreateUserInput{
			OrganizationId: aws.String("d-0000000000"), Username: aws.String(id),
			EmailAddress: aws.String(id + "@example.com"), GivenName: aws.String("Bench"),
			Surname: aws.String("User"), Password: aws.String("correct-horse-1"),
		})
		return err
	})
}

var bareCreateUser = facetest.BareJSON(http.StatusCreated,
	http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"bare"}}, `{"Message":"bad request"}`,
	func(req *struct {
		OrganizationId, Username, EmailAddress, GivenName, Surname, Password, TimeZoneId *string
	}) any {
		if req.Username == nil {
			return nil
		}
		now := float64(time.Now().UnixMilli()) / 1000
		return map[string]any{"User": map[string]any{
			"Id": "bare-" + *req.Username, "Username": *req.Username, "EmailAddress": req.EmailAddress,
			"GivenName": req.GivenName, "Surname": req.Surname, "OrganizationId": req.OrganizationId,
			"RootFolderId": "root", "RecycleBinFolderId": "bin", "Status": "ACTIVE", "Type": "USER",
			"CreatedTimestamp": now, "ModifiedTimestamp": now, "Locale": "default",
			"Storage": map[string]any{"StorageUtilizedInBytes": 0, "StorageRule": map[string]any{"StorageAllocatedInBytes": 1 << 40, "StorageType": "QUOTA"}},
		}}
	})
