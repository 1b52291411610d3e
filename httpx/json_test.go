package httpx_test

import (
	"errors"
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// TestDecodeJSONBodyMustBeObject: a body that is not an object, null included, is refused
// with one message; an empty body is an empty object.
func TestDecodeJSONBodyMustBeObject(t *testing.T) {
	type req struct {
		Email *string
	}
	for _, body := range []string{"null", " null\r\n", "\tnull", "[]", `"x"`, "7", "true"} {
		var v req
		err := httpx.DecodeJSON([]byte(body), &v)
		var de *httpx.DecodeError
		if !errors.As(err, &de) || de.Message != "The request body must be a JSON object." {
			t.Errorf("%q: %v", body, err)
		}
	}
	for _, body := range []string{"", " \n", "{}", `{"Email":null}`} {
		var v req
		if err := httpx.DecodeJSON([]byte(body), &v); err != nil || v.Email != nil {
			t.Errorf("%q: %v, %+v", body, err, v)
		}
	}
}
