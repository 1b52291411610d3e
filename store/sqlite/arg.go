package sqlite

import "unsafe"

// A statement's string or []byte argument made an interface value (any) the usual way
// copies its header to the heap: an allocation for every non-empty one, about twenty a
// create (a user's columns, its idempotency record's, its audit event's). stringArg and
// bytesArg make the interface value point at the caller's own field instead. That is
// sound while the field does not change until the statement has run: the writer's
// callers hand it rows (a *rollcall.User, a record, an event) that nothing changes
// during their Update, the drivers copy the bytes when they bind them, and the
// arguments are cleared once the statement has run (tx.doneArgs). TestArgs checks the
// layout assumed here against the runtime's.

// eface is the layout of an interface value without methods: its dynamic type, and a
// pointer to the value (a string's or a slice's header is always held by pointer).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// stringArg is *p as a statement's argument, without a copy of its header.
func stringArg(p *string) any {
	v := any("") // a constant: its header is static, not allocated
	(*eface)(unsafe.Pointer(&v)).data = unsafe.Pointer(p)
	return v
}

// bytesArg is *p as a statement's argument, without a copy of its header.
func bytesArg(p *[]byte) any {
	v := any([]byte(nil)) // a nil slice: the runtime's zero value, not allocated
	(*eface)(unsafe.Pointer(&v)).data = unsafe.Pointer(p)
	return v
}
