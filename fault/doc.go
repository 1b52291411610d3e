// Package fault injects faults into the AWS faces' requests, for testing clients' retry
// and idempotency logic: an Engine keeps the fault rules (rollcall.Fault) the store holds,
// and, as the faces' awsx.Injector, answers for each request whether a rule fires and
// what it does: the operation's throttling error, a 500 or 503 in the face's shape,
// added latency, a reset connection, or a reset after the handler has committed.
//
// Rules live in the store, so every replica applies them. Each replica caches them: a
// background loop reads the store's FaultsVersion every Every (250 ms) and reloads the
// rules when it has changed, so a rule created or deleted on one replica takes effect on
// the others within Every plus one read. With no rule, Inject is one atomic load and a
// length check. A firing is counted in the store (FireFault), in one statement that for
// a "next N calls" rule also takes one from its count, so N firings happen exactly N
// times across replicas; expiry is checked against the clock on every request.
//
// It imports the core, face/awsx (the Injector it implements) and the standard library;
// never a store, a face or a product package.
package fault
