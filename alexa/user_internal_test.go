package alexa

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// A retry's request, as a retrying client sends it (a token, and tags as a list or none).
func request(tags []Tag) CreateUserInput {
	return CreateUserInput{UserID: "ada", Email: "ada@example.com", FirstName: "Ada", Tags: tags, ClientRequestToken: "token-0000000001"}
}

// The fingerprint a stored idempotency record holds is the SHA-256 of the request as
// encoding/json writes it: appendRequest writes the same bytes, so a retry of a request
// made before it still matches.
func TestAppendRequestIsJSONMarshal(t *testing.T) {
	for _, in := range []CreateUserInput{
		{},
		request(nil), request([]Tag{}),
		{UserID: "a<b>&c", FirstName: "Zoë \u2028 \"q\" \\ \t", LastName: "\xff\xfe bad", Tags: []Tag{}},
		{UserID: "t", Tags: []Tag{{Key: "k", Value: ""}, {Key: "dept:/=+-@", Value: "R&D <lab>"}}},
	} {
		want := in
		want.ClientRequestToken = ""
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendRequest(nil, &in); string(got) != string(b) {
			t.Errorf("appendRequest(%+v)\n= %s\nwant %s", in, got, b)
		}
		sum := sha256.Sum256(b)
		if got := alexaRequestHash(in); got != hex.EncodeToString(sum[:]) {
			t.Errorf("alexaRequestHash(%+v) = %s, want the SHA-256 of %s", in, got, b)
		}
	}
}

// Fingerprinting a create allocates its hex string only (through json.Marshal it
// allocated four times).
func TestAlexaRequestHashAllocs(t *testing.T) {
	in := request([]Tag{{Key: "k", Value: "v"}})
	if n := testing.AllocsPerRun(100, func() { alexaRequestHash(in) }); n != 1 {
		t.Errorf("alexaRequestHash allocates %v times, want 1", n)
	}
}
