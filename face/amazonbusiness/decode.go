package amazonbusiness

import (
	"unicode/utf8"

	"github.com/rollcall/rollcall/httpx"
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
	r := plainReader{s: string(body)}
	a := new(createArena)
	var seen int
	ok = r.object(func(name string) bool {
		switch name {
		case "accountHolder":
			a.req.AccountHolder = &a.holder
			return r.once(&seen, seenHolder) && r.object(func(name string) bool {
				switch name {
				case "email":
					a.holder.Email = &a.email
					return r.once(&seen, seenEmail) && r.str(&a.email)
				case "givenName":
					a.holder.GivenName = &a.given
					return r.once(&seen, seenGiven) && r.str(&a.given)
				case "familyName":
					a.holder.FamilyName = &a.family
					return r.once(&seen, seenFamily) && r.str(&a.family)
				}
				return false
			})
		case "groupId":
			a.req.GroupID = &a.group
			return r.once(&seen, seenGroup) && r.object(func(name string) bool {
				switch name {
				case "idType":
					a.group.IDType = &a.idType
					return r.once(&seen, seenIDType) && r.str(&a.idType)
				case "id":
					a.group.ID = &a.id
					return r.once(&seen, seenID) && r.str(&a.id)
				}
				return false
			})
		case "role":
			a.req.Role = &a.role
			return r.once(&seen, seenRole) && r.str(&a.role)
		case "region":
			a.req.Region = &a.region
			return r.once(&seen, seenRegion) && r.str(&a.region)
		case "notificationTypesToSuppress":
			return r.once(&seen, seenSuppress) && r.strings(&a.req.NotificationTypesToSuppress, a.suppress[:0])
		}
		return false
	})
	if !ok || r.ws() < len(r.s) {
		return nil, false
	}
	return &a.req, true
}

// plainReader reads the plain JSON of plainCreate from s at i.
type plainReader struct {
	s string
	i int
}

// ws skips white space and returns where it stopped.
func (r *plainReader) ws() int {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return r.i
		}
	}
	return r.i
}

// next reports whether the next byte after white space is c, and skips it if so.
func (r *plainReader) next(c byte) bool {
	if r.ws() < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// once records bit in seen; false if it was there (a duplicate member).
func (r *plainReader) once(seen *int, bit int) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// str reads a string without escapes or control characters, valid UTF-8, into v.
func (r *plainReader) str(v *string) bool {
	if !r.next('"') {
		return false
	}
	start, ascii := r.i, true
	for ; r.i < len(r.s); r.i++ {
		switch c := r.s[r.i]; {
		case c == '"':
			*v = r.s[start:r.i]
			r.i++
			return ascii || utf8.ValidString(*v)
		case c == '\\' || c < ' ':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return false
}

// object reads an object, calling member for each member's name with the reader at its
// value; member reads the value and reports whether it could.
func (r *plainReader) object(member func(name string) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		var name string
		if !r.str(&name) || !r.next(':') || !member(name) {
			return false
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// strings reads an array of strings into *v, appended to buf.
func (r *plainReader) strings(v *[]string, buf []string) bool {
	if !r.next('[') {
		return false
	}
	if !r.next(']') {
		for {
			var s string
			if !r.str(&s) {
				return false
			}
			buf = append(buf, s)
			if r.next(']') {
				break
			}
			if !r.next(',') {
				return false
			}
		}
	}
	*v = buf
	return true
}
