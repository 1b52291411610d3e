package audit_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rollcall/rollcall/audit"
)

// chimeCreateUser is a Chime CreateUser as the pipeline would describe it: the decoded
// request, and the response body it wrote (the reference page's User, in full).
func chimeCreateUser(i int) audit.Call {
	type createUserRequest struct {
		Username  string `json:"Username,omitempty"`
		Email     string `json:"Email"`
		UserType  string `json:"UserType,omitempty"`
		AccountID string `json:"AccountId"`
	}
	return audit.Call{
		Face: "chime", Operation: "CreateUser", Tenant: "000000000000", Region: "us-east-1",
		Caller:   audit.Identity{Kind: audit.AccessKey, AccountID: "000000000000", AccessKeyID: "test"},
		SourceIP: "127.0.0.1", UserAgent: "aws-sdk-go/1.51.32 (go1.26; linux; amd64)",
		RequestID: "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e01",
		Time:      time.Date(2026, 11, 30, 14, 5, 9, i, time.UTC),
		Request:   createUserRequest{Email: "ada@example.com", UserType: "PrivateUser", AccountID: "5f0e6d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f"},
		Response: json.RawMessage(`{"User":{"AccountId":"5f0e6d2c-1a2b-4c3d-8e9f-0a1b2c3d4e5f","AlexaForBusinessMetadata":{"AlexaForBusinessRoomArn":"","IsAlexaForBusinessEnabled":false},` +
			`"DisplayName":"","InvitedOn":null,"LicenseType":"Pro","PersonalPIN":"12345678","PrimaryEmail":"ada@example.com","PrimaryProvisionedNumber":"",` +
			`"RegisteredOn":null,"UserId":"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e","UserInvitationStatus":"","UserRegistrationStatus":"Unregistered","UserType":"PrivateUser"}}`),
	}
}

// BenchmarkBuildCreateUser: building and encoding one CreateUser event, scrubbing
// included, with a fresh event ID from crypto/rand each time. Compare with a CreateUser's
// cost through a face (face/chime BenchmarkCreateUser): the issue allows audit events at
// most 15% of CreateUser throughput.
func BenchmarkBuildCreateUser(b *testing.B) {
	c := chimeCreateUser(0)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Time = c.Time.Add(time.Nanosecond)
		e, err := audit.Build(c)
		if err != nil || len(e.Stored) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrub: the scrubbing alone, of the response above.
func BenchmarkScrub(b *testing.B) {
	raw := chimeCreateUser(0).Response.(json.RawMessage)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := audit.Scrub(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrubEncoded: the scrubbing of a response the face's encoding/json wrote, as
// the pipeline scrubs every write's response elements (not checked for JSON first).
func BenchmarkScrubEncoded(b *testing.B) {
	raw := audit.Encoded(chimeCreateUser(0).Response.(json.RawMessage))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := audit.Element(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildWrite: a write's event as the pipeline builds it before the
// transaction: the request body as the client sent it (JSON bytes, checked), no
// response yet.
func BenchmarkBuildWrite(b *testing.B) {
	c := chimeCreateUser(0)
	c.Request, c.Response = json.RawMessage(`{"Email":"u1764585600000000000-12345@example.com"}`), nil
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c.Time = c.Time.Add(time.Nanosecond)
		if _, err := audit.Build(c); err != nil {
			b.Fatal(err)
		}
	}
}
