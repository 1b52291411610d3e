package sqlite

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall"
)

// Every InsertUser and UpdateUser encodes a UserAttrs on the writer goroutine, which
// all writes wait for; encoding/json's reflection costs a few microseconds there. So
// UserAttrs has a hand-written encoder that writes what encoding/json would (the same
// names, omitempty), which encoding/json reads back. It is used only while UserAttrs
// has exactly the fields it knows (checked by reflection at start-up): when the core
// adds one, encoding falls back to encoding/json until the encoder learns it, and
// TestUserAttrsEncoder says so.

// userAttrsFields is the shape appendUserAttrs knows: field name, type and JSON tag.
var userAttrsFields = []struct {
	name string
	typ  reflect.Type
	tag  string
}{
	{"LicenseType", reflect.TypeFor[string](), "licenseType,omitempty"},
	{"InvitationStatus", reflect.TypeFor[string](), "invitationStatus,omitempty"},
	{"RegistrationStatus", reflect.TypeFor[string](), "registrationStatus,omitempty"},
	{"InvitedOn", reflect.TypeFor[*time.Time](), "invitedOn,omitempty"},
	{"RegisteredOn", reflect.TypeFor[*time.Time](), "registeredOn,omitempty"},
	{"PersonalPIN", reflect.TypeFor[string](), "personalPin,omitempty"},
	{"A4BEnabled", reflect.TypeFor[bool](), "a4bEnabled,omitempty"},
	{"A4BRoomArn", reflect.TypeFor[string](), "a4bRoomArn,omitempty"},
	{"Telephony", reflect.TypeFor[*rollcall.ChimeTelephony](), "telephony,omitempty"},
	{"RootFolderID", reflect.TypeFor[string](), "rootFolderId,omitempty"},
	{"RecycleBinFolderID", reflect.TypeFor[string](), "recycleBinFolderId,omitempty"},
	{"TimeZoneID", reflect.TypeFor[string](), "timeZoneId,omitempty"},
	{"Locale", reflect.TypeFor[string](), "locale,omitempty"},
	{"StorageType", reflect.TypeFor[string](), "storageType,omitempty"},
	{"StorageAllocatedInBytes", reflect.TypeFor[*int64](), "storageAllocatedInBytes,omitempty"},
	{"StorageUtilizedInBytes", reflect.TypeFor[int64](), "storageUtilizedInBytes,omitempty"},
	{"TokenEpoch", reflect.TypeFor[int64](), "tokenEpoch,omitempty"},
	{"Arn", reflect.TypeFor[string](), "arn,omitempty"},
	{"Tags", reflect.TypeFor[[]rollcall.Tag](), "tags,omitempty"},
	{"EnrollmentStatus", reflect.TypeFor[string](), "enrollmentStatus,omitempty"},
	{"EnrollmentInvitation", reflect.TypeFor[string](), "enrollmentInvitation,omitempty"},
	{"GroupID", reflect.TypeFor[string](), "groupId,omitempty"},
	{"Role", reflect.TypeFor[string](), "role,omitempty"},
	{"Region", reflect.TypeFor[string](), "region,omitempty"},
	{"SuppressNotifications", reflect.TypeFor[[]string](), "suppressNotifications,omitempty"},
}

// fastUserAttrs reports whether appendUserAttrs knows UserAttrs as it is.
var fastUserAttrs = func() bool {
	ut := reflect.TypeFor[rollcall.UserAttrs]()
	if ut.NumField() != len(userAttrsFields) {
		return false
	}
	for i, f := range userAttrsFields {
		sf := ut.Field(i)
		if sf.Name != f.name || sf.Type != f.typ || sf.Tag.Get("json") != f.tag {
			return false
		}
	}
	tt := reflect.TypeFor[rollcall.Tag]()
	pt := reflect.TypeFor[rollcall.ChimeTelephony]()
	return tt.NumField() == 2 && tt.Field(0).Tag.Get("json") == "key" && tt.Field(1).Tag.Get("json") == "value" &&
		pt.NumField() == 3 && pt.Field(0).Tag.Get("json") == "inboundCalling" && pt.Field(1).Tag.Get("json") == "outboundCalling" &&
		pt.Field(2).Tag.Get("json") == "sms"
}()

