package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
)

// TestAuditCLI: `rollcall admin events` prints a page of a tenant's trail and the token
// of the next.
func TestAuditCLI(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	ch := devChime(t, m)
	for _, name := range []string{"One", "Two"} {
		if _, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	m.Trail.Flush()
	out := mustAdmin(t, m, "events", rollcall.DevAccountID, "--name", "CreateAccount", "--limit", "1")
	if strings.Count(out, "CreateAccount") != 1 || !strings.Contains(out, "chime.amazonaws.com") || !strings.Contains(out, "next page: --page-token ") {
		t.Fatalf("rollcall admin events:\n%s", out)
	}
	tok := strings.TrimSpace(out[strings.Index(out, "--page-token ")+len("--page-token "):])
	out = mustAdmin(t, m, "events", rollcall.DevAccountID, "--name", "CreateAccount", "--limit", "1", "--page-token", tok)
	if strings.Count(out, "CreateAccount") != 1 || strings.Contains(out, "next page") {
		t.Fatalf("second page:\n%s", out)
	}
}

// TestAuditExport: `rollcall events export` writes CloudTrail log files that read back
// as the recorded calls.
func TestAuditExport(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	ch := devChime(t, m)
	acct := mustChimeAccount(t, ch, "Exported")
	m.Close()
	out := filepath.Join(t.TempDir(), "trail")
	var stdout bytes.Buffer
	if err := eventsCmd(context.Background(), []string{"export", "--data-dir", dir, "--out", out}, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	var files, records []string
	var found map[string]any
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		files = append(files, rel)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		var lf struct{ Records []map[string]any }
		if err := json.NewDecoder(zr).Decode(&lf); err != nil {
			return err
		}
		for _, r := range lf.Records {
			records = append(records, field(r, "eventName"))
			if field(r, "eventName") == "CreateAccount" {
				found = r
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().Format("2006/01/02")
	if len(files) != 1 || !strings.HasPrefix(filepath.ToSlash(files[0]), "AWSLogs/"+rollcall.DevAccountID+"/CloudTrail/us-east-1/"+day+"/"+rollcall.DevAccountID+"_CloudTrail_us-east-1_") ||
		!strings.HasSuffix(files[0], ".json.gz") {
		t.Fatalf("files = %v", files)
	}
	if found == nil || field(found, "responseElements", "Account", "AccountId") != aws.StringValue(acct.AccountId) || len(records) != 1 {
		t.Fatalf("records = %v; CreateAccount = %v", records, found)
	}
	if s := stdout.String(); !strings.Contains(s, "exported 1 event from ") || !strings.Contains(s, " into 1 file under ") {
		t.Fatalf("summary: %s", stdout.String())
	}
}

// TestAuditRetention: events past --audit-retention are purged in the background.
func TestAuditRetention(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	now := time.Now().UTC().Truncate(time.Millisecond)
	old := &rollcall.AuditEvent{TenantID: "T", Time: now.Add(-2 * time.Hour), ID: "old", Name: "CreateUser", Principal: "p", Record: []byte(`{}`)}
	recent := &rollcall.AuditEvent{TenantID: "T", Time: now.Add(-30 * time.Minute), ID: "recent", Name: "CreateUser", Principal: "p", Record: []byte(`{}`)}
	if err := m.Store.Update(context.Background(), func(tx rollcall.Tx) error {
		if err := tx.PutAuditEvent(old); err != nil {
			return err
		}
		return tx.PutAuditEvent(recent)
	}); err != nil {
		t.Fatal(err)
	}
	m.Close()
	m = MustRunMain(t, dir, "--audit-retention", "1h")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var ids []string
		err := m.Store.View(context.Background(), func(tx rollcall.Tx) error {
			es, err := tx.AuditEvents(rollcall.AuditFilter{TenantID: "T"})
			for _, e := range es {
				ids = append(ids, e.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(ids, ",") == "recent" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("events after the purge = %v, want only the recent one", ids)
		}
	}
}
