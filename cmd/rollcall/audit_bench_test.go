package main

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"
)

// BenchmarkAuditCreateUser measures Chime CreateUser throughput through the official
// SDK, with the audit trail off and on (reads recorded), in one process: the issue
// allows the trail at most 15% of it. Compare the two users/s figures.
func BenchmarkAuditCreateUser(b *testing.B) {
	for _, mode := range []struct {
		name string
		args []string
	}{{"off", []string{"--audit=false"}}, {"on", []string{"--audit-reads=true"}}} {
		b.Run(mode.name, func(b *testing.B) {
			m := MustRunMain(b, b.TempDir(), mode.args...)
			ch := devChime(b, m)
			acct := mustChimeAccount(b, ch, "Bench")
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					email := fmt.Sprintf("u%d@example.com", n.Add(1))
					if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String(email)}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			if m.Trail != nil {
				m.Trail.Flush()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "users/s")
		})
	}
}
