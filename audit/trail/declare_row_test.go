package trail_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/audit/trail"
)

const chimeTenant = "111122223333"

// chimeUserResponse is a Chime CreateUser's answer: longer than trail.InlineResponse,
// with a member the scrub hides. license tells two answers apart.
func chimeUserResponse(license string) string {
	return `{"User":{"AccountId":"a1b2c3d4-0000-4000-8000-000000000001","AlexaForBusinessMetadata":{"AlexaForBusinessRoomArn":null,` +
		`"IsAlexaForBusinessEnabled":false},"Delegates":null,"Devices":null,"DisplayName":"ada","EmailAlias":[],"FullName":"ada",` +
		`"InvitedOn":null,"IsProTrial":false,"LastActiveOn":null,"LicenseType":"` + license + `","Password":"hunter2",` +
		`"PresenceVisibility":null,"PrimaryEmail":"ada@example.com","PrimaryProvisionedNumber":null,"RegisteredOn":null,` +
		`"UserId":"a1b2c3d4-0000-4000-8000-000000000002","UserInvitationStatus":null,"UserLocale":null,` +
		`"UserRegistrationStatus":"Unregistered","UserType":"PrivateUser","Vanity":null}}`
}

// countingStore counts the Updates made through it: the creates' and the trail's
// background writer's.
type countingStore struct {
	rollcall.Store
	updates atomic.Int64
}

func (s *countingStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	s.updates.Add(1)
	return s.Store.Update(ctx, fn)
}

// rowCreate is a Chime create served as the pipeline serves it: Begin, the caller, the
// request, declared (if not nil), the write (withdrawing the declaration inside it when
// withdraw is set), and the answer (sent, or the error errCode). It returns the event's
// ID, and what the store held between the commit and the answer.
func rowCreate(tb testing.TB, tr *trail.Trail, s rollcall.Store, declared, sent, errCode string, withdraw bool) (string, *rollcall.AuditEvent) {
	tb.Helper()
	var id string
	var before *rollcall.AuditEvent
	tr.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		r, c := trail.Begin(r, "chime", "CreateUser", "5f0b7a4e-6b1c-4f58-9d9a-2f8e1c3b4a5d")
		c.Identify(rollcall.Caller{TenantID: chimeTenant, Region: "us-east-1", Credential: rollcall.CredentialAccessKey, AccessKeyID: "AKIDEXAMPLE"})
		c.SetRequest(json.RawMessage(`{"Email":"ada@example.com","Username":"ada"}`))
		if declared != "" {
			c.Declare([]byte(declared))
		}
		known := map[string]bool{}
		for _, e := range rawEvents(tb, s, chimeTenant) {
			known[e.ID] = true
		}
		if err := s.Update(r.Context(), func(tx rollcall.Tx) error {
			if withdraw {
				c.Withdraw()
			}
			return tx.PutTenant(&rollcall.Tenant{ID: "T" + audit.RandomUUID()})
		}); err != nil {
			tb.Fatal(err)
		}
		for _, e := range rawEvents(tb, s, chimeTenant) {
			if !known[e.ID] {
				id, before = e.ID, e
			}
		}
		if errCode != "" {
			c.Finish(nil, errCode, "internal error")
		} else {
			c.FinishEncoded([]byte(sent))
		}
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/accounts/a/users?operation=create", nil))
	if id == "" {
		tb.Fatal("the create committed no event")
	}
	tr.Flush()
	return id, before
}

// storedChime is event id as the store holds it and its record as the admin API and the
// export give it, the event ID masked so that two calls' compare.
func storedChime(tb testing.TB, s rollcall.Store, id string) (record, stored, response []byte) {
	tb.Helper()
	for _, e := range rawEvents(tb, s, chimeTenant) {
		if e.ID == id {
			mask := func(b []byte) []byte {
				b = bytes.ReplaceAll(b, []byte(id), []byte("ID"))
				if u, err := hex.DecodeString(strings.ReplaceAll(id, "-", "")); err == nil {
					b = bytes.ReplaceAll(b, u, []byte("ID16")) // the stored form's eventID
				}
				return b
			}
			return mask(audit.Complete(e.Record, e.Response)), mask(e.Record), e.Response
		}
	}
	tb.Fatalf("no event %s", id)
	return nil, nil, nil
}

