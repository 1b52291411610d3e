package attrjson

import (
	"encoding/json"
	"strconv"
	"time"
	"unsafe"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/jsonstr"
)

// encoder writes one JSON object, member by member.
type encoder struct {
	b     []byte
	first bool
}

// begin starts an object in buf, which it reuses.
func begin(buf []byte) encoder { return encoder{b: append(buf[:0], '{'), first: true} }

// end closes the object and returns it, or "" (no document) when it has no member. The
// string shares e's buffer, which nothing writes after: the encoder is done with it.
func (e *encoder) end() string {
	if e.first {
		return ""
	}
	e.b = append(e.b, '}')
	return unsafe.String(unsafe.SliceData(e.b), len(e.b))
}

// key writes a member's name; the caller writes its value.
func (e *encoder) key(name string) {
	if !e.first {
		e.b = append(e.b, ',')
	}
	e.first = false
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

func (e *encoder) quote(s string) { e.b = jsonstr.Append(e.b, s) }

func (e *encoder) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

func (e *encoder) int(v int64) { e.b = strconv.AppendInt(e.b, v, 10) }

// time writes t in UTC to the millisecond, the precision of every time a store returns.
func (e *encoder) time(t time.Time) {
	e.b = append(e.b, '"')
	e.b = time.UnixMilli(t.UnixMilli()).UTC().AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

// list writes n items as an array, each by item(i).
func (e *encoder) list(n int, item func(i int)) {
	e.b = append(e.b, '[')
	for i := range n {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		item(i)
	}
	e.b = append(e.b, ']')
}

// Decode reads the document doc of the user or directory (what) id into into; "" leaves
// it as it is. A document that does not decode is Internal: the store holds what a
// product wrote, so it is damaged. It reads doc in place: json.Unmarshal neither keeps
// nor changes its input, so a copy would only allocate.
func Decode(doc, what, id string, into any) error {
	if doc == "" || doc == "{}" {
		return nil
	}
	if err := json.Unmarshal(unsafe.Slice(unsafe.StringData(doc), len(doc)), into); err != nil {
		return &rollcall.Error{Kind: rollcall.Internal, Err: err,
			Message: "the attributes of " + what + " " + id + " do not decode"}
	}
	return nil
}

// User is a core user with its product's attributes A, decoded once (each product's
// User is one: chime.User is User[chime.UserAttrs]). Attrs is the truth until the
// product encodes it back into the core user's document, to write it.
type User[A any] struct {
	*rollcall.User
	Attrs A
}

// UserOf decodes u's document into its product's attributes A.
func UserOf[A any](u *rollcall.User) (*User[A], error) {
	pu := &User[A]{User: u}
	return pu, Decode(u.Attrs, "user", u.ID, &pu.Attrs)
}

// NewUser is a new user u with no attributes yet, allocated with its wrapper: one
// allocation, on every create.
func NewUser[A any](u rollcall.User) *User[A] {
	b := &struct {
		User[A]
		core rollcall.User
	}{core: u}
	b.User.User = &b.core
	return &b.User
}
