package main

import (
	"testing"

	"github.com/aws/aws-sdk-go/aws"

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
			acct := mustChimeAccount(b, devChime(b, m), "Bench")
			facetest.BenchChimeCreateUser(b, m.URL, aws.StringValue(acct.AccountId))
		})
	}
}
