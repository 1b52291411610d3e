package alexaforbusiness_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"
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
		srv := httptest.NewServer(http.HandlerFunc(bareCreateUser))
		defer srv.Close()
		sess := session.Must(session.NewSession(&aws.Config{
			Endpoint: aws.String(srv.URL), Region: aws.String("us-east-1"), HTTPClient: srv.Client(),
			Credentials: credentials.NewStaticCredentials("test", "test", ""), MaxRetries: aws.Int(0),
		}))
		benchCreate(b, a4b.New(sess))
	})
}

func benchCreate(b *testing.B, client *a4b.AlexaForBusiness) {
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := "bench-" + strconv.FormatInt(n.Add(1), 10)
			_, err := client.CreateUser(&a4b.CreateUserInput{
				UserId: aws.String(id), FirstName: aws.String("Bench"), LastName: aws.String("User"),
				Email: aws.String(id + "@example.com"),
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "creates/s")
}

func bareCreateUser(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		UserId, FirstName, LastName, Email, ClientRequestToken *string
	}
	if err := json.Unmarshal(body, &req); err != nil || req.UserId == nil {
		http.Error(w, `{"__type":"SerializationException"}`, http.StatusBadRequest)
		return
	}
	b, _ := json.Marshal(map[string]string{"UserArn": "arn:aws:a4b:us-east-1:000000000000:user/" + *req.UserId})
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-RequestId", "bare")
	w.Write(b)
}
