package awsx

import "github.com/rollcall/rollcall/httpx"

// Decode reads a request body strictly (httpx.DecodeJSON) into a new Req, then checks
// it with check, which reports every member that fails its rules and otherwise returns
// what the operation needs from the request (the core's input). A body that does not
// decode is never checked. The request is returned too, for the members check does not
// carry (a NextToken to open, say).
func Decode[Req, In any](body []byte, check func(*Req) (In, error)) (*Req, In, error) {
	var zero In
	req := new(Req)
	if err := httpx.DecodeJSON(body, req); err != nil {
		return nil, zero, err
	}
	in, err := check(req)
	if err != nil {
		return nil, zero, err
	}
	return req, in, nil
}

// Deref is the string s points to, or "" for none: a member the request left out reads
// as empty where absent and empty mean the same.
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
