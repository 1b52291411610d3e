package rollcall

import (
	"math"
	"strings"
	"time"
)

// FaultAction is what a fault rule does to a request it matches.
type FaultAction string

const (
	FaultThrottle     FaultAction = "throttle"      // the operation's own throttling error
	FaultInternal     FaultAction = "error500"      // a 500 in the face's shape
	FaultUnavailable  FaultAction = "error503"      // a 503 in the face's shape
	FaultLatency      FaultAction = "latency"       // wait Latency, then serve normally
	FaultReset        FaultAction = "reset"         // reset the connection, unserved
	FaultLoseResponse FaultAction = "lose-response" // serve (and commit), then reset the connection
)

// FaultActions are the actions a rule may have, in the order the docs list them.
var FaultActions = []FaultAction{FaultThrottle, FaultInternal, FaultUnavailable, FaultLatency, FaultReset, FaultLoseResponse}

// AllOperations is a rule's Operation when it matches every operation of its face.
const AllOperations = "*"

// MaxFaultLatency bounds a latency rule's wait.
const MaxFaultLatency = 5 * time.Minute

// Fault is a fault-injection rule: requests to Face's Operation (AllOperations for
// all), from Tenant, signed with AccessKeyID and carrying header HeaderName:
// HeaderValue (each optional: "" matches any), get Action with Probability, while
// the rule lives: until ExpiresAt (zero: no expiry) and, when Limited, for Remaining
// more requests. Fired counts the requests it acted on. Rules live in the store, so
// every replica applies them.
type Fault struct {
	ID          string
	Face        string // "chime", "workdocs", "alexaforbusiness", "amazonbusiness"
	Operation   string // the face's operation name, or AllOperations
	TenantID    string
	AccessKeyID string
	HeaderName  string
	HeaderValue string
	Action      FaultAction
	Latency     time.Duration // FaultLatency's wait, to the millisecond
	Probability float64       // in (0, 1]
	Limited     bool          // Remaining counts down; the rule fires no more at 0
	Remaining   int
	Fired       int64
	ExpiresAt   time.Time
	CreatedAt   time.Time
}

// Live reports whether f can still fire at now.
func (f *Fault) Live(now time.Time) bool {
	if !f.ExpiresAt.IsZero() && !now.Before(f.ExpiresAt) {
		return false
	}
	return !f.Limited || f.Remaining > 0
}

// Left is Remaining for a Limited rule, nil for one without a count (a store's NULL).
func (f *Fault) Left() *int {
	if !f.Limited {
		return nil
	}
	n := f.Remaining
	return &n
}

// Check validates what a rule says apart from its face and operation, whose names the
// faces own. It returns an Invalid error naming the member at fault.
func (f *Fault) Check(now time.Time) error {
	switch {
	case f.Face == "":
		return Errorf(Invalid, "face is required")
	case f.Operation == "":
		return Errorf(Invalid, "operation is required (%q for all)", AllOperations)
	case !validAction(f.Action):
		return Errorf(Invalid, "action %q is not one of %s", f.Action, actionList())
	case f.Action == FaultLatency && (f.Latency <= 0 || f.Latency > MaxFaultLatency):
		return Errorf(Invalid, "a latency rule needs latencyMs from 1 to %d", MaxFaultLatency.Milliseconds())
	case f.Action != FaultLatency && f.Latency != 0:
		return Errorf(Invalid, "latencyMs is for the latency action only")
	case math.IsNaN(f.Probability) || f.Probability <= 0 || f.Probability > 1:
		return Errorf(Invalid, "probability must be greater than 0 and at most 1")
	case f.Limited && f.Remaining < 1:
		return Errorf(Invalid, "count must be at least 1")
	case (f.HeaderName == "") != (f.HeaderValue == ""):
		return Errorf(Invalid, "header must be name=value")
	case !f.ExpiresAt.IsZero() && !f.ExpiresAt.After(now):
		return Errorf(Invalid, "expiresAt must be in the future")
	}
	return nil
}

func validAction(a FaultAction) bool {
	for _, v := range FaultActions {
		if a == v {
			return true
		}
	}
	return false
}

func actionList() string {
	s := make([]string, len(FaultActions))
	for i, a := range FaultActions {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// FaultTx is the part of Tx that keeps fault rules.
type FaultTx interface {
	// InsertFault returns Conflict when f.ID exists. It bumps FaultsVersion.
	InsertFault(f *Fault) error
	// Faults lists every rule, by ID.
	Faults() ([]*Fault, error)
	// DeleteFault returns NotFound when there is no rule id. It bumps FaultsVersion.
	DeleteFault(id string) error
	// FireFault counts one firing of rule id, in one statement: it adds one to Fired
	// and, for a Limited rule, takes one from Remaining, but only while Remaining is
	// above 0. It reports false, changing nothing, for a spent or missing rule, so
	// concurrent Updates (other replicas) fire a Limited rule exactly Remaining times.
	FireFault(id string) (bool, error)
	// FaultsVersion changes whenever a rule is inserted or deleted: a replica that
	// caches the rules reloads them when it changes.
	FaultsVersion() (int64, error)
}
