package awsx

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/ratelimit"
)

// Request is what a handler serves: the HTTP request, its authenticated caller and its
// body, read whole.
type Request struct {
	*http.Request
	Caller rollcall.Caller
	Body   []byte
}

// Response is a handler's answer. A nil Value writes no body (204 and the like).
type Response struct {
	Status int
	Value  any
	Header http.Header // extra response headers
}

// OK is a 200 with v as its JSON body.
func OK(v any) Response { return Response{Status: http.StatusOK, Value: v} }

// Created is a 201 with v as its JSON body.
func Created(v any) Response { return Response{Status: http.StatusCreated, Value: v} }

// NoContent is a 204 without a body.
func NoContent() Response { return Response{Status: http.StatusNoContent} }

// Unless answers resp unless err is not nil: the tail of a handler whose last call
// returns only an error.
func Unless(err error, resp Response) (Response, error) {
	if err != nil {
		return Response{}, err
	}
	return resp, nil
}

// Handler serves one operation of a face.
type Handler func(r *http.Request, c rollcall.Caller, body []byte) (Response, error)

// Wire is an error in a face's wire terms: status, headers (X-Amzn-ErrorType) and a JSON
// body.
type Wire struct {
	Status int
	Header http.Header
	Body   any
}

// ErrorTable turns any error of a face into its wire form. Each face has exactly one.
type ErrorTable func(r *http.Request, err error) Wire

// ErrUnreadable is a body that could not be read (the client went away, or sent a
// broken chunked body); a body over the limit is httpx.ErrTooLarge.
type ErrUnreadable struct{ Err error }

func (e *ErrUnreadable) Error() string { return "reading the request body: " + e.Err.Error() }
func (e *ErrUnreadable) Unwrap() error { return e.Err }

// Pipeline serves the operations of one face.
type Pipeline struct {
	Name        string              // the face's name in the log and in rate-limit keys ("chime")
	Auth        httpx.Authenticator // who the caller is
	Limits      *ratelimit.Limiter  // per tenant and Name.op; nil = no limits
	Errors      ErrorTable          // the face's one error table
	ContentType string              // of success and error bodies
	// AuthBeforeBody authenticates before the body is read: for bearer credentials,
	// which do not cover the body (Amazon Business). SigV4 needs the body.
	AuthBeforeBody bool
	// BodyLimit is the largest body read; 0 = httpx.MaxBodyBytes.
	BodyLimit int64
	// Check runs just before the body is read (a content-type check, say).
	Check func(r *http.Request) error
	// Ready runs after the caller is authenticated and throttled, before the handler.
	Ready func(r *http.Request, c rollcall.Caller) error
	// IAM, when set, evaluates the IAM policies of callers that signed with an access key,
	// after Ready and before the handler (iam.go); Target reads what the operation's
	// request names (its resource, its tags). Now is the clock of aws:CurrentTime (the
	// core's; time.Now when nil).
	IAM    Subjects
	Target TargetFunc
	Now    func() time.Time
	// Faults injects faults after IAM, before the handler; nil injects none.
	Faults Injector
}

// Serve runs op's handler h behind the pipeline and writes its response or error.
func (p *Pipeline) Serve(w http.ResponseWriter, r *http.Request, op string, h Handler) {
	p.ServeReady(w, r, op, p.Ready, h)
}

// ServeReady is Serve with ready in the place of p.Ready: a check of this one request
// (its URI's labels, say), passed here rather than set in a Pipeline field so that a
// face's per-request closures stay on the stack.
func (p *Pipeline) ServeReady(w http.ResponseWriter, r *http.Request, op string, ready func(r *http.Request, c rollcall.Caller) error, h Handler) {
	p.serveDeclared(w, r, op, ready, nil, h)
}

// ServeDeclared is Serve for an operation whose success answers the body declared
// (what write writes of its Response's Value) whatever it stored, such as an empty
// object: the call's audit event carries that response from the write's own
// transaction, and no row of its own is stored for it after the answer
// (trail.Call.Declare, which also says what the record holds if the process dies
// between the commit and the answer). An answer that differs is still recorded as sent.
// Unlike Declare, it reaches the call behind a caller not yet confirmed (tentative.go).
func (p *Pipeline) ServeDeclared(w http.ResponseWriter, r *http.Request, op string, declared []byte, h Handler) {
	p.serveDeclared(w, r, op, p.Ready, declared, h)
}

