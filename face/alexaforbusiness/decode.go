package alexaforbusiness

import "github.com/rollcall/rollcall/internal/plainjson"

// createUserArena holds a CreateUser request read by plainCreateUser and the strings
// its pointers point to.
type createUserArena struct {
	req                               createUserRequest
	userID, first, last, email, token string
}

// plainCreateUser reads a CreateUser body that is plain JSON (internal/plainjson) of
// the request's string members, in one allocation (and the body's copy): awsx.Decode's
// reflection made a dozen. ok is false for any other body (Tags, an unknown member, an
// escape, a null, a duplicate, a syntax error), which awsx.Decode then reads as before:
// plainCreateUser only ever accepts a body that awsx.Decode reads to the same request
// (FuzzPlainCreateUser).
func plainCreateUser(body []byte) (req *createUserRequest, ok bool) {
	r, a := plainjson.NewReader(body), new(createUserArena)
	// A member already read is a duplicate, which awsx.Decode words.
	field := func(member **string, v *string) bool {
		if *member != nil {
			return false
		}
		*member = v
		return r.Str(v)
	}
	ok = r.Object(func(name string) bool {
		switch name {
		case "UserId":
			return field(&a.req.UserId, &a.userID)
		case "FirstName":
			return field(&a.req.FirstName, &a.first)
		case "LastName":
			return field(&a.req.LastName, &a.last)
		case "Email":
			return field(&a.req.Email, &a.email)
		case "ClientRequestToken":
			return field(&a.req.ClientRequestToken, &a.token)
		}
		return false
	})
	if !ok || !r.Done() {
		return nil, false
	}
	return &a.req, true
}
