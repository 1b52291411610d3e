package chime_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"

	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/face/chime"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/fault"
)

// BenchmarkCreateUserFaults: signed CreateUser requests through the whole face without a
// fault injector and with one that has no rule (what every server runs with), on one
// store: the two creates/s figures should be the same within noise.
func BenchmarkCreateUserFaults(b *testing.B) {
	h := MustHarness(b)
	account := h.MustAccount(b)
	e := &fault.Engine{Store: h.svc.Store, Catalog: map[string][]string{chime.Name: {"CreateUser"}}}
	if err := e.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	withFaults := chime.New(h.Chime, auth.NewAWS(h.svc, "chime", nil))
	withFaults.Faults = e
	srv := facetest.MustServe(b, withFaults)
	for _, target := range []struct{ name, url string }{{"no-injector", h.srv.URL}, {"injector-no-rule", srv.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
			signer := v4.NewSigner(credentials.NewStaticCredentials("test", "test", ""))
			start := time.Now().UnixNano()
			facetest.BenchCreates(b, 32, func(seq int64) error {
				body := []byte(fmt.Sprintf(`{"Email":"f%d-%d@example.com"}`, start, seq))
				req, _ := http.NewRequest("POST", target.url+"/accounts/"+account+"/users?operation=create", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
				return facetest.Expect(client, req, http.StatusCreated)
			})
		})
	}
}