// Declare is ServeDeclared's declaration made by a handler, once it knows, before its
// write, what it answers if the write commits: body, its Response's Value, encoded
// once (answered as OK(body), the same bytes are written). It does nothing when r's
// context does not reach the call's record (trail.CallFrom); the answer is then stored
// after it, as without.
func Declare(r *http.Request, body *Encoded) {
	if c := trail.CallFrom(r.Context()); c != nil {
		c.Declare(body.JSON)
	}
}

// Encoded is a body already encoded, written as it is: JSON must be byte for byte what
// json.Marshal writes of the value it stands for. A handler that declares its answer
// (Declare) answers with the same Encoded, so the body is encoded once, and a Response
// holds it, with its Content-Length, as one pointer.
type Encoded struct {
	JSON   []byte
	length [1]string
}

// AppendJSON appends e's bytes.
func (e *Encoded) AppendJSON(b []byte) []byte { return append(b, e.JSON...) }

func (p *Pipeline) serveDeclared(w http.ResponseWriter, r *http.Request, op string, ready func(r *http.Request, c rollcall.Caller) error,
	declared []byte, h Handler) {
	httpx.Annotate(r, p.Name, op)
	r, call := trail.Begin(r, p.Name, op, httpx.InfoFrom(r.Context()).RequestID)
	call.Declare(declared)
	var in Injection
	resp, err := p.serve(r, op, ready, h, call, &in)
	if in.drops() {
		if err != nil {
			httpx.LogError(r, Scrub(r, err))
		}
		// The trail records what the client saw: no answer.
		call.Finish(nil, "InjectedFault", "A fault-injection rule dropped the connection.")
		Hangup(w, in.Reset)
		return
	}
	if err != nil {
		httpx.LogError(r, Scrub(r, err))
		wr := p.Errors(r, err)
		code, msg := wireError(wr, p.write(w, wr))
		call.Finish(nil, code, msg)
		return
	}
	call.FinishEncoded(p.write(w, Wire{Status: resp.Status, Header: resp.Header, Body: resp.Value}))
}

// Unknown answers a request no operation of the face matches, logged as op.
func (p *Pipeline) Unknown(w http.ResponseWriter, r *http.Request, op string, err error) {
	httpx.Annotate(r, p.Name, op)
	p.Fail(w, r, err)
}

// serve runs the pipeline's steps and h, recording the call in call; in is set to the
// fault injected, if any.
func (p *Pipeline) serve(r *http.Request, op string, ready func(*http.Request, rollcall.Caller) error, h Handler, call *trail.Call, in *Injection) (Response, error) {
	if err := httpx.CheckSite(r); err != nil {
		return Response{}, err
	}
	if !p.AuthBeforeBody {
		return p.steps(r, op, ready, h, call, in, rollcall.Caller{}, nil)
	}
	c, tc, err := p.authenticateFirst(r, op)
	if err != nil {
		return Response{}, err
	}
	call.Identify(c)
	if tc == nil {
		return p.steps(r, op, ready, h, call, in, c, nil)
	}
	resp, err := p.steps(tc.inUpdates(r), op, ready, h, call, in, c, tc)
	return p.settle(r, tc, call, resp, err)
}

// steps runs the pipeline's steps after authentication before the body (c the caller,
// tc set when it is unconfirmed: tentative.go), and h.
func (p *Pipeline) steps(r *http.Request, op string, ready func(*http.Request, rollcall.Caller) error, h Handler, call *trail.Call, in *Injection,
	c rollcall.Caller, tc *tentative) (Response, error) {
	var err error
	if p.Check != nil {
		if err := p.Check(r); err != nil {
			return Response{}, err
		}
	}
	body, err := httpx.ReadBody(r, cmpLimit(p.BodyLimit))
	if err != nil {
		if !errors.Is(err, httpx.ErrTooLarge) {
			err = &ErrUnreadable{Err: err}
		}
		return Response{}, err
	}
	call.SetRequest(requestParameters(r, body))
	if !p.AuthBeforeBody {
		if c, err = p.authenticate(r, op, body); err != nil {
			return Response{}, err
		}
		call.Identify(c)
	}
	if ready != nil {
		if err := ready(r, c); err != nil {
			return Response{}, err
		}
	}
	if err := p.authorize(r, c, op, body); err != nil {
		return Response{}, err
	}
	if p.Faults != nil && (tc == nil || armed(p.Faults)) { // no rules: as if asked now
		if tc != nil {
			if err := p.confirm(r, tc, call); err != nil { // a firing is counted in the store
				return Response{}, err
			}
		}
		if *in, err = p.inject(r, op, c); err != nil || in.Reset {
			return Response{}, err
		}
	}
	return h(r, c, body)
}

