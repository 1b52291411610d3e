package amazonbusiness

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// plainBodies are bodies plainCreate reads itself, and, after them, bodies it leaves to
// httpx.DecodeJSON.
var (
	plainBodies = []string{
		`{"accountHolder":{"email":"user-1-2@example.com","givenName":"Load","familyName":"Test"},"region":"US","notificationTypesToSuppress":["EMAIL"]}`,
		`{}`,
		` { "accountHolder" : { } , "groupId" : { "idType" : "GroupTag" , "id" : "ops" } , "role" : "Finance" , "region" : "" } ` + "\n",
		"{\"accountHolder\":{\"email\":\"Zoë@exämple.com\",\"givenName\":\"Zoë\",\"familyName\":\"日本\"},\"notificationTypesToSuppress\":[]}",
		`{"notificationTypesToSuppress":["EMAIL","SMS"],"region":"DE","accountHolder":{"familyName":"L","email":"a@b.c"}}`,
	}
	otherBodies = []string{
		``, `null`, `[]`, `{`, `{}{}`, `{},`, `{"region":"US",}`, `{"region":"US" "role":"Tech"}`,
		`{"region":null}`, `{"accountHolder":null}`, `{"notificationTypesToSuppress":null}`,
		`{"region":"U\u0053"}`, "{\"region\":\"U\tS\"}", `{"region":7}`, `{"region":["US"]}`,
		`{"region":"US","region":"DE"}`, `{"accountHolder":{"email":"a@b.c","email":"a@b.c"}}`,
		`{"Region":"US"}`, `{"unknown":1,"region":"US"}`, `{"accountHolder":{"phone":"1"}}`,
		"{\"region\":\"\xff\"}", `{"notificationTypesToSuppress":["EMAIL",]}`, `{"notificationTypesToSuppress":[1]}`,
		`{"groupId":{"idType":"GroupId","id":"g","extra":true}}`,
	}
)

// decodeGeneric is how every body was read before plainCreate.
func decodeGeneric(body []byte) (*createRequest, error) {
	req := new(createRequest)
	return req, httpx.DecodeJSON(body, req)
}

func TestPlainCreate(t *testing.T) {
	for _, body := range plainBodies {
		got, ok := plainCreate([]byte(body))
		want, err := decodeGeneric([]byte(body))
		if !ok || err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: plain %v (%s), want %s (%v)", body, ok, dump(got), dump(want), err)
		}
	}
	for _, body := range otherBodies {
		if got, ok := plainCreate([]byte(body)); ok {
			t.Errorf("%s: read as plain (%s)", body, dump(got))
		}
		// decodeCreate answers them as before.
		got, gotErr := decodeCreate([]byte(body))
		want, wantErr := decodeGeneric([]byte(body))
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() ||
			gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decodeCreate = %s, %v; want %s, %v", body, dump(got), gotErr, dump(want), wantErr)
		}
	}
}

// FuzzDecodeCreate: plainCreate reads a body only as httpx.DecodeJSON reads it.
func FuzzDecodeCreate(f *testing.F) {
	for _, b := range append(plainBodies, otherBodies...) {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := plainCreate(body)
		if !ok {
			return
		}
		want, err := decodeGeneric(body)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: plain %s, DecodeJSON %s (%v)", body, dump(got), dump(want), err)
		}
	})
}

func dump(req *createRequest) string {
	b, _ := json.Marshal(req)
	return string(b)
}

// The usual request is decoded and checked in two allocations (the body's copy and the
// request), its Content-Type checked and its response written in none of their own.
func TestCreateAllocs(t *testing.T) {
	body := []byte(plainBodies[0])
	if n := testing.AllocsPerRun(100, func() {
		req, err := decodeCreate(body)
		if err == nil {
			_, err = req.input()
		}
		if err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("decoding a create: %v allocations, want 2", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = checkContentType("application/json") }); n != 0 {
		t.Errorf("checking application/json: %v allocations, want 0", n)
	}
	buf := make([]byte, 0, 8)
	if n := testing.AllocsPerRun(100, func() { buf = createResponse{}.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("writing the response: %v allocations, want 0", n)
	}
	if want, _ := json.Marshal(createResponse{}); string(buf) != string(want) {
		t.Errorf("response %s, json.Marshal writes %s", buf, want)
	}
}
