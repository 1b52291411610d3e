package audit_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/audit"
)

// storedCalls are calls of every kind of caller and record shape: the stored form must
// give each one's record back byte for byte.
func storedCalls() map[string]audit.Call {
	calls := map[string]audit.Call{}
	add := func(name string, change func(*audit.Call)) {
		c := createUserCall()
		change(&c)
		calls[name] = c
	}
	add("root", func(*audit.Call) {})
	add("IAM user", func(c *audit.Call) { c.Caller.UserName = "ops" })
	add("session", func(c *audit.Call) {
		c.Caller.Session = &audit.Session{Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), MFA: true}
	})
	add("assumed role", func(c *audit.Call) {
		c.Caller.Session = &audit.Session{Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Role: "r", Name: "s"}
	})
	add("business token", func(c *audit.Call) {
		c.Face, c.Region = "amazonbusiness", ""
		c.Caller = audit.Identity{Kind: audit.BusinessToken, AccountID: "b", Business: "b", TokenKind: "static"}
	})
	add("workdocs token", func(c *audit.Call) {
		c.Caller = audit.Identity{Kind: audit.WorkDocsToken, AccountID: "000000000000", UserID: "u", Directory: "d-1"}
	})
	add("admin", func(c *audit.Call) { c.Face, c.Tenant, c.Caller = "admin", "", audit.Identity{Kind: audit.Admin} })
	add("refused", func(c *audit.Call) {
		c.Tenant, c.Caller, c.ErrorCode, c.ErrorMessage = "", audit.Identity{AccessKeyID: "AKIA"}, "UnrecognizedClientException", "no such key"
	})
	add("read", func(c *audit.Call) { c.Operation, c.ReadOnly, c.Response = "GetUser", true, nil })
	add("no request", func(c *audit.Call) { c.Request = nil })
	add("null request", func(c *audit.Call) { c.Request = json.RawMessage(`null`) })
	add("tls", func(c *audit.Call) {
		c.TLS = &audit.TLSDetails{TLSVersion: "TLSv1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ClientProvidedHostHeader: "h:1"}
	})
	add("escapes", func(c *audit.Call) {
		c.UserAgent, c.SourceIP = "a\"\\\x00<é>\u2028\xff", "::1"
		c.Caller.AccessKeyID = "k\"<"
	})
	add("IDs not UUIDs", func(c *audit.Call) { c.RequestID, c.EventID = "5F8C3C1E-6A0B-4C59-9A57-1F0C3B7B9E01", "e-1" })
	add("no request ID", func(c *audit.Call) { c.RequestID = "" })
	add("IDs nearly UUIDs", func(c *audit.Call) {
		c.RequestID, c.EventID = "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e0g", "2b1c7c4e-9d7a-4f7e-8a51-6c0f3e1d2a9b-"
	})
	add("generated event ID", func(c *audit.Call) { c.EventID = "" })
	add("every source", func(c *audit.Call) {}) // see below
	add("Root lookalike", func(c *audit.Call) { c.Caller.AccountID, c.Tenant = "", "000000000000" })
	add("large identity", func(c *audit.Call) { // more than two bytes of length
		c.Caller = audit.Identity{Kind: audit.Admin}
		c.Face, c.Tenant = "admin", ""
		c.Caller = audit.Identity{Kind: audit.WorkDocsToken, AccountID: "t", UserID: strings.Repeat("u", 20000), Directory: "d"}
		c.Tenant = "t"
	})
	return calls
}

