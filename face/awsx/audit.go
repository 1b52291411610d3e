package awsx

import (
	"encoding/json"
	"net/http"
)

// requestParameters is what a call's audit event records of its request: the JSON
// body, or, for a call without one, its query parameters.
func requestParameters(r *http.Request, body []byte) any {
	if len(body) > 0 {
		return json.RawMessage(body)
	}
	if len(r.URL.RawQuery) == 0 {
		return nil
	}
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[k] = v[0]
	}
	return q
}

// wireError is the error name and message a client was sent: the X-Amzn-ErrorType
// header (REST-JSON) or the body's __type (JSON 1.1) or its first errors[].code
// (Amazon Business), and the body's message.
func wireError(wr Wire, body []byte) (code, message string) {
	var b struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
		Upper   string `json:"Message"`
		Errors  []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(body, &b)
	code, message = wr.Header.Get("X-Amzn-ErrorType"), b.Message
	if code == "" {
		code = b.Type
	}
	if message == "" {
		message = b.Upper
	}
	if len(b.Errors) > 0 {
		if code == "" {
			code = b.Errors[0].Code
		}
		if message == "" {
			message = b.Errors[0].Message
		}
	}
	if code == "" {
		code = http.StatusText(wr.Status)
	}
	return code, message
}
