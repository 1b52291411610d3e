package alexaforbusiness

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rollcall/rollcall/face/awsx"
)

// createUserBodies: plainCreateUser reads those marked plain itself and leaves the
// others to awsx.Decode.
var createUserBodies = []struct {
	body  string
	plain bool
}{
	{`{"UserId":"u-1-2","Email":"user-1-2@example.com"}`, true},
	{`{}`, true},
	{` { "UserId" : "ada" , "FirstName" : "Ada" , "LastName" : "" , "Email" : "a@b.co" , "ClientRequestToken" : "abcdefghij" } ` + "\n", true},
	{"{\"UserId\":\"zoë\",\"FirstName\":\"Zoë\",\"LastName\":\"日本\"}", true},
	{``, false}, {`null`, false}, {`[]`, false}, {`{`, false}, {`{}{}`, false}, {`{"UserId":"x",}`, false},
	{`{"UserId":"x" "Email":"y"}`, false}, {`{"UserId":null}`, false}, {`{"UserId":"\u0041"}`, false},
	{"{\"UserId\":\"a\tb\"}", false}, {`{"UserId":7}`, false}, {`{"UserId":"x","UserId":"y"}`, false},
	{`{"userId":"x"}`, false}, {`{"Other":1,"UserId":"x"}`, false}, {"{\"UserId\":\"\xff\"}", false},
	{`{"Tags":[]}`, false}, {`{"Tags":[{"Key":"k","Value":"v"}]}`, false}, {`{"Tags":null}`, false},
}

// generic is how awsx.Decode reads a body.
func generic(body []byte) (*createUserRequest, error) {
	req, _, err := awsx.Decode(body, func(*createUserRequest) (struct{}, error) { return struct{}{}, nil })
	return req, err
}

func TestPlainCreateUser(t *testing.T) {
	for _, tc := range createUserBodies {
		got, ok := plainCreateUser([]byte(tc.body))
		if ok != tc.plain {
			t.Errorf("%q: plain %v, want %v", tc.body, ok, tc.plain)
			continue
		}
		if want, err := generic([]byte(tc.body)); ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("%q: plain %s, awsx.Decode %s (%v)", tc.body, show(got), show(want), err)
		}
	}
	body := []byte(createUserBodies[0].body)
	if n := testing.AllocsPerRun(100, func() { plainCreateUser(body) }); n > 2 {
		t.Errorf("plainCreateUser allocates %v times, want at most 2 (the body's copy and the request)", n)
	}
}

// FuzzPlainCreateUser: plainCreateUser reads a body only as awsx.Decode reads it.
func FuzzPlainCreateUser(f *testing.F) {
	for _, tc := range createUserBodies {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, ok := plainCreateUser(body); ok {
			if want, err := generic(body); err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("%q: plain %s, awsx.Decode %s (%v)", body, show(got), show(want), err)
			}
		}
	})
}

func show(req *createUserRequest) string {
	b, _ := json.Marshal(req)
	return string(b)
}
