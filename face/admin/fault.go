package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// The fault-injection endpoints (package fault):
//
//	GET    /_rollcall/faults          list the rules, with how often each fired
//	POST   /_rollcall/faults          create a rule (FaultJSON, without id and counts)
//	DELETE /_rollcall/faults/{id}     delete a rule

// FaultJSON is a rule on the wire, for the API and its clients (rollcall admin). Count
// is the "next N calls" count left (absent: no count); Header is "Name=value".
type FaultJSON struct {
	ID          string     `json:"id,omitempty"`
	Face        string     `json:"face"`
	Operation   string     `json:"operation"`
	Tenant      string     `json:"tenant,omitempty"`
	AccessKey   string     `json:"accessKey,omitempty"`
	Header      string     `json:"header,omitempty"`
	Action      string     `json:"action"`
	LatencyMs   int64      `json:"latencyMs,omitempty"`
	Probability float64    `json:"probability"`
	Count       *int       `json:"count,omitempty"`
	TTLSeconds  int64      `json:"ttlSeconds,omitempty"` // on create: expiresAt = now + ttl
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	Fired       int64      `json:"fired"`
	Active      bool       `json:"active"`
	CreatedAt   time.Time  `json:"createdAt"`
}

// faultOf is a rule as the admin API and the console show it.
func faultOf(f *rollcall.Fault, now time.Time) FaultJSON {
	out := FaultJSON{ID: f.ID, Face: f.Face, Operation: f.Operation, Tenant: f.TenantID, AccessKey: f.AccessKeyID,
		Action: string(f.Action), LatencyMs: f.Latency.Milliseconds(), Probability: f.Probability, Fired: f.Fired,
		Active: f.Live(now), CreatedAt: f.CreatedAt}
	if f.HeaderName != "" {
		out.Header = f.HeaderName + "=" + f.HeaderValue
	}
	if f.Limited {
		n := f.Remaining
		out.Count = &n
	}
	if !f.ExpiresAt.IsZero() {
		t := f.ExpiresAt
		out.ExpiresAt = &t
	}
	return out
}

// faultRoutes serves the paths above; it reports false for any other path.
func (f *Face) faultRoutes(w http.ResponseWriter, r *http.Request, path string) bool {
	id, isRule := strings.CutPrefix(path, "faults/")
	switch {
	case path == "faults" && r.Method == http.MethodGet:
		f.listFaults(w, r)
	case path == "faults" && r.Method == http.MethodPost:
		f.createFault(w, r)
	case isRule && id != "" && !strings.Contains(id, "/") && r.Method == http.MethodDelete:
		f.deleteFault(w, r, id)
	default:
		return false
	}
	return true
}

func (f *Face) faultsReady(w http.ResponseWriter, r *http.Request) bool {
	if f.Faults == nil {
		writeError(w, r, http.StatusNotFound, "not_found", "Fault injection is not set up on this server.")
		return false
	}
	return true
}

func (f *Face) listFaults(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "ListFaults")
	if !f.faultsReady(w, r) {
		return
	}
	fs, err := f.Faults.Rules(r.Context())
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	now := time.Now()
	out := make([]FaultJSON, 0, len(fs))
	for _, rule := range fs {
		out = append(out, faultOf(rule, now))
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"faults": out, "injected": f.Faults.Injected()})
}

func (f *Face) createFault(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "CreateFault")
	if !f.faultsReady(w, r) {
		return
	}
	body, ok := readBody(w, r, 64<<10)
	if !ok {
		return
	}
	var req FaultJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", "The rule is not valid JSON: "+err.Error()+".")
		return
	}
	rule, msg := req.rule(time.Now())
	if msg != "" {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", msg)
		return
	}
	if err := f.Faults.Create(r.Context(), rule); err != nil {
		writeKindError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, "application/json", faultOf(rule, time.Now()))
}

// rule is the rule req asks for, or why it cannot be one. The Engine checks the rest.
func (req *FaultJSON) rule(now time.Time) (*rollcall.Fault, string) {
	if req.ID != "" || req.Fired != 0 || req.Active {
		return nil, "id, fired and active are the server's to set."
	}
	rule := &rollcall.Fault{Face: req.Face, Operation: req.Operation, TenantID: req.Tenant, AccessKeyID: req.AccessKey,
		Action: rollcall.FaultAction(req.Action), Latency: time.Duration(req.LatencyMs) * time.Millisecond,
		Probability: req.Probability}
	if rule.Probability == 0 {
		rule.Probability = 1
	}
	if req.Header != "" {
		name, value, ok := strings.Cut(req.Header, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, "header must be name=value."
		}
		rule.HeaderName, rule.HeaderValue = http.CanonicalHeaderKey(name), value
	}
	if req.Count != nil {
		rule.Limited, rule.Remaining = true, *req.Count
	}
	switch {
	case req.TTLSeconds != 0 && req.ExpiresAt != nil:
		return nil, "give ttlSeconds or expiresAt, not both."
	case req.TTLSeconds < 0:
		return nil, "ttlSeconds must be positive."
	case req.TTLSeconds > 0:
		rule.ExpiresAt = now.Add(time.Duration(req.TTLSeconds) * time.Second).UTC().Truncate(time.Millisecond)
	case req.ExpiresAt != nil:
		rule.ExpiresAt = req.ExpiresAt.UTC().Truncate(time.Millisecond)
	}
	return rule, ""
}

func (f *Face) deleteFault(w http.ResponseWriter, r *http.Request, id string) {
	httpx.Annotate(r, "admin", "DeleteFault")
	if !f.faultsReady(w, r) {
		return
	}
	if err := f.Faults.Delete(r.Context(), id); err != nil {
		writeKindError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