func cmpLimit(n int64) int64 {
	if n <= 0 {
		return httpx.MaxBodyBytes
	}
	return n
}

// authenticate identifies the caller, records the tenant and throttles.
func (p *Pipeline) authenticate(r *http.Request, op string, body []byte) (rollcall.Caller, error) {
	c, err := p.Auth.Authenticate(r, body)
	if err != nil {
		if k := rollcall.ErrorKind(err); k == rollcall.Unauthorized || k == rollcall.Forbidden {
			httpx.AuthFailed(r, p.scheme(r), err)
		}
		return rollcall.Caller{}, err
	}
	httpx.SetTenant(r, c.TenantID)
	if err := p.Limits.CheckOp(c.TenantID, p.Name, op); err != nil {
		httpx.RateLimited(r)
		return rollcall.Caller{}, err
	}
	return c, nil
}

// scheme is the kind of credential r brings, for the auth-failure metrics: a bearer
// token (Amazon Business's; WorkDocs' Authentication header on a request not signed)
// or a SigV4 signature.
func (p *Pipeline) scheme(r *http.Request) string {
	signed := r.Header.Get("Authorization") != "" || r.URL.Query().Has("X-Amz-Signature")
	if p.AuthBeforeBody || !signed && r.Header.Get("Authentication") != "" {
		return httpx.SchemeToken
	}
	return httpx.SchemeSigV4
}

// Fail writes err through the face's error table and logs its cause, scrubbed.
func (p *Pipeline) Fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(r, Scrub(r, err))
	p.write(w, p.Errors(r, err))
}

// Write writes a handler's response.
func (p *Pipeline) Write(w http.ResponseWriter, resp Response) {
	p.write(w, Wire{Status: resp.Status, Header: resp.Header, Body: resp.Value})
}

// JSONAppender is a body that writes its own JSON, byte for byte what json.Marshal
// writes of it, without reflection: the bodies of the operations that run most.
type JSONAppender interface {
	AppendJSON(b []byte) []byte
}

// output is a response's body buffer and its Content-Length header value, in one
// allocation.
type output struct {
	length [1]string
	body   [1024]byte // a Chime user is ~650 bytes
}

// write writes wr and returns the body it wrote.
func (p *Pipeline) write(w http.ResponseWriter, wr Wire) []byte {
	h := w.Header()
	for k, v := range wr.Header {
		h[k] = v
	}
	if wr.Body == nil {
		w.WriteHeader(wr.Status)
		return nil
	}
	var b []byte
	var length *[1]string
	if e, ok := wr.Body.(*Encoded); ok {
		b, length = e.JSON, &e.length
	} else if a, ok := wr.Body.(JSONAppender); ok {
		out := new(output)
		b, length = a.AppendJSON(out.body[:0]), &out.length
	} else {
		var err error
		if b, err = json.Marshal(wr.Body); err != nil {
			wr.Status, b = http.StatusInternalServerError, []byte(`{"message":"internal error"}`)
		}
		length = new([1]string)
	}
	h["Content-Type"] = contentType(p.ContentType)
	length[0] = strconv.Itoa(len(b))
	h["Content-Length"] = length[:]
	w.WriteHeader(wr.Status)
	w.Write(b)
	return b
}

// The faces' content types as header values, made once: a response's header holds the
// slice (net/http copies it when the header is written, and nothing changes it), where
// Header.Set made one on every response.
var (
	jsonContentType    = []string{"application/json"}
	awsJSONContentType = []string{httpx.AWSJSONContentType}
)

// contentType returns the header value of content type ct.
func contentType(ct string) []string {
	switch ct {
	case jsonContentType[0]:
		return jsonContentType
	case awsJSONContentType[0]:
		return awsJSONContentType
	}
	return []string{ct}
}

// AuthFunc is a function that serves as an httpx.Authenticator.
type AuthFunc func(r *http.Request, body []byte) (rollcall.Caller, error)

// Authenticate calls fn.
func (fn AuthFunc) Authenticate(r *http.Request, body []byte) (rollcall.Caller, error) {
	return fn(r, body)
}
