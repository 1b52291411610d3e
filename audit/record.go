package audit

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/rollcall/rollcall/internal/jsonstr"
)

// EventVersion is the version of CloudTrail's record format rollcall writes: "The current
// version is 1.11" (CloudTrail User Guide, "CloudTrail record contents for management,
// data, and network activity events", eventVersion;
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
// Readers are told to compare the major version for equality and the minor version with
// greater-or-equal, so a record without a field added after 1.0x still parses.
const EventVersion = "1.11"

// TimeFormat is eventTime's layout: UTC, to the second, as CloudTrail writes it
// (e.g. "2014-03-06T21:22:54Z" in the guide's log file examples).
const TimeFormat = "2006-01-02T15:04:05Z"

// The constant values of the fields every record of an API call carries.
const (
	EventTypeAPICall   = "AwsApiCall" // eventType: "An API was called."
	CategoryManagement = "Management" // eventCategory of a management event
)

// Record is one CloudTrail record: the JSON field names, order and shape of CloudTrail's
// record contents (see EventVersion for the page). Fields CloudTrail marks optional are
// omitted when empty; requestParameters and responseElements are always present, null
// when there are none, as in CloudTrail's own records (a read's responseElements is null).
type Record struct {
	EventVersion        string          `json:"eventVersion"`
	UserIdentity        UserIdentity    `json:"userIdentity"`
	EventTime           string          `json:"eventTime"`
	EventSource         string          `json:"eventSource"`
	EventName           string          `json:"eventName"`
	AWSRegion           string          `json:"awsRegion"`
	SourceIPAddress     string          `json:"sourceIPAddress"`
	UserAgent           string          `json:"userAgent"`
	ErrorCode           string          `json:"errorCode,omitempty"`
	ErrorMessage        string          `json:"errorMessage,omitempty"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData,omitempty"`
	RequestID           string          `json:"requestID"`
	EventID             string          `json:"eventID"`
	ReadOnly            bool            `json:"readOnly"`
	EventType           string          `json:"eventType"`
	ManagementEvent     bool            `json:"managementEvent"`
	RecipientAccountID  string          `json:"recipientAccountId"`
	EventCategory       string          `json:"eventCategory"`
	TLSDetails          *TLSDetails     `json:"tlsDetails,omitempty"`
}

// Time is the record's eventTime, or an error if it is not in TimeFormat.
func (r *Record) Time() (time.Time, error) {
	return time.Parse(TimeFormat, r.EventTime)
}

// UserIdentity is CloudTrail's userIdentity element (CloudTrail User Guide, "CloudTrail
// userIdentity element",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html):
// type, principalId, arn, accountId, accessKeyId, userName, sessionContext for temporary
// credentials, and identityProvider for web identity federation. See Identity for what
// rollcall writes for each kind of caller.
type UserIdentity struct {
	Type             string          `json:"type"`
	PrincipalID      string          `json:"principalId,omitempty"`
	ARN              string          `json:"arn,omitempty"`
	AccountID        string          `json:"accountId,omitempty"`
	AccessKeyID      string          `json:"accessKeyId,omitempty"`
	UserName         string          `json:"userName,omitempty"`
	IdentityProvider string          `json:"identityProvider,omitempty"`
	SessionContext   *SessionContext `json:"sessionContext,omitempty"`
}

// SessionContext is userIdentity.sessionContext: present when the request was made with
// temporary credentials. attributes.creationDate is when they were issued;
// sessionIssuer says how they were obtained (an assumed role).
type SessionContext struct {
	SessionIssuer       *SessionIssuer       `json:"sessionIssuer,omitempty"`
	WebIDFederationData *WebIDFederationData `json:"webIdFederationData,omitempty"`
	Attributes          *SessionAttributes   `json:"attributes,omitempty"`
}

// SessionAttributes is sessionContext.attributes. CloudTrail writes mfaAuthenticated as
// the string "true" or "false".
type SessionAttributes struct {
	CreationDate     string `json:"creationDate"`
	MFAAuthenticated string `json:"mfaAuthenticated"`
}

// SessionIssuer is sessionContext.sessionIssuer.
type SessionIssuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// WebIDFederationData is sessionContext.webIdFederationData: the identity provider
// (federatedProvider) and the attributes it reported.
type WebIDFederationData struct {
	FederatedProvider string            `json:"federatedProvider"`
	Attributes        map[string]string `json:"attributes"`
}

