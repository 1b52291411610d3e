package metrics

import (
	"net/http"
	"strconv"
)

// Other is the label value recorded for any value outside its known set.
const Other = "other"

// Auth schemes, the scheme label of rollcall_auth_failures_total.
const (
	SchemeSigV4   = "sigv4"   // an AWS Signature Version 4 (header or presigned query)
	SchemeToken   = "token"   // a bearer token: WorkDocs Authentication, Amazon Business x-amz-access-token
	SchemeAdmin   = "admin"   // the admin API's token
	SchemeSession = "session" // the console's session cookie
	SchemeClient  = "client"  // client credentials or a grant at the Login with Amazon token endpoint
)

var schemes = []string{SchemeSigV4, SchemeToken, SchemeAdmin, SchemeSession, SchemeClient}

// DefaultAuthReasons are the reasons an authentication fails, as the core names them
// (rollcall.Reason* and the OAuth error codes of the token endpoint). Config.AuthReasons
// replaces them.
var DefaultAuthReasons = []string{
	"missing-authentication", "malformed-authentication", "unknown-key", "signature-mismatch",
	"request-expired", "expired-token", "invalid-token", "wrong-scope", "unsupported-algorithm",
	"not-administrator", "cross-site",
	"invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_request",
}

// Outcomes of one attempt to send an outbox message, the outcome label of
// rollcall_outbox_send_duration_seconds.
const (
	SendSent   = "sent"   // the relay accepted it
	SendRetry  = "retry"  // it failed and will be tried again after a backoff
	SendFailed = "failed" // it failed for good: a permanent refusal or its last attempt
)

var sendOutcomes = []string{SendSent, SendRetry, SendFailed}

// Results of following an invitation link, the result label of
// rollcall_invitation_acceptances_total. The refusals are the core's reasons.
const (
	AcceptAccepted  = "accepted"
	AcceptUsed      = "invitation-used"
	AcceptExpired   = "invitation-expired"
	AcceptRevoked   = "invitation-revoked"
	AcceptWithdrawn = "invitation-withdrawn"
	AcceptNotFound  = "not-found"
)

var acceptResults = []string{AcceptAccepted, AcceptUsed, AcceptExpired, AcceptRevoked, AcceptWithdrawn, AcceptNotFound}

// FaultActions are the actions of fault-injection rules (package fault), the action label
// of rollcall_faults_injected_total.
var FaultActions = []string{"throttle", "error500", "error503", "latency", "reset", "lose-response"}

// Outbox message states, the status label of rollcall_outbox_messages.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	StatusFailed = "failed"
)

// set maps the known values of one label to themselves; anything else is Other.
type set map[string]string

func newSet(values ...string) set {
	s := make(set, len(values))
	for _, v := range values {
		s[v] = v
	}
	return s
}

func (s set) label(v string) string {
	if l, ok := s[v]; ok {
		return l
	}
	return Other
}

// Status codes: a code net/http names is its own label ("201"); another code from 100 to
// 599 is its class ("4xx"); anything else is Other. codeIndex maps a code to its dense
// index in codeLabels, so a per-operation array holds one cached series per label.
var (
	codeLabels []string
	codeIndex  [600]uint8 // 0 is Other
)

func init() {
	codeLabels = append(codeLabels, Other)
	var class [6]uint8
	for c := 100; c < 600; c++ {
		if http.StatusText(c) != "" {
			codeIndex[c] = uint8(len(codeLabels))
			codeLabels = append(codeLabels, strconv.Itoa(c))
			continue
		}
		if class[c/100] == 0 {
			class[c/100] = uint8(len(codeLabels))
			codeLabels = append(codeLabels, strconv.Itoa(c/100)+"xx")
		}
		codeIndex[c] = class[c/100]
	}
}

func codeSlot(code int) int {
	if code < 0 || code >= len(codeIndex) {
		return 0
	}
	return int(codeIndex[code])
}