// TestStoredForm: what a store keeps of an event (Event.Stored) is the record, as
// encoding/json encodes it (the export's and the admin API's bytes), when Complete
// reads it back, with and without the response stored after it; and for a CreateUser
// it is at most half the record's bytes.
func TestStoredForm(t *testing.T) {
	calls := storedCalls()
	for _, face := range []string{"chime", "workdocs", "alexaforbusiness", "amazonbusiness", "loginwithamazon", "admin"} {
		c := calls["every source"]
		c.Face = face
		calls["source "+face] = c
	}
	for name, c := range calls {
		e := mustBuild(t, c)
		for n := range min(len(e.Stored), 4096) { // a stored form cut short is not read as another record
			if got := audit.Complete(e.Stored[:n], nil); !bytes.Equal(got, e.Stored[:n]) {
				t.Fatalf("%s: Complete of the first %d bytes = %q", name, n, got)
			}
		}
		want, err := json.Marshal(e.Record)
		if err != nil {
			t.Fatal(err)
		}
		if got := audit.Complete(e.Stored, nil); !bytes.Equal(got, want) {
			t.Errorf("%s: Complete(Stored) =\n%s\nwant\n%s", name, got, want)
		}
		if e.Stored[0] == '{' {
			t.Errorf("%s: stored as the record itself", name)
		}
		if e.Record.ResponseElements != nil {
			continue
		}
		response := json.RawMessage(`{"User":{"Id":"u"}}`)
		with := e.Record
		with.ResponseElements = response
		if want, _ := json.Marshal(&with); !bytes.Equal(audit.Complete(e.Stored, response), want) {
			t.Errorf("%s: Complete(Stored, response) =\n%s\nwant\n%s", name, audit.Complete(e.Stored, response), want)
		}
	}
	c := createUserCall()
	c.Response = nil
	if e := mustBuild(t, c); 2*len(e.Stored) > len(audit.Complete(e.Stored, nil)) {
		t.Errorf("a CreateUser's event stores %d bytes of its %d-byte record, want at most half", len(e.Stored), len(audit.Complete(e.Stored, nil)))
	}
}

// TestCompleteStoredJSON: events stored as their records (before the stored form) read
// back as before: the record, with the response in place of its null responseElements.
func TestCompleteStoredJSON(t *testing.T) {
	c := createUserCall()
	c.Response = nil
	e := mustBuild(t, c)
	old := audit.Complete(e.Stored, nil)
	if got := audit.Complete(old, nil); !bytes.Equal(got, old) {
		t.Errorf("Complete(record) = %s", got)
	}
	response := json.RawMessage(`{"User":{"Id":"u"}}`)
	with := e.Record
	with.ResponseElements = response
	want, _ := json.Marshal(&with)
	if got := audit.Complete(old, response); !bytes.Equal(got, want) {
		t.Errorf("Complete(record, response) =\n%s\nwant\n%s", got, want)
	}
	for _, bad := range [][]byte{{1}, {1, 0}, {1, 4, 200}, append(append([]byte(nil), e.Stored...), 'x')} {
		if got := audit.Complete(bad, response); !bytes.Equal(got, bad) {
			t.Errorf("Complete(%q) = %q, want it as it is", bad, got)
		}
	}
}

// TestBuildAllocations: a write's event (the request as the pipeline hands it, JSON
// bytes; no response yet) costs three allocations: the scrubbed request, the Root's
// ARN and the stored form. (The user column is the principalId Build already has, not
// a second userIdentity; eventTime is the one formatted for the same second before.)
func TestBuildAllocations(t *testing.T) {
	c := createUserCall()
	c.Request, c.Response = json.RawMessage(`{"Email":"ada@example.com","UserType":"PrivateUser"}`), nil
	if n := testing.AllocsPerRun(100, func() { mustBuild(t, c) }); n > 3 {
		t.Errorf("Build: %v allocations, want at most 3", n)
	}
}

// FuzzComplete: whatever a store hands back, Complete does not panic (a stored form's
// own bytes are Build's, so its members are JSON; TestStoredForm checks the records).
func FuzzComplete(f *testing.F) {
	for _, c := range storedCalls() {
		f.Add(mustBuild(f, c).Stored, []byte(`{"User":{"Id":"u"}}`))
	}
	f.Fuzz(func(t *testing.T, record, response []byte) {
		audit.Complete(record, response)
	})
}

// TestEncodedElementAllocations: a write's response, JSON encoding/json wrote, is
// scrubbed from its bytes with one allocation (the scrubbed copy), as Element of it
// (Encoded) would scrub it; before, the trail made it an interface value first.
func TestEncodedElementAllocations(t *testing.T) {
	resp := []byte(`{"User":{"UserId":"u1","PersonalPIN":"1234","Email":"ada@example.com"}}`)
	want, err := audit.Element(audit.Encoded(resp))
	if got := audit.EncodedElement(resp); err != nil || string(got) != string(want) || !strings.Contains(string(got), audit.Hidden) {
		t.Fatalf("EncodedElement = %s, Element(Encoded) = %s, %v", got, want, err)
	}
	if audit.EncodedElement(nil) != nil {
		t.Error("EncodedElement(nil) is not nil")
	}
	if n := testing.AllocsPerRun(100, func() { audit.EncodedElement(resp) }); n != 1 {
		t.Errorf("EncodedElement: %v allocations, want 1", n)
	}
}
