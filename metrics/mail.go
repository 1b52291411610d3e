package metrics

import "time"

// ObserveSend records one attempt to send an outbox message: its outcome (SendSent,
// SendRetry, SendFailed) and how long the attempt took.
func (m *Metrics) ObserveSend(outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.sends.WithLabelValues(m.sendOutcomes.label(outcome)).Observe(d.Seconds())
}

// InvitationAcceptance records an invitation link followed to its end: AcceptAccepted,
// or the reason it was refused (AcceptExpired, AcceptUsed, ...).
func (m *Metrics) InvitationAcceptance(result string) {
	if m == nil {
		return
	}
	m.acceptances.WithLabelValues(m.acceptResult.label(result)).Inc()
}
