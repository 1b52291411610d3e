package trail_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/sqlite"
)

// The stores a declared response is checked on: SQLite, and PostgreSQL when
// ROLLCALL_TEST_POSTGRES names a server.
var declareStores = []struct {
	name string
	open func(tb testing.TB) rollcall.Store
}{
	{"sqlite", func(tb testing.TB) rollcall.Store {
		s, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}},
	{"postgres", func(tb testing.TB) rollcall.Store {
		s, err := postgres.Open(context.Background(), pgtest.FreshDB(tb))
		if err != nil {
			tb.Fatal(err)
		}
		return s
	}},
}

const businessTenant = "amzn1.ab.business.1"

// businessCreate serves an Amazon Business create on tr as the pipeline does: Begin,
// the caller, the request, declared (if not nil), the write (a tenant), and the
// answer, sent.
func businessCreate(tb testing.TB, tr *trail.Trail, s rollcall.Store, declared, sent []byte) {
	tb.Helper()
	tr.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		r, c := trail.Begin(r, "amazonbusiness", "createBusinessUserAccount", "5f0b7a4e-6b1c-4f58-9d9a-2f8e1c3b4a5d")
		c.Identify(rollcall.Caller{TenantID: businessTenant, DirectoryID: businessTenant, Credential: rollcall.CredentialBusinessToken})
		c.SetRequest(json.RawMessage(`{"accountHolder":{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"},"region":"US"}`))
		c.Declare(declared)
		if err := s.Update(r.Context(), func(tx rollcall.Tx) error {
			return tx.PutTenant(&rollcall.Tenant{ID: "T" + audit.RandomUUID()})
		}); err != nil {
			tb.Fatal(err)
		}
		c.FinishEncoded(sent)
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/businessAccounts/2021-08-30/businessUserAccount", nil))
	tr.Flush()
}

// rawEvents is the tenant's events as stored.
func rawEvents(tb testing.TB, s rollcall.Store, tenant string) []*rollcall.AuditEvent {
	tb.Helper()
	var es []*rollcall.AuditEvent
	if err := s.View(context.Background(), func(tx rollcall.Tx) (err error) {
		es, err = tx.AuditEvents(rollcall.AuditFilter{TenantID: tenant})
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return es
}

// record is event id's record as the admin API and the export give it (audit.Complete
// of what the store holds), its eventID replaced by "ID" so that two calls' records
// compare; and whether a response row was stored beside the event.
func record(tb testing.TB, s rollcall.Store, id string) ([]byte, bool) {
	tb.Helper()
	for _, e := range rawEvents(tb, s, businessTenant) {
		if e.ID == id {
			return bytes.ReplaceAll(audit.Complete(e.Record, e.Response), []byte(id), []byte("ID")), len(e.Response) > 0
		}
	}
	tb.Fatalf("no event %s", id)
	return nil, false
}

// TestDeclaredResponse: an Amazon Business create that declares its response ({})
// stores it in the write's event, with no response row after the answer, and its
// record reads back byte for byte as the one the response row gives (the call made
// without declaring); a declared response that is not the one sent records the one
// sent, byte for byte as without declaring.
func TestDeclaredResponse(t *testing.T) {
	for _, st := range declareStores {
		t.Run(st.name, func(t *testing.T) {
			s := st.open(t)
			tr := trail.New(s, trail.Options{Now: func() time.Time { return t0 }})
			t.Cleanup(func() { tr.Close(); s.Close() })
			ids := map[string]bool{}
			create := func(declared, sent string) ([]byte, bool) {
				var d []byte
				if declared != "" {
					d = []byte(declared)
				}
				before := map[string]bool{}
				for _, e := range rawEvents(t, s, businessTenant) {
					before[e.ID] = true
				}
				businessCreate(t, tr, s, d, []byte(sent))
				for _, e := range rawEvents(t, s, businessTenant) {
					if !before[e.ID] && !ids[e.ID] {
						ids[e.ID] = true
						return record(t, s, e.ID)
					}
				}
				t.Fatal("the create stored no event")
				return nil, false
			}

			today, row := create("", "{}")
			if !row || !bytes.Contains(today, []byte(`"responseElements":{}`)) {
				t.Fatalf("without declaring: record %s (response row %v), want {} from a response row", today, row)
			}
			got, row := create("{}", "{}")
			if row {
				t.Errorf("declared and sent {}: a response row was stored after the answer")
			}
			if !bytes.Equal(got, today) {
				t.Errorf("declared and sent {}: record\n%s\nwant (without declaring)\n%s", got, today)
			}

			sent := `{"password":"hunter2","id":"u1"}` // scrubbed as any response
			today, _ = create("", sent)
			if !bytes.Contains(today, []byte(`"responseElements":{"password":"HIDDEN_DUE_TO_SECURITY_REASONS","id":"u1"}`)) {
				t.Fatalf("without declaring: record %s, want the response sent, scrubbed", today)
			}
			if got, _ = create("{}", sent); !bytes.Equal(got, today) {
				t.Errorf("declared {}, sent %s: record\n%s\nwant (without declaring)\n%s", sent, got, today)
			}
		})
	}
}

// TestDeclaredResponseFailure: a call that declared its response, wrote, and then
// failed is recorded as failed, without the declared response.
func TestDeclaredResponseFailure(t *testing.T) {
	tr, s := mustTrail(t, true)
	r, c := begin(t, tr, "CreateUser")
	c.Declare([]byte(`{}`))
	if err := s.Update(r.Context(), func(tx rollcall.Tx) error { return tx.PutTenant(&rollcall.Tenant{ID: "T"}) }); err != nil {
		t.Fatal(err)
	}
	if got := events(t, s); len(got) != 1 || got[0]["responseElements"] == nil {
		t.Fatalf("events after the write = %v, want the declared response in the write's event", got)
	}
	c.Finish(nil, "ServiceFailureException", "internal error")
	tr.Flush()
	if got := events(t, s); len(got) != 1 || got[0]["errorCode"] != "ServiceFailureException" || got[0]["responseElements"] != nil {
		t.Fatalf("events after the failure = %v, want the failure without a response", got)
	}
}
