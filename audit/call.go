package audit

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Faces, as the request pipeline names them (httpx.Annotate), and the eventSource each
// one's records carry. The AWS services' are CloudTrail's own ("a short form of the
// service name without spaces plus .amazonaws.com"). The others are rollcall's choice:
// Amazon Business and Login with Amazon are not AWS services, so their records name the
// host their API is served from, without the regional prefix; rollcall's own admin API
// gets a name under .rollcall.local, which no AWS service can have.
var eventSources = map[string]string{
	"chime":            "chime.amazonaws.com",
	"workdocs":         "workdocs.amazonaws.com",
	"alexaforbusiness": "a4b.amazonaws.com",
	"amazonbusiness":   "business-api.amazon.com",
	"loginwithamazon":  "api.amazon.com",
	"admin":            "admin.rollcall.local",
}

// EventSource is the eventSource of face's records, or "" for a face without one.
func EventSource(face string) string { return eventSources[face] }

// GlobalRegion is the awsRegion of calls that were not made to a region (Amazon Business,
// Login with Amazon, the admin API): CloudTrail records the calls of its global services
// (IAM, STS's global endpoint) in us-east-1.
const GlobalRegion = "us-east-1"

// AdminAccount is the recipientAccountId of a call that is about no tenant: an admin API
// call such as ListTenants, or a call refused before a credential named its tenant (an
// unknown access key or token). Their log files go under AWSLogs/rollcall/.
const AdminAccount = "rollcall"

// Call is a neutral description of one API call, as the request pipeline knows it once
// the call has been answered. Build turns it into a Record.
type Call struct {
	Face      string // "chime", "workdocs", "alexaforbusiness", "amazonbusiness", "loginwithamazon", "admin"
	Operation string // the eventName: the operation as the API names it, e.g. "CreateUser"
	Tenant    string // the tenant the call acted on: recipientAccountId and the log files' account; "" for AdminAccount
	Region    string // the region the request was signed for; "" for GlobalRegion
	Caller    Identity
	SourceIP  string // the client's address, without the port
	UserAgent string
	RequestID string // x-amzn-RequestId
	EventID   string // a UUID; "" to have Build make one
	Time      time.Time
	ReadOnly  bool
	// Request and Response are the request's parameters and the response's elements:
	// Go values encoding/json marshals, json.RawMessage or []byte holding JSON, or nil.
	// A read's Response is normally nil: CloudTrail omits responseElements for calls that
	// change nothing. Both are scrubbed (Scrub) and capped (MaxElementSize).
	Request, Response any
	// Sensitive adds key names to hide in this call's Request and Response, beyond
	// those Scrub always hides (e.g. an OAuth grant's "code").
	Sensitive []string
	// ErrorCode and ErrorMessage are the error answered, as the client saw it (for the
	// AWS faces the exception name, e.g. "ConflictException"); empty on success.
	ErrorCode, ErrorMessage string
	TLS                     *TLSDetails // nil for plain HTTP
}

// Event is a built record with what a store indexes it by: the tenant, the time (to the
// millisecond, for ordering within a second), the event name, the user, whether it failed.
type Event struct {
	Record Record
	Stored []byte // the record as a store keeps it: Complete(Stored, nil) is the record, encoded
	Tenant string
	Time   time.Time
	User   string // see Identity.User
	Failed bool
}

// Build makes the record of c, with secrets removed from its request and response.
func Build(c Call) (Event, error) {
	source := EventSource(c.Face)
	switch {
	case source == "":
		return Event{}, fmt.Errorf("audit: unknown face %q", c.Face)
	case c.Operation == "":
		return Event{}, errors.New("audit: a call needs an operation")
	case c.Time.IsZero():
		return Event{}, errors.New("audit: a call needs a time")
	case c.Tenant == "" && c.Face != "admin" && c.Caller.Kind != Unauthenticated:
		return Event{}, errors.New("audit: a call needs a tenant")
	}
	tenant, region, id := c.Tenant, c.Region, c.EventID
	if tenant == "" {
		tenant = AdminAccount
	}
	if region == "" {
		region = GlobalRegion
	}
	if id == "" {
		var err error
		if id, err = NewUUID(rand.Reader); err != nil {
			return Event{}, err
		}
	}
	req, err := element(c.Request, c.Sensitive)
	if err != nil {
		return Event{}, fmt.Errorf("audit: requestParameters: %w", err)
	}
	resp, err := element(c.Response, c.Sensitive)
	if err != nil {
		return Event{}, fmt.Errorf("audit: responseElements: %w", err)
	}
	t := c.Time.UTC()
	e := Event{
		Record: Record{
			EventVersion:       EventVersion,
			UserIdentity:       c.Caller.userIdentity(),
			EventTime:          eventTime(t),
			EventSource:        source,
			EventName:          c.Operation,
			AWSRegion:          region,
			SourceIPAddress:    c.SourceIP,
			UserAgent:          c.UserAgent,
			ErrorCode:          c.ErrorCode,
			ErrorMessage:       c.ErrorMessage,
			RequestParameters:  req,
			ResponseElements:   resp,
			RequestID:          c.RequestID,
			EventID:            id,
			ReadOnly:           c.ReadOnly,
			EventType:          EventTypeAPICall,
			ManagementEvent:    true,
			RecipientAccountID: tenant,
			EventCategory:      CategoryManagement,
			TLSDetails:         c.TLS,
		},
		Tenant: tenant,
		Time:   t.Truncate(time.Millisecond),
		Failed: c.ErrorCode != "",
	}
	e.User = e.Record.UserIdentity.PrincipalID // c.Caller.User(), without building userIdentity again
	// userIdentity, the time, source, name, region, IDs and the members' lengths take
	// about 260 bytes: sized so, a stored record is not copied to grow.
	size := 260 + len(req) + len(resp) + len(c.UserAgent) + len(c.SourceIP) + len(c.ErrorMessage) + len(c.ErrorCode)
	e.Stored = e.Record.appendStored(make([]byte, 0, size))
	return e, nil
}