// TLSDetails is the record's tlsDetails (since eventVersion 1.08): the TLS version, cipher
// suite and the Host header of a request that came over TLS. See TLSFrom.
type TLSDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

// MarshalJSON encodes the record byte for byte as encoding/json would, by hand: Build encodes a record for every call, and reflection, with a second pass over
// requestParameters and responseElements, was most of its cost.
func (r *Record) MarshalJSON() ([]byte, error) {
	return r.appendJSON(make([]byte, 0, 512+len(r.RequestParameters)+len(r.ResponseElements))), nil
}

func (r *Record) appendJSON(b []byte) []byte { return r.appendJSONWith(b, nil) }

// appendJSONWith is appendJSON with userIdentity already encoded (nil: r's).
func (r *Record) appendJSONWith(b, identity []byte) []byte {
	b = append(b, `{"eventVersion":`...)
	b = jsonstr.Append(b, r.EventVersion)
	b = append(b, `,"userIdentity":`...)
	if identity != nil {
		b = append(b, identity...)
	} else {
		b = r.UserIdentity.appendJSON(b)
	}
	b = appendFields(b, "eventTime", r.EventTime, "eventSource", r.EventSource, "eventName", r.EventName,
		"awsRegion", r.AWSRegion, "sourceIPAddress", r.SourceIPAddress, "userAgent", r.UserAgent)
	b = appendOptionals(b, "errorCode", r.ErrorCode, "errorMessage", r.ErrorMessage)
	b = appendRaw(b, "requestParameters", r.RequestParameters, false)
	b = appendRaw(b, "responseElements", r.ResponseElements, false)
	b = appendRaw(b, "additionalEventData", r.AdditionalEventData, true)
	b = appendFields(b, "requestID", r.RequestID, "eventID", r.EventID)
	b = append(b, `,"readOnly":`...)
	b = strconv.AppendBool(b, r.ReadOnly)
	b = appendField(b, "eventType", r.EventType)
	b = append(b, `,"managementEvent":`...)
	b = strconv.AppendBool(b, r.ManagementEvent)
	b = appendFields(b, "recipientAccountId", r.RecipientAccountID, "eventCategory", r.EventCategory)
	if t := r.TLSDetails; t != nil {
		b = append(b, `,"tlsDetails":{"tlsVersion":`...)
		b = jsonstr.Append(b, t.TLSVersion)
		b = appendFields(b, "cipherSuite", t.CipherSuite, "clientProvidedHostHeader", t.ClientProvidedHostHeader)
		b = append(b, '}')
	}
	return append(b, '}')
}

func (u *UserIdentity) appendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = jsonstr.Append(b, u.Type)
	b = appendOptionals(b, "principalId", u.PrincipalID, "arn", u.ARN, "accountId", u.AccountID,
		"accessKeyId", u.AccessKeyID, "userName", u.UserName, "identityProvider", u.IdentityProvider)
	if u.SessionContext != nil {
		sc, _ := json.Marshal(u.SessionContext) // strings and a map of strings: cannot fail
		b = appendRaw(b, "sessionContext", sc, false)
	}
	return append(b, '}')
}

func appendName(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func appendField(b []byte, name, v string) []byte {
	return jsonstr.Append(appendName(b, name), v)
}

// appendFields appends string members, given as name, value, name, value, ...
func appendFields(b []byte, members ...string) []byte {
	for i := 0; i+1 < len(members); i += 2 {
		b = appendField(b, members[i], members[i+1])
	}
	return b
}

// appendOptionals is appendFields for members left out when empty (omitempty).
func appendOptionals(b []byte, members ...string) []byte {
	for i := 0; i+1 < len(members); i += 2 {
		if members[i+1] != "" {
			b = appendField(b, members[i], members[i+1])
		}
	}
	return b
}

// appendRaw appends a member holding JSON that is already valid and compact; nil is null.
func appendRaw(b []byte, name string, v json.RawMessage, omitEmpty bool) []byte {
	if len(v) == 0 && omitEmpty {
		return b
	}
	if b = appendName(b, name); len(v) == 0 {
		return append(b, "null"...)
	}
	return append(b, v...)
}
