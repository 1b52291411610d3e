package main

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestA4BTokenCreateRoundTrips counts the round trips to PostgreSQL of an Alexa for
// Business create as the SDK sends it, with a ClientRequestToken (the SDK fills one
// in): its Update alone, as for a create without one (TestCreateRoundTrips). Its token is
// not looked up first (the idempotency key refuses a used one) and its record's insert is
// speculative: 3.83 round trips per create before, 2.57 without the lookup, 1.50 with
// both.
func TestA4BTokenCreateRoundTrips(t *testing.T) {
	proxy := pgtest.NewTurns(t, pgtest.FreshDB(t))
	m := MustRunMain(t, t.TempDir(), "--store", proxy.DSN, "--log-level", "warn")
	client := alexaforbusiness.New(sdkSession(t, m.URL, "test", "test"))
	create := func(i int) {
		t.Helper()
		if _, err := client.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String(fmt.Sprintf("rt-%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 { // connections open, caches fill
		create(i)
	}
	const n = 200
	before := proxy.Count()
	for i := range n {
		create(20 + i)
	}
	perCreate := float64(proxy.Count()-before) / n
	t.Logf("%.2f round trips to PostgreSQL per create", perCreate)
	if perCreate > 1.7 {
		t.Errorf("%.2f round trips per create, want at most 1.7", perCreate)
	}
}