// eventTime is formatTime(t), taken from the last second formatted when t is in it:
// calls come many to a second, so most events share their eventTime rather than each
// formatting (and allocating) one.
func eventTime(t time.Time) string {
	sec := t.Unix()
	if last := lastEventTime.Load(); last != nil && last.sec == sec {
		return last.text
	}
	text := formatTime(t)
	lastEventTime.Store(&formattedSecond{sec, text})
	return text
}

var lastEventTime atomic.Pointer[formattedSecond]

type formattedSecond struct {
	sec  int64 // t.Unix() of the second
	text string
}

// formatTime is t.Format(TimeFormat) of a UTC time, written digit by digit: the layout
// is not parsed again for every record.
func formatTime(t time.Time) string {
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format(TimeFormat)
	}
	h, mi, s := t.Clock()
	var b [len(TimeFormat)]byte
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[7], b[10], b[13], b[16], b[19] = '-', '-', 'T', ':', ':', 'Z'
	two := func(i, v int) { b[i], b[i+1] = byte('0'+v/10), byte('0'+v%10) }
	two(5, int(mo))
	two(8, d)
	two(11, h)
	two(14, mi)
	two(17, s)
	return string(b[:])
}

// element turns a Call's Request or Response into the record's JSON: null for nil,
// scrubbed, and Omitted when Scrub would not keep it (the call is still recorded).
func element(v any, sensitive []string) (json.RawMessage, error) {
	var raw []byte
	valid := false
	switch v := v.(type) {
	case nil:
		return nil, nil
	case Scrubbed:
		return json.RawMessage(v), nil
	case Encoded:
		return json.RawMessage(EncodedElement(v, sensitive...)), nil
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	default:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return nil, err
		}
		valid = true // encoding/json's output: no need to check it again
	}
	if len(raw) == 0 {
		return nil, nil
	}
	out, _ := scrubElement(raw, valid, sensitive)
	return out, nil
}

// Scrubbed is an element already scrubbed and capped (an Event's RequestParameters or
// ResponseElements, or Element's result): Build keeps it as it is. A call's second
// record (once answered) reuses the first one's request parameters this way.
type Scrubbed json.RawMessage

// Encoded is JSON that encoding/json wrote (a response body the faces marshalled):
// Build scrubs it without checking first that it is JSON.
type Encoded []byte

// Element is v (as a Call's Request or Response) scrubbed and capped, as Build puts it
// in a record: a write's response elements, stored after its event (Complete).
func Element(v any, sensitive ...string) (Scrubbed, error) {
	raw, err := element(v, sensitive)
	return Scrubbed(raw), err
}

// EncodedElement is Element of b, JSON that encoding/json wrote (Encoded), taken as
// bytes: a write's response is not made an interface value (an allocation) first.
func EncodedElement(b []byte, sensitive ...string) Scrubbed {
	if len(b) == 0 {
		return nil
	}
	out, _ := scrubElement(b, true, sensitive)
	return Scrubbed(out)
}

// NewUUID returns a random (version 4) UUID read from r, the form of CloudTrail's eventID.
func NewUUID(r io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("audit: event ID: %w", err)
	}
	return formatUUID(&b), nil
}

// RandomUUID is NewUUID(rand.Reader), with its bytes kept off the heap: crypto/rand.Read
// (unlike a read through io.Reader) lets them stay on the stack, and never fails.
func RandomUUID() string {
	var b [16]byte
	rand.Read(b[:])
	return formatUUID(&b)
}

func formatUUID(b *[16]byte) string {
	b[6] = 0x40 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// TLSFrom is the tlsDetails of a request that came over TLS (r.TLS and r.Host), or nil.
// tlsVersion is written as CloudTrail does ("TLSv1.3"); cipherSuite is Go's (IANA) name
// of the suite, where CloudTrail writes OpenSSL's (e.g. "ECDHE-RSA-AES128-GCM-SHA256").
func TLSFrom(cs *tls.ConnectionState, host string) *TLSDetails {
	if cs == nil {
		return nil
	}
	version := map[uint16]string{
		tls.VersionTLS10: "TLSv1", tls.VersionTLS11: "TLSv1.1",
		tls.VersionTLS12: "TLSv1.2", tls.VersionTLS13: "TLSv1.3",
	}[cs.Version]
	if version == "" {
		version = tls.VersionName(cs.Version)
	}
	return &TLSDetails{TLSVersion: version, CipherSuite: tls.CipherSuiteName(cs.CipherSuite), ClientProvidedHostHeader: host}
}
