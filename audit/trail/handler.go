package trail

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
)

// maxCaptured is the most of a request or response body a Handler keeps for the
// record; audit.Build omits an element larger than CloudTrail's 100 KB anyway.
const maxCaptured = 128 << 10

// Handler records each call next serves as one of face's, for faces outside the AWS
// pipeline (the admin API, Login with Amazon): op names the call (read once the
// handler has named it: the face's httpx.Annotate), tenant the tenant it acted on ("":
// none), admin whether the caller holds the admin token. The request parameters are the
// body (JSON, or a form's fields) or the query; the response is the body written; an
// error's name and message are read from {"error":{"code","message"}} or OAuth's
// {"error","error_description"}.
func Handler(face string, op func(*http.Request) string, tenant func(*http.Request) string, admin bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, c := Begin(r, face, "", w.Header().Get("x-amzn-RequestId"))
		if c == nil {
			next.ServeHTTP(w, r)
			return
		}
		c.op = func() string { return op(r) }
		in := &capture{}
		if r.Body != nil {
			r.Body = readCloser{io.TeeReader(r.Body, in), r.Body}
		}
		c.call.Tenant = tenant(r)
		if admin {
			c.IdentifyAdmin()
		}
		c.params = func() any { return params(r, in.Bytes()) }
		out := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(out, r)
		if out.status >= 400 {
			code, msg := errorOf(out.body.Bytes())
			if code == "" {
				code = http.StatusText(out.status)
			}
			c.Finish(nil, code, msg)
			return
		}
		c.Finish(out.body.Bytes(), "", "")
	})
}

func params(r *http.Request, body []byte) any {
	if len(body) > 0 {
		if json.Valid(body) {
			return json.RawMessage(body)
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			return first(form)
		}
		return nil
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	return first(r.URL.Query())
}

func first(v url.Values) map[string]string {
	out := make(map[string]string, len(v))
	for k, vs := range v {
		out[k] = vs[0]
	}
	return out
}

func errorOf(body []byte) (code, message string) {
	var b struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
	}
	if json.Unmarshal(body, &b) != nil {
		return "", ""
	}
	var obj struct{ Code, Message string }
	if json.Unmarshal(b.Error, &obj) == nil && obj.Code != "" {
		return obj.Code, obj.Message
	}
	var s string
	if json.Unmarshal(b.Error, &s) == nil {
		return s, b.Description
	}
	return "", ""
}

// capture keeps the first maxCaptured bytes written to it.
type capture struct{ bytes.Buffer }

func (c *capture) Write(p []byte) (int, error) {
	if room := maxCaptured - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// recorder passes a response through and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status int
	body   capture
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.body.Write(p)
	return r.ResponseWriter.Write(p)
}