// TestDeclaredResponseRow: a declared response longer than trail.InlineResponse (a
// Chime user) is stored as the response row the answer would have queued, in the
// write's own transaction: the stored event, the row and the record are byte for byte
// those of the call made without declaring, and the trail's writer stores nothing after
// the answer. An answer that differs is recorded as sent, a failure as a failure, and a
// declaration withdrawn inside the write stores no row (the answer's follows), each
// byte for byte as without declaring.
func TestDeclaredResponseRow(t *testing.T) {
	for _, st := range declareStores {
		t.Run(st.name, func(t *testing.T) {
			inner := st.open(t)
			s := &countingStore{Store: inner}
			tr := trail.New(s, trail.Options{Now: func() time.Time { return t0 }})
			t.Cleanup(func() { tr.Close(); inner.Close() })
			type outcome struct{ record, stored, response []byte }
			get := func(id string) outcome {
				r, st, resp := storedChime(t, inner, id)
				return outcome{r, st, resp}
			}
			same := func(what string, got, want outcome) {
				t.Helper()
				if !bytes.Equal(got.record, want.record) {
					t.Errorf("%s: record\n%s\nwant (without declaring)\n%s", what, got.record, want.record)
				}
				if !bytes.Equal(got.stored, want.stored) || !bytes.Equal(got.response, want.response) {
					t.Errorf("%s: stored %q and response row %q, want (without declaring) %q and %q",
						what, got.stored, got.response, want.stored, want.response)
				}
			}
			pro, basic := chimeUserResponse("Pro"), chimeUserResponse("Basic")
			if len(audit.EncodedElement([]byte(pro))) <= trail.InlineResponse {
				t.Fatalf("the response is not longer than InlineResponse")
			}

			// Without declaring: the row follows the answer, by the trail's writer.
			id, _ := rowCreate(t, tr, s, "", pro, "", false)
			today := get(id)
			if len(today.response) == 0 || !bytes.Contains(today.record, []byte(`"LicenseType":"Pro","Password":"HIDDEN_DUE_TO_SECURITY_REASONS"`)) {
				t.Fatalf("without declaring: record %s (response row %q), want the answer, scrubbed, from a response row", today.record, today.response)
			}

			// Declared and answered: the row commits with the write; nothing after.
			n := s.updates.Load()
			id, before := rowCreate(t, tr, s, pro, pro, "", false)
			if !bytes.Equal(before.Response, today.response) {
				t.Errorf("declared: the response row between the commit and the answer = %q, want %q", before.Response, today.response)
			}
			if got := s.updates.Load() - n - 1; got != 0 { // 1: the create's own
				t.Errorf("declared and answered: the trail's writer made %d Updates after the answer, want 0", got)
			}
			same("declared and answered", get(id), today)

			// Declared Pro, answered Basic: recorded as sent.
			id, _ = rowCreate(t, tr, s, "", basic, "", false)
			todayBasic := get(id)
			id, _ = rowCreate(t, tr, s, pro, basic, "", false)
			same("declared Pro, answered Basic", get(id), todayBasic)

			// Withdrawn inside the write: no row until the answer's.
			id, before = rowCreate(t, tr, s, pro, basic, "", true)
			if len(before.Response) != 0 {
				t.Errorf("withdrawn: a response row %q committed with the write", before.Response)
			}
			same("withdrawn, answered Basic", get(id), todayBasic)

			// A failure after the write: recorded as failed, no response.
			id, _ = rowCreate(t, tr, s, "", "", "ServiceFailureException", false)
			failed := get(id)
			id, _ = rowCreate(t, tr, s, pro, "", "ServiceFailureException", false)
			got := get(id)
			if !bytes.Equal(got.record, failed.record) || !bytes.Equal(got.stored, failed.stored) {
				t.Errorf("declared, then failed: record\n%s\nwant (without declaring)\n%s", got.record, failed.record)
			}
			if !bytes.Contains(got.record, []byte(`"errorCode":"ServiceFailureException"`)) || !bytes.Contains(got.record, []byte(`"responseElements":null`)) {
				t.Errorf("declared, then failed: record %s, want the failure without a response", got.record)
			}

			// A short declaration withdrawn: the event holds no response either.
			id, before = rowCreate(t, tr, s, `{}`, `{"x":1}`, "", true)
			if r := audit.Complete(before.Record, before.Response); !bytes.Contains(r, []byte(`"responseElements":null`)) {
				t.Errorf("a short declaration withdrawn: the write stored %s, want no response", r)
			}
			id2, _ := rowCreate(t, tr, s, "", `{"x":1}`, "", false)
			same("a short declaration withdrawn", get(id), get(id2))
		})
	}
}
