package audit

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
)

// The stored form of a record (Event.Stored), which Complete turns back into the record
// byte for byte. Every record Build makes carries the same eventVersion, eventType,
// managementEvent and eventCategory, the member names never change, and the
// userIdentity of a tenant's own key (type Root) repeats its account three times (and
// recipientAccountId a fourth): the stored form leaves all of those out, names the
// eventSource by one byte and keeps the UUIDs (requestID, eventID) as their 16 bytes, so
// a stored event is well under half the bytes of its record (fewer bytes for the store to copy, log and checkpoint with every call). It is
// storedForm, a flags byte, then the varying members in a fixed order, each its length
// (a uvarint) and its bytes. A stored record that starts with '{' is the record itself
// (those stored before this form, and any record Build's constants do not fit).
const storedForm = 0x01

const (
	storedReadOnly  = 1 << iota // readOnly is true
	storedTLS                   // tlsDetails follows the members
	storedRoot                  // userIdentity is a Root's: its account and key only
	storedSource                // eventSource is one byte, its place in storedSources
	storedRequestID             // requestID is a UUID, as its 16 bytes
	storedEventID               // eventID is a UUID, as its 16 bytes
	storedRecipient             // recipientAccountId is the Root's account
)

// storedSources are the eventSources a stored form names by their place: only ever
// appended to, as stored events keep the places.
var storedSources = [...]string{"chime.amazonaws.com", "workdocs.amazonaws.com", "a4b.amazonaws.com",
	"business-api.amazon.com", "api.amazon.com", "admin.rollcall.local"}

func sourceCode(source string) (byte, bool) {
	for i, s := range storedSources {
		if s == source {
			return byte(i), true
		}
	}
	return 0, false
}

