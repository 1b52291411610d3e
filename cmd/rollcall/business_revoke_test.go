package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/tools/loadgen/load"
)

// TestBusinessTokenRevokedOnAnotherReplica: a replica that has served an Amazon
// Business token (so holds it in its cache) refuses it, as it always did, once another
// replica has revoked it: 403 for a valid create (the create's Update finds it gone)
// and for a request that fails before the Update (a bad Content-Type: 415 for a live
// token), and nothing is written: no user, and no audit event of the business (a
// refused credential's call has no caller).
func TestBusinessTokenRevokedOnAnotherReplica(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	m := MustRunMain(t, t.TempDir(), "--store", dsn, "--log-level", "warn",
		"--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	other, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	g := load.New(m.URL, "business")
	for range 3 {
		mustCreate(t, g)
	}
	token := rollcall.DevAccessToken
	send := func(contentType string) (int, string) {
		t.Helper()
		req, err := g.Request()
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("x-amz-access-token", token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(bytes.TrimSpace(body))
	}
	if status, body := send("text/plain"); status != http.StatusUnsupportedMediaType {
		t.Fatalf("a bad Content-Type with a live token: %d %s, want 415", status, body)
	}
	users := func() int {
		var n int
		err := other.View(context.Background(), func(tx rollcall.Tx) (err error) {
			n, err = tx.CountUsers(rollcall.UserQuery{DirectoryID: rollcall.DevBusinessID})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := users()
	devEvents := len(storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevBusinessID}))
	err = other.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.DeleteAccessToken(rollcall.HashToken(rollcall.DevAccessToken))
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, contentType := range []string{"application/json", "text/plain", "application/json"} {
		status, body := send(contentType)
		if status != http.StatusForbidden || !strings.Contains(body, "Access denied: the access token is invalid.") {
			t.Errorf("Content-Type %s, token revoked on another replica: %d %s, want 403 (invalid token)", contentType, status, body)
		}
	}
	if n := users(); n != before {
		t.Errorf("%d users after the revoke, %d before", n, before)
	}
	if n := len(storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevBusinessID})); n != devEvents {
		t.Errorf("the business has %d audit events after the refused requests, %d before", n, devEvents)
	}
}
