package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
)

// TestExpiredRowsPurged: a running server deletes expired access tokens and console
// sessions in the background, and keeps live ones.
func TestExpiredRowsPurged(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	err = st.Update(context.Background(), func(tx rollcall.Tx) error {
		for _, tok := range []*rollcall.AccessToken{
			{Hash: "expired", DirectoryID: "biz", TenantID: "biz", Kind: rollcall.TokenAccess, ExpiresAt: now.Add(-time.Minute), CreatedAt: now.Add(-time.Hour)},
			{Hash: "live", DirectoryID: "biz", TenantID: "biz", Kind: rollcall.TokenAccess, ExpiresAt: now.Add(time.Hour), CreatedAt: now},
		} {
			if err := tx.InsertAccessToken(tok); err != nil {
				return err
			}
		}
		return tx.InsertSession(&rollcall.Session{Hash: "ended", Binding: "b", CreatedAt: now.Add(-13 * time.Hour),
			LastSeenAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	m := MustRunMain(t, dir)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var tokErr, sesErr, liveErr error
		err := m.Store.View(context.Background(), func(tx rollcall.Tx) error {
			_, tokErr = tx.AccessToken("expired")
			_, sesErr = tx.Session("ended")
			_, liveErr = tx.AccessToken("live")
			return nil
		})
		if err != nil || liveErr != nil {
			t.Fatalf("view: %v; the live token: %v", err, liveErr)
		}
		if rollcall.IsKind(tokErr, rollcall.NotFound) && rollcall.IsKind(sesErr, rollcall.NotFound) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("expired rows still there after 10s: token %v, session %v", tokErr, sesErr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestIdempotencyRetention: a running server deletes the idempotency records of client
// tokens older than --idempotency-retention, and keeps younger ones.
func TestIdempotencyRetention(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	now := time.Now().UTC().Truncate(time.Millisecond)
	scope := rollcall.IdempotencyScope("a4b", rollcall.DevAccountID)
	record := func(token string, age time.Duration) *rollcall.IdempotencyRecord {
		return &rollcall.IdempotencyRecord{Scope: scope, Token: token, RequestHash: "h", ResultID: "r", CreatedAt: now.Add(-age)}
	}
	if err := m.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		if err := tx.InsertIdempotency(record("token-old", 2*time.Hour)); err != nil {
			return err
		}
		return tx.InsertIdempotency(record("token-recent", 30*time.Minute))
	}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m = MustRunMain(t, dir, "--idempotency-retention", "1h")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var tokens []string
		err := m.Store.View(context.Background(), func(tx rollcall.Tx) error {
			rs, err := tx.IdempotencyRecords()
			for _, r := range rs {
				tokens = append(tokens, r.Token)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(tokens) == 1 && tokens[0] == "token-recent" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("records after the purge = %v, want only the recent one", tokens)
		}
	}
}