// uuidBytes is s's 16 bytes if s is a UUID as formatUUID writes one (lower-case hex,
// dashed 8-4-4-4-12), so that formatting them gives s back.
func uuidBytes(s string) (b [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	var bad byte
	for j, i := range uuidDigits {
		hi, lo := hexValues[s[i]], hexValues[s[i+1]]
		bad |= hi | lo
		b[j] = hi<<4 | lo
	}
	return b, bad < 16
}

// uuidDigits is where each byte's two digits start in a UUID's text.
var uuidDigits = [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// hexValues is each byte's value as a lower-case hex digit, 16 for any other byte: a
// table, as Build reads two UUIDs per event.
var hexValues = func() (t [256]byte) {
	for i := range t {
		t[i] = 16
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
	}
	return t
}()

func unhex(c byte) byte { return hexValues[c] }

// uuidString is the UUID b as a stored form's reader gives it back (formatUUID's form,
// without setting the version).
func uuidString(b []byte) string {
	const digits = "0123456789abcdef"
	var s [36]byte
	j := 0
	for i := range 16 {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = digits[b[i]>>4], digits[b[i]&15]
		j += 2
	}
	return string(s[:])
}

// rootIdentity reports whether u is what Identity writes for an account's own key:
// type Root, principalId the account, its root ARN, and the key.
func rootIdentity(u *UserIdentity) bool {
	return u.Type == "Root" && u.PrincipalID == u.AccountID && u.UserName == "" && u.IdentityProvider == "" &&
		u.SessionContext == nil && u.ARN == "arn:aws:iam::"+u.AccountID+":root"
}

// appendStored appends r's stored form (its record, where r's constants are not
// Build's).
func (r *Record) appendStored(b []byte) []byte {
	if r.EventVersion != EventVersion || r.EventType != EventTypeAPICall || !r.ManagementEvent || r.EventCategory != CategoryManagement {
		return r.appendJSON(b)
	}
	var flags byte
	if r.ReadOnly {
		flags |= storedReadOnly
	}
	if r.TLSDetails != nil {
		flags |= storedTLS
	}
	root := rootIdentity(&r.UserIdentity)
	if root {
		flags |= storedRoot
		if r.RecipientAccountID == r.UserIdentity.AccountID {
			flags |= storedRecipient
		}
	}
	source, known := sourceCode(r.EventSource)
	if known {
		flags |= storedSource
	}
	requestID, requestUUID := uuidBytes(r.RequestID)
	if requestUUID {
		flags |= storedRequestID
	}
	eventID, eventUUID := uuidBytes(r.EventID)
	if eventUUID {
		flags |= storedEventID
	}
	b = append(b, storedForm, flags)
	if root {
		b = appendStrings(b, r.UserIdentity.AccountID, r.UserIdentity.AccessKeyID)
	} else {
		n := len(b)
		b = append(b, 0, 0) // room for the length: most identities are shorter than 16 KB
		b = r.UserIdentity.appendJSON(b)
		b = putLength(b, n, len(b)-n-2)
	}
	b = appendStrings(b, r.EventTime)
	if known {
		b = append(b, source)
	} else {
		b = appendStrings(b, r.EventSource)
	}
	b = appendStrings(b, r.EventName, r.AWSRegion, r.SourceIPAddress, r.UserAgent, r.ErrorCode, r.ErrorMessage)
	b = appendBytes(b, r.RequestParameters)
	b = appendBytes(b, r.ResponseElements)
	b = appendBytes(b, r.AdditionalEventData)
	if requestUUID {
		b = append(b, requestID[:]...)
	} else {
		b = appendStrings(b, r.RequestID)
	}
	if eventUUID {
		b = append(b, eventID[:]...)
	} else {
		b = appendStrings(b, r.EventID)
	}
	if flags&storedRecipient == 0 {
		b = appendStrings(b, r.RecipientAccountID)
	}
	if t := r.TLSDetails; t != nil {
		b = appendStrings(b, t.TLSVersion, t.CipherSuite, t.ClientProvidedHostHeader)
	}
	return b
}

// putLength writes n as the uvarint at b[at:at+2], reserved for it, moving what follows
// when n needs more than two bytes.
func putLength(b []byte, at, n int) []byte {
	if n < 1<<14 {
		b[at], b[at+1] = byte(n)|0x80, byte(n>>7)
		return b
	}
	body := append([]byte(nil), b[at+2:]...)
	return append(binary.AppendUvarint(b[:at], uint64(n)), body...)
}

func appendStrings(b []byte, s ...string) []byte {
	for _, v := range s {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

func appendBytes(b []byte, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// storedReader reads a stored form's members; a short or bad input sets bad.
type storedReader struct {
	b   []byte
	bad bool
}

func (r *storedReader) bytes() []byte {
	n, k := binary.Uvarint(r.b)
	if k <= 0 || uint64(len(r.b)-k) < n {
		r.bad, r.b = true, nil
		return nil
	}
	v := r.b[k : k+int(n)]
	r.b = r.b[k+int(n):]
	return v
}

func (r *storedReader) string() string { return string(r.bytes()) }

// fixed reads n bytes that have no length before them.
func (r *storedReader) fixed(n int) []byte {
	if len(r.b) < n {
		r.bad, r.b = true, nil
		return make([]byte, n)
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// source reads eventSource: its place in storedSources, or the name.
func (r *storedReader) source(code bool) string {
	if !code {
		return r.string()
	}
	i := int(r.fixed(1)[0])
	if i >= len(storedSources) {
		r.bad = true
		return ""
	}
	return storedSources[i]
}

// id reads a requestID or eventID: a UUID's 16 bytes, or the string.
func (r *storedReader) id(uuid bool) string {
	if !uuid {
		return r.string()
	}
	return uuidString(r.fixed(16))
}

func (r *storedReader) raw() json.RawMessage {
	if v := r.bytes(); len(v) > 0 {
		return json.RawMessage(v)
	}
	return nil
}

// parseStored is the record a stored form holds, and its userIdentity as encoded (nil
// for a Root's, rebuilt from its account); ok is false if s is not a stored form.
func parseStored(s []byte) (rec Record, identity []byte, ok bool) {
	if len(s) < 2 || s[0] != storedForm {
		return Record{}, nil, false
	}
	flags := s[1]
	r := storedReader{b: s[2:]}
	rec = Record{EventVersion: EventVersion, EventType: EventTypeAPICall, ManagementEvent: true,
		EventCategory: CategoryManagement, ReadOnly: flags&storedReadOnly != 0}
	if flags&storedRoot != 0 {
		acct := r.string()
		rec.UserIdentity = UserIdentity{Type: "Root", PrincipalID: acct, ARN: "arn:aws:iam::" + acct + ":root",
			AccountID: acct, AccessKeyID: r.string()}
	} else {
		identity = r.bytes()
	}
	rec.EventTime = r.string()
	rec.EventSource = r.source(flags&storedSource != 0)
	rec.EventName, rec.AWSRegion = r.string(), r.string()
	rec.SourceIPAddress, rec.UserAgent, rec.ErrorCode, rec.ErrorMessage = r.string(), r.string(), r.string(), r.string()
	rec.RequestParameters, rec.ResponseElements, rec.AdditionalEventData = r.raw(), r.raw(), r.raw()
	rec.RequestID = r.id(flags&storedRequestID != 0)
	rec.EventID = r.id(flags&storedEventID != 0)
	if flags&storedRecipient != 0 {
		rec.RecipientAccountID = rec.UserIdentity.AccountID
	} else {
		rec.RecipientAccountID = r.string()
	}
	if flags&storedTLS != 0 {
		rec.TLSDetails = &TLSDetails{TLSVersion: r.string(), CipherSuite: r.string(), ClientProvidedHostHeader: r.string()}
	}
	if r.bad || len(r.b) != 0 {
		return Record{}, nil, false
	}
	return rec, identity, true
}

// Complete is the record of a stored event (Event.Stored, as a store keeps it) with the
// response elements stored after it (a write's event is stored by the write's
// transaction, before there is a response, Element) in place of its null
// "responseElements": the CloudTrail record, as encoding/json would write it. A
// stored record that is already JSON (stored before the stored form) is completed in
// place: the member is found from the end, as the record's members after it hold only
// strings, booleans and tlsDetails, in which the text cannot occur unescaped, while
// requestParameters, before it, may hold anything. A stored form that does not parse
// is returned as it is.
func Complete(record, response []byte) []byte {
	rec, identity, ok := parseStored(record)
	if !ok {
		return completeJSON(record, response)
	}
	if len(response) > 0 && len(rec.ResponseElements) == 0 {
		rec.ResponseElements = response
	}
	size := 640 + len(record) + len(response)
	return rec.appendJSONWith(make([]byte, 0, size), identity)
}

func completeJSON(record, response []byte) []byte {
	const member = `,"responseElements":null`
	i := bytes.LastIndex(record, []byte(member))
	if len(response) == 0 || i < 0 {
		return record
	}
	out := make([]byte, 0, len(record)+len(response))
	out = append(out, record[:i+len(member)-len("null")]...)
	out = append(out, response...)
	return append(out, record[i+len(member):]...)
}
