package chime

import (
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// plainSeeds are CreateUser bodies of every kind: the plain form and its neighbours
// that decodePlain must leave to httpx.DecodeJSON.
var plainSeeds = []string{
	`{"Email":"ada@example.com","UserType":"PrivateUser"}`,
	` {"Email" : "ada@example.com" ,"Username":"ada", "UserType":"SharedDevice"}` + "\r\n\t",
	`{}`, `{ }`, ``, ` `, `null`, `[]`, `{"Email":""}`, `{"Username":"a b"}`,
	`{"Email":null}`, `{"Email":1}`, `{"Email":["a"]}`, `{"Email":"a","Email":"b"}`,
	`{"email":"ada@example.com"}`, `{"EMAIL":"a"}`, `{"Other":"x"}`, `{"Email":"a",}`,
	`{"Email":"a"}x`, `{"Email":"a"}{}`, `{"Email":"a\u0041"}`, `{"Email":"a\"b"}`,
	`{"Email":"é"}`, "{\"Email\":\"a\xffb\"}", "{\"Email\":\"a\x01\"}", "{\"Email\":\"a\x7f\"}",
	`{"Email":"a"`, `{"Email":"a",`, `{"Email":`, `{"Email"`, `{"Email" "a"}`, `{,}`,
	`{"Email":"a" "Username":"b"}`, `{"E\u006dail":"a"}`, `{"UserType":"PrivateUser","UserType":"PrivateUser"}`,
}

// FuzzDecodePlain: whatever body decodePlain takes, httpx.DecodeJSON takes too, with the
// same members; what it leaves alone it leaves unset.
func FuzzDecodePlain(f *testing.F) {
	for _, s := range plainSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast createUserRequest
		members := [...]**string{&fast.Email, &fast.Username, &fast.UserType}
		ok := decodePlain(body, createUserMembers, userRules.UserType.Enum, members[:], fast.plain[:])
		if !ok {
			if fast != (createUserRequest{}) {
				t.Fatalf("%q: refused, but set %+v", body, fast)
			}
			return
		}
		var want createUserRequest
		if err := httpx.DecodeJSON(body, &want); err != nil {
			t.Fatalf("%q: decodePlain took it, DecodeJSON says %v", body, err)
		}
		for i, p := range [][2]*string{{fast.Email, want.Email}, {fast.Username, want.Username}, {fast.UserType, want.UserType}} {
			if (p[0] == nil) != (p[1] == nil) || p[0] != nil && *p[0] != *p[1] {
				t.Fatalf("%q: member %s is %v, DecodeJSON's %v", body, createUserMembers[i], deref(p[0]), deref(p[1]))
			}
		}
	})
}

// TestDecodePlain: the SDKs' body takes the plain path, with the user type shared
// rather than copied: one allocation for the request and one for the email (the
// reflective decoder made 3).
func TestDecodePlain(t *testing.T) {
	body := []byte(`{"Email":"ada@example.com","UserType":"PrivateUser"}`)
	var req createUserRequest
	members := [...]**string{&req.Email, &req.Username, &req.UserType}
	if !decodePlain(body, createUserMembers, userRules.UserType.Enum, members[:], req.plain[:]) ||
		deref(req.Email) != "ada@example.com" || req.Username != nil || deref(req.UserType) != "PrivateUser" {
		t.Fatalf("decodePlain = %+v", req)
	}
	if n := testing.AllocsPerRun(100, func() {
		var req createUserRequest
		if err := req.decode(body); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("decoding CreateUser's body allocates %v times, want at most 2", n)
	}
}
