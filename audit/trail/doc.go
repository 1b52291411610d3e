// Package trail records rollcall's audit trail: it turns each API call the request
// pipeline serves into an audit.Event and stores it through the core's Store.
//
// A call's event reaches the store by one of two paths:
//   - a write's, inside the write's own transaction: Begin sets the call's write hook in
//     the place Middleware put in the request's context (a rollcall.WriteHooker, so the
//     request is not copied again), and every Store.Update made with that context runs it after
//     the Update's own writes, before the commit. The hook Puts the call's event
//     (request, caller, success), so a write that commits has its event and a write that
//     rolls back has none;
//   - once the call is answered, Finish queues what is left for a background writer that
//     stores the queue in batches, many per transaction: for a write that succeeded, only
//     its response elements, scrubbed, as a row of their own (PutAuditResponse; the event
//     is not written twice); for a write whose call then failed, an event with the error,
//     which replaces the one its transaction wrote (same tenant, time and event ID); a
//     failed call's and a read's (unless reads are off) event, written only this way.
//
// It imports the core, audit and the standard library; never a face, storage or a
// product package (architecture_test.go checks it). face/awsx and the admin and Login
// with Amazon faces call Begin, Identify and Finish; cmd wires the Trail in with
// Middleware.
package trail
