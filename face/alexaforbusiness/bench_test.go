package alexaforbusiness_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall/face/facetest"
)

// BenchmarkCreateUser measures CreateUser end to end: the official SDK client signs and
// sends, the face verifies, decodes, validates and creates in SQLite (durable commit).
// "bare" is a plain net/http handler doing the same JSON round trip with no auth, checks
// or storage, driven by the same client, for a ratio.
func BenchmarkCreateUser(b *testing.B) {
	b.Run("face", func(b *testing.B) {
		h := MustHarness(b)
		benchCreate(b, h.MustClient(b, "", ""))
	})
	b.Run("bare", func(b *testing.B) {
		benchCreate(b, a4b.New(facetest.MustServeBare(b, bareCreateUser).AWSSession(b, "", "")))
	})
}

func benchCreate(b *testing.B, client *a4b.AlexaForBusiness) {
	facetest.BenchCreates(b, 0, func(seq int64) error {
		id := "bench-" + strconv.FormatInt(seq, 10)
		_, err := client.CreateUser(&a4b.CreateUserInput{
			UserId: aws.String(id), FirstName: aws.String("Bench"), LastName: aws.String("User"),
			Email: aws.String(id + "@example.com"),
		})
		return err
	})
}

var bareCreateUser = facetest.BareJSON(http.StatusOK,
	http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"bare"}}, `{"__type":"SerializationException"}`,
	func(req *struct{ UserId, FirstName, LastName, Email, ClientRequestToken *string }) any {
		if req.UserId == nil {
			return nil
		}
		return map[string]string{"UserArn": "arn:aws:a4b:us-east-1:000000000000:user/" + *req.UserId}
	})
