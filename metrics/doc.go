// Package metrics holds every Prometheus series rollcall exports, and the handler that
// serves them.
//
// A *Metrics owns its own prometheus.Registry (never the global one), so tests and several
// servers in one process do not collide. Call sites use its typed methods (ObserveRequest,
// AuthFailure, RateLimited, ObserveCommit, ...); a nil *Metrics is a valid no-op, so a
// server without metrics needs no ifs. Gauges that describe state kept elsewhere (the
// writer queue, the outbox, the password-hash queue) are read at scrape time through
// callbacks the owner hands in with the Watch methods.
//
// Label cardinality is bounded here, not at the call sites: every label value comes from
// a set fixed when the Metrics is made (the faces and operations of Config.Operations,
// status codes, auth schemes and reasons, send outcomes, acceptance results). A value
// outside its set is recorded as "other", so no user ID, email, tenant ID or
// attacker-chosen string ever becomes a series.
//
// It imports the standard library and the Prometheus client only: no face, no storage,
// no core package. The core, the store and the faces report to it through the methods of
// a *Metrics that cmd hands them, or through callbacks cmd registers.
package metrics
