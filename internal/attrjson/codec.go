package attrjson

import (
	"reflect"
	"strings"
	"time"
	"unsafe"
)

// Codec encodes a product's attributes A as encoding/json would, from a plan made once by
// reflection (each field's name, omitempty, kind and offset): encoding walks the plan,
// with no reflection per value. A may hold strings, booleans, int64s, pointers to int64,
// bool and time.Time, []string, and pointers to and slices of structs of those;
// NewCodec panics at start-up on anything else, so a product cannot add a field it
// would not encode.
type Codec[A any] struct{ p *plan }

// NewCodec plans the encoding of A.
func NewCodec[A any]() Codec[A] { return Codec[A]{planOf(reflect.TypeFor[A]())} }

// Encode is a's document, "" when it has no member. It allocates once (more only for a
// document past 256 bytes): the string is the buffer it was written in. (A stack array
// did not stay on the stack, since the plan's walk takes the encoder's address, so it
// was a second allocation and a copy on every create.)
func (c Codec[A]) Encode(a *A) string {
	e := begin(make([]byte, 0, 256))
	c.p.fields(&e, unsafe.Pointer(a))
	return e.end()
}

type kind int

const (
	kString kind = iota
	kBool
	kInt64
	kIntPtr
	kBoolPtr
	kTimePtr
	kStrings
	kStructPtr
	kStructs
)

type field struct {
	name string
	off  uintptr
	kind kind
	omit bool    // omitempty
	sub  *plan   // the struct of kStructPtr and kStructs
	size uintptr // the element size of kStructs
}

type plan struct{ list []field }

var timeType = reflect.TypeFor[time.Time]()

func planOf(t reflect.Type) *plan {
	if t.Kind() != reflect.Struct {
		panic("attrjson: " + t.String() + " is not a struct")
	}
	p := &plan{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			panic("attrjson: " + t.String() + "." + sf.Name + " has no JSON name")
		}
		f := field{name: name, off: sf.Offset, omit: opts == "omitempty"}
		switch ft := sf.Type; {
		case ft.Kind() == reflect.String:
			f.kind = kString
		case ft.Kind() == reflect.Bool:
			f.kind = kBool
		case ft.Kind() == reflect.Int64:
			f.kind = kInt64
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Int64:
			f.kind = kIntPtr
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Bool:
			f.kind = kBoolPtr
		case ft.Kind() == reflect.Pointer && ft.Elem() == timeType:
			f.kind = kTimePtr
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			f.kind = kStrings
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			f.kind, f.sub = kStructPtr, planOf(ft.Elem())
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			f.kind, f.sub, f.size = kStructs, planOf(ft.Elem()), ft.Elem().Size()
		default:
			panic("attrjson: " + t.String() + "." + sf.Name + " is a " + ft.String() + ", which Codec does not encode")
		}
		if !f.omit && f.kind != kString && f.kind != kBool && f.kind != kInt64 {
			// encoding/json writes a nil pointer or slice as null: no document has one
			panic("attrjson: " + t.String() + "." + sf.Name + " must be omitempty")
		}
		p.list = append(p.list, f)
	}
	return p
}

// fields writes the members of the struct at base, each as encoding/json would.
func (p *plan) fields(e *encoder, base unsafe.Pointer) {
	for i := range p.list {
		f := &p.list[i]
		at := unsafe.Add(base, f.off)
		switch f.kind {
		case kString:
			if s := *(*string)(at); s != "" || !f.omit {
				e.key(f.name)
				e.quote(s)
			}
		case kBool:
			if v := *(*bool)(at); v || !f.omit {
				e.key(f.name)
				e.bool(v)
			}
		case kInt64:
			if v := *(*int64)(at); v != 0 || !f.omit {
				e.key(f.name)
				e.int(v)
			}
		case kIntPtr:
			if v := *(**int64)(at); v != nil {
				e.key(f.name)
				e.int(*v)
			}
		case kBoolPtr:
			if v := *(**bool)(at); v != nil {
				e.key(f.name)
				e.bool(*v)
			}
		case kTimePtr:
			if v := *(**time.Time)(at); v != nil {
				e.key(f.name)
				e.time(*v)
			}
		case kStrings:
			if v := *(*[]string)(at); len(v) > 0 {
				e.key(f.name)
				e.list(len(v), func(i int) { e.quote(v[i]) })
			}
		case kStructPtr:
			if s := *(*unsafe.Pointer)(at); s != nil {
				e.key(f.name)
				e.object(f.sub, s)
			}
		case kStructs:
			// A slice of any element type has the same header: read its data and length.
			if s := *(*[]byte)(at); len(s) > 0 {
				elems := unsafe.Pointer(unsafe.SliceData(s))
				e.key(f.name)
				e.list(len(s), func(i int) { e.object(f.sub, unsafe.Add(elems, uintptr(i)*f.size)) })
			}
		}
	}
}

// object writes the struct at base as a nested object.
func (e *encoder) object(p *plan, base unsafe.Pointer) {
	e.b = append(e.b, '{')
	outer := e.first
	e.first = true
	p.fields(e, base)
	e.first = outer
	e.b = append(e.b, '}')
}
