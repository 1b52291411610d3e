package awsx_test

import (
	"errors"
	"testing"

	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
)

type decodeRequest struct {
	Name *string `json:"Name"`
}

var errNoName = errors.New("name is required")

func (req *decodeRequest) check() (string, error) {
	if req.Name == nil {
		return "", errNoName
	}
	return "input:" + *req.Name, nil
}

func TestDecode(t *testing.T) {
	t.Run("ok", func(t *testing.T) {
		req, in, err := awsx.Decode([]byte(`{"Name":"ada"}`), (*decodeRequest).check)
		if err != nil || req == nil || *req.Name != "ada" || in != "input:ada" {
			t.Fatalf("Decode = %+v, %q, %v", req, in, err)
		}
	})
	t.Run("check fails", func(t *testing.T) {
		req, in, err := awsx.Decode([]byte(`{}`), (*decodeRequest).check)
		if !errors.Is(err, errNoName) || req != nil || in != "" {
			t.Fatalf("Decode = %+v, %q, %v; want errNoName", req, in, err)
		}
	})
	t.Run("body does not decode: never checked", func(t *testing.T) {
		checked := false
		_, _, err := awsx.Decode([]byte(`{"Name":1}`), func(*decodeRequest) (string, error) { checked = true; return "", nil })
		var de *httpx.DecodeError
		if !errors.As(err, &de) || checked {
			t.Fatalf("Decode = %v (checked %v); want an httpx.DecodeError, unchecked", err, checked)
		}
	})
	t.Run("empty body is an empty object", func(t *testing.T) {
		_, _, err := awsx.Decode([]byte(``), (*decodeRequest).check)
		if !errors.Is(err, errNoName) {
			t.Fatalf("Decode = %v; want errNoName", err)
		}
	})
}