// userAttrsJSON encodes a with its times in UTC to the millisecond.
func userAttrsJSON(a *rollcall.UserAttrs) (string, error) {
	if fastUserAttrs && jsonTime(a.InvitedOn) && jsonTime(a.RegisteredOn) {
		var buf [512]byte
		return string(appendUserAttrs(buf[:0], a)), nil
	}
	c := *a
	c.InvitedOn, c.RegisteredOn = normTime(c.InvitedOn), normTime(c.RegisteredOn)
	b, err := json.Marshal(&c)
	return string(b), err
}

// jsonTime reports whether t is one the fast encoder writes as encoding/json would;
// encoding/json refuses years outside 0-9999.
func jsonTime(t *time.Time) bool {
	if t == nil {
		return true
	}
	y := fromMillis(t.UnixMilli()).Year()
	return y >= 0 && y <= 9999
}

// attrsEncoder writes a JSON object field by field.
type attrsEncoder struct {
	b     []byte
	first bool
}

func (e *attrsEncoder) key(name string) {
	if !e.first {
		e.b = append(e.b, ',')
	}
	e.first = false
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

func (e *attrsEncoder) str(name, v string) {
	if v != "" {
		e.key(name)
		e.b = appendJSONString(e.b, v)
	}
}

// time writes t in UTC, to the millisecond (see codec.go).
func (e *attrsEncoder) time(name string, t *time.Time) {
	if t != nil {
		e.key(name)
		e.b = append(e.b, '"')
		e.b = fromMillis(t.UnixMilli()).AppendFormat(e.b, time.RFC3339Nano)
		e.b = append(e.b, '"')
	}
}

func (e *attrsEncoder) int(name string, v int64) {
	if v != 0 {
		e.key(name)
		e.b = strconv.AppendInt(e.b, v, 10)
	}
}

// list writes n items as an array, each by item(i); none writes nothing.
func (e *attrsEncoder) list(name string, n int, item func(i int)) {
	if n == 0 {
		return
	}
	e.key(name)
	e.b = append(e.b, '[')
	for i := range n {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		item(i)
	}
	e.b = append(e.b, ']')
}

func appendUserAttrs(b []byte, a *rollcall.UserAttrs) []byte {
	e := attrsEncoder{b: append(b, '{'), first: true}
	e.str("licenseType", a.LicenseType)
	e.str("invitationStatus", a.InvitationStatus)
	e.str("registrationStatus", a.RegistrationStatus)
	e.time("invitedOn", a.InvitedOn)
	e.time("registeredOn", a.RegisteredOn)
	e.str("personalPin", a.PersonalPIN)
	if a.A4BEnabled {
		e.key("a4bEnabled")
		e.b = append(e.b, "true"...)
	}
	e.str("a4bRoomArn", a.A4BRoomArn)
	if t := a.Telephony; t != nil {
		e.key("telephony")
		e.b = strconv.AppendBool(append(e.b, `{"inboundCalling":`...), t.InboundCalling)
		e.b = strconv.AppendBool(append(e.b, `,"outboundCalling":`...), t.OutboundCalling)
		e.b = strconv.AppendBool(append(e.b, `,"sms":`...), t.SMS)
		e.b = append(e.b, '}')
	}
	e.str("rootFolderId", a.RootFolderID)
	e.str("recycleBinFolderId", a.RecycleBinFolderID)
	e.str("timeZoneId", a.TimeZoneID)
	e.str("locale", a.Locale)
	e.str("storageType", a.StorageType)
	if a.StorageAllocatedInBytes != nil {
		e.key("storageAllocatedInBytes")
		e.b = strconv.AppendInt(e.b, *a.StorageAllocatedInBytes, 10)
	}
	e.int("storageUtilizedInBytes", a.StorageUtilizedInBytes)
	e.int("tokenEpoch", a.TokenEpoch)
	e.str("arn", a.Arn)
	e.list("tags", len(a.Tags), func(i int) {
		e.b = appendJSONString(append(e.b, `{"key":`...), a.Tags[i].Key)
		e.b = appendJSONString(append(e.b, `,"value":`...), a.Tags[i].Value)
		e.b = append(e.b, '}')
	})
	e.str("enrollmentStatus", a.EnrollmentStatus)
	e.str("enrollmentInvitation", a.EnrollmentInvitation)
	e.str("groupId", a.GroupID)
	e.str("role", a.Role)
	e.str("region", a.Region)
	e.list("suppressNotifications", len(a.SuppressNotifications), func(i int) {
		e.b = appendJSONString(e.b, a.SuppressNotifications[i])
	})
	return append(e.b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, byte for byte as encoding/json does:
// quotes, backslashes, control characters, U+2028, U+2029 and <, >, & escaped, invalid
// UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
