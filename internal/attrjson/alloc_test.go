//go:build !race

package attrjson_test

import (
	"encoding/json"
	"testing"

	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// TestEncodeAllocatesOnce: a Chime create encodes its user's attributes; the document
// is the one allocation (it was two: the buffer, then its copy as a string).
func TestEncodeAllocatesOnce(t *testing.T) {
	c := attrjson.NewCodec[chime.UserAttrs]()
	a := chime.UserAttrs{LicenseType: "Pro", InvitationStatus: "Accepted", RegistrationStatus: "Registered", PersonalPIN: "12345678"}
	if n := testing.AllocsPerRun(100, func() { c.Encode(&a) }); n != 1 {
		t.Errorf("Encode allocates %v times, want 1", n)
	}
	var none chime.UserAttrs
	if n := testing.AllocsPerRun(100, func() { c.Encode(&none) }); n > 1 {
		t.Errorf("Encode of no member allocates %v times, want at most 1", n)
	}
}

// TestEncodedDocumentsAreTheirOwn: each document keeps its bytes when more are encoded
// (they share no buffer), short and past the first buffer's 256 bytes alike.
func TestEncodedDocumentsAreTheirOwn(t *testing.T) {
	c := attrjson.NewCodec[chime.UserAttrs]()
	var docs, want []string
	for _, pin := range []string{"1", "22", string(make([]byte, 300)), "4444"} {
		a := chime.UserAttrs{LicenseType: "Basic", PersonalPIN: pin}
		b, err := json.Marshal(&a)
		if err != nil {
			t.Fatal(err)
		}
		docs, want = append(docs, c.Encode(&a)), append(want, string(b))
	}
	for i := range docs {
		if docs[i] != want[i] {
			t.Errorf("document %d:\n got  %q\n want %q", i, docs[i], want[i])
		}
	}
}
