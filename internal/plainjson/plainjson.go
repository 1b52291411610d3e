package plainjson

import "unicode/utf8"

// Reader reads plain JSON from a copy of a body, which the strings it reads share.
type Reader struct {
	s string
	i int
}

// NewReader reads body.
func NewReader(body []byte) Reader { return Reader{s: string(body)} }

// ws skips white space and returns where it stopped.
func (r *Reader) ws() int {
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
func (r *Reader) next(c byte) bool {
	if r.ws() < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

// Done reports whether only white space is left.
func (r *Reader) Done() bool { return r.ws() == len(r.s) }

// Object reads an object, each member's value by member, which is given the member's
// name and reports whether it read the value (false for a member the request does not
// have, a duplicate or a value it does not read).
func (r *Reader) Object(member func(name string) bool) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	for {
		var name string
		if !r.Str(&name) || !r.next(':') || !member(name) {
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

// Str reads a string without escapes or control characters, valid UTF-8, into v.
func (r *Reader) Str(v *string) bool {
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

// Strings reads an array of strings into *v, appended to buf.
func (r *Reader) Strings(v *[]string, buf []string) bool {
	if !r.next('[') {
		return false
	}
	if !r.next(']') {
		for {
			var s string
			if !r.Str(&s) {
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
