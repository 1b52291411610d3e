package awsx_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rollcall/rollcall/face/awsx"
)

// An Encoded body is written as it is, with its Content-Length and the face's content
// type, and appends the same bytes where a JSONAppender is asked for.
func TestWriteEncoded(t *testing.T) {
	body := &awsx.Encoded{JSON: []byte(`{"UserArn":"arn:aws:a4b:us-east-1:000000000000:user/x"}`)}
	p := &awsx.Pipeline{ContentType: "application/x-amz-json-1.1"}
	w := httptest.NewRecorder()
	p.Write(w, awsx.OK(body))
	if w.Code != http.StatusOK || w.Body.String() != string(body.JSON) {
		t.Fatalf("wrote %d %s, want 200 %s", w.Code, w.Body, body.JSON)
	}
	if got := w.Header().Get("Content-Length"); got != "55" {
		t.Errorf("Content-Length %q, want 55", got)
	}
	if got := w.Header().Get("Content-Type"); got != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type %q", got)
	}
	if got := body.AppendJSON([]byte("x")); string(got) != "x"+string(body.JSON) || !json.Valid(got[1:]) {
		t.Errorf("AppendJSON = %s", got)
	}
}

// Deref reads a member left out as empty (the faces' one copy of it; each of three had
// its own).
func TestDeref(t *testing.T) {
	s := "x"
	if awsx.Deref(nil) != "" || awsx.Deref(&s) != "x" {
		t.Errorf("Deref(nil) = %q, Deref(&%q) = %q", awsx.Deref(nil), s, awsx.Deref(&s))
	}
}
