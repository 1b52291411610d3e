package amazonbusiness

import (
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/plainjson"
)

// decodeCreate decodes a createBusinessUserAccount body. The usual body, an object of
// the request's own members, each once, their strings without escapes, is read here
// into one allocation (and one copy of the body that its strings share); httpx.DecodeJSON
// read it with reflection, a dozen allocations. Any other body (an unknown member, an
// escape, a null, a duplicate, a syntax error) goes to httpx.DecodeJSON as before,
// which decodes it the same way or words its error: plainCreate only ever accepts a
// body that httpx.DecodeJSON decodes to the same request (FuzzDecodeCreate).
func decodeCreate(body []byte) (*createRequest, error) {
	if req, ok := plainCreate(body); ok {
		return req, nil
	}
	req := new(createRequest)
	if err := httpx.DecodeJSON(body, req); err != nil {
		return nil, err
	}
	return req, nil
}

// createArena holds a request read by plainCreate and everything its pointers point to.
type createArena struct {
	req                  createRequest
	holder               accountHolder
	group                groupIdentifier
	email, given, family string
	idType, id           string
	role, region         string
	suppress             [1]string
}

// The members plainCreate reads, as bits of the set of those it has seen.
const (
	seenHolder = 1 << iota
	seenGroup
	seenRole
	seenRegion
	seenSuppress
	seenEmail
	seenGiven
	seenFamily
	seenIDType
	seenID
)

// plainCreate reads body if it is a plain request (see decodeCreate); ok is false for
// any other body.
func plainCreate(body []byte) (req *createRequest, ok bool) {
	d := plainDecoder{Reader: plainjson.NewReader(body), a: new(createArena)}
	if !d.object(inRequest) || !d.Done() {
		return nil, false
	}
	return &d.a.req, true
}

// plainDecoder reads a request into a, recording the members it has seen.
type plainDecoder struct {
	plainjson.Reader
	a    *createArena
	seen int
}

// The objects of a request.
const (
	inRequest = iota
	inHolder
	inGroup
)

// memberKey is a member's name in its object.
type memberKey struct {
	in   int
	name string
}

// object reads an object, each member's value by member.
func (d *plainDecoder) object(in int) bool {
	return d.Object(func(name string) bool { return d.member(in, name) })
}

// member reads the value of member name of object in.
func (d *plainDecoder) member(in int, name string) bool {
	a := d.a
	switch (memberKey{in, name}) {
	case memberKey{inRequest, "accountHolder"}:
		a.req.AccountHolder = &a.holder
		return d.once(seenHolder) && d.object(inHolder)
	case memberKey{inRequest, "groupId"}:
		a.req.GroupID = &a.group
		return d.once(seenGroup) && d.object(inGroup)
	case memberKey{inRequest, "role"}:
		return d.field(seenRole, &a.req.Role, &a.role)
	case memberKey{inRequest, "region"}:
		return d.field(seenRegion, &a.req.Region, &a.region)
	case memberKey{inRequest, "notificationTypesToSuppress"}:
		return d.once(seenSuppress) && d.Strings(&a.req.NotificationTypesToSuppress, a.suppress[:0])
	case memberKey{inHolder, "email"}:
		return d.field(seenEmail, &a.holder.Email, &a.email)
	case memberKey{inHolder, "givenName"}:
		return d.field(seenGiven, &a.holder.GivenName, &a.given)
	case memberKey{inHolder, "familyName"}:
		return d.field(seenFamily, &a.holder.FamilyName, &a.family)
	case memberKey{inGroup, "idType"}:
		return d.field(seenIDType, &a.group.IDType, &a.idType)
	case memberKey{inGroup, "id"}:
		return d.field(seenID, &a.group.ID, &a.id)
	}
	return false // an unknown member
}

// once records bit among the members seen; false if it was there (a duplicate).
func (d *plainDecoder) once(bit int) bool {
	if d.seen&bit != 0 {
		return false
	}
	d.seen |= bit
	return true
}

// field reads a string member into *v and points *member at it.
func (d *plainDecoder) field(bit int, member **string, v *string) bool {
	*member = v
	return d.once(bit) && d.Str(v)
}
