package main

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

// BenchmarkCreateUserMetrics: signed Chime CreateUser requests from 32×GOMAXPROCS
// keep-alive clients through the whole server as it ships (observer, faces, durable
// group commit), with metrics off and on, in one run: compare the creates/s figures.
func BenchmarkCreateUserMetrics(b *testing.B) {
	for _, c := range []struct {
		name string
		args []string
	}{{"metrics-off", nil}, {"metrics-on", []string{"--metrics-listen", "127.0.0.1:0"}}} {
		b.Run(c.name, func(b *testing.B) {
			m := MustRunMain(b, b.TempDir(), append([]string{"--log-level", "error"}, c.args...)...)
			acct, err := chime.New(sdkSession(b, m.URL, "test", "test")).CreateAccount(&chime.CreateAccountInput{Name: aws.String("Bench")})
			if err != nil {
				b.Fatal(err)
			}
			account := aws.StringValue(acct.Account.AccountId)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
			signer := v4.NewSigner(credentials.NewStaticCredentials("test", "test", ""))
			start := time.Now().UnixNano()
			facetest.BenchCreates(b, 32, func(seq int64) error {
				body := []byte(fmt.Sprintf(`{"Email":"u%d-%d@example.com"}`, start, seq))
				req, _ := http.NewRequest("POST", m.URL+"/accounts/"+account+"/users?operation=create", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
				return facetest.Expect(client, req, http.StatusCreated)
			})
		})
	}
}
