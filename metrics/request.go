package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// faceOps holds one face's known operations; other is its slot for an unknown operation.
type faceOps struct {
	ops   map[string]*opSlot
	other *opSlot
}

// opSlot is one (face, operation) pair with a cached histogram child per status-code
// label, made at first use so that only the pairs that happen become series.
type opSlot struct {
	face, op string
	byCode   []atomic.Pointer[observer]
}

type observer struct{ prometheus.Observer }

func (m *Metrics) indexOperations(ops map[string][]string) {
	m.faces = make(map[string]*faceOps, len(ops))
	for face, names := range ops {
		f := &faceOps{ops: make(map[string]*opSlot, len(names)), other: newSlot(face, Other)}
		for _, op := range names {
			f.ops[op] = newSlot(face, op)
		}
		m.faces[face] = f
	}
	m.otherFace = newSlot(Other, Other)
}

func newSlot(face, op string) *opSlot {
	return &opSlot{face: face, op: op, byCode: make([]atomic.Pointer[observer], len(codeLabels))}
}

// slot returns the slot of (face, op): Other for a face or an operation not in
// Config.Operations.
func (m *Metrics) slot(face, op string) *opSlot {
	f, ok := m.faces[face]
	if !ok {
		return m.otherFace
	}
	if s, ok := f.ops[op]; ok {
		return s
	}
	return f.other
}

// ObserveRequest records one answered API request: its face and operation (as the
// request log names them), the status code it was answered with, and how long it took.
// It runs on every request: it takes no lock and allocates nothing once the series
// exists.
func (m *Metrics) ObserveRequest(face, op string, code int, d time.Duration) {
	if m == nil {
		return
	}
	s := m.slot(face, op)
	i := codeSlot(code)
	o := s.byCode[i].Load()
	if o == nil {
		o = &observer{m.requests.WithLabelValues(s.face, s.op, codeLabels[i])}
		s.byCode[i].Store(o) // a racing store holds the same child: either is right
	}
	o.Observe(d.Seconds())
}

// AuthFailure records a request refused because its credentials did not authenticate:
// the face it came to, the scheme it used (SchemeSigV4, SchemeToken, ...) and the
// reason (one of Config.AuthReasons, e.g. "signature-mismatch").
func (m *Metrics) AuthFailure(face, scheme, reason string) {
	if m == nil {
		return
	}
	m.authFailures.WithLabelValues(m.faceLabel(face), m.schemes.label(scheme), m.reasons.label(reason)).Inc()
}

// RateLimited records a request refused by a per-tenant rate limit.
func (m *Metrics) RateLimited(face, op string) {
	if m == nil {
		return
	}
	s := m.slot(face, op)
	m.rateLimited.WithLabelValues(s.face, s.op).Inc()
}

// FaultInjected records a fault a fault-injection rule injected; it is package fault's
// Counter.
func (m *Metrics) FaultInjected(face, op, action string) {
	if m == nil {
		return
	}
	s := m.slot(face, op)
	m.faultsInjected.WithLabelValues(s.face, s.op, m.faultActions.label(action)).Inc()
}

func (m *Metrics) faceLabel(face string) string {
	if _, ok := m.faces[face]; ok {
		return face
	}
	return Other
}
