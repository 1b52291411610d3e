// Package awsx is the one request pipeline of rollcall's AWS faces (Chime, WorkDocs,
// Alexa for Business, Amazon Business): it checks the request's site, reads the body
// under a limit, authenticates the caller with the face's authenticator (SigV4, a
// WorkDocs Authentication token, an Amazon Business access token), records the tenant,
// throttles per tenant and operation (a refused credential and a throttled request are
// recorded in the request's httpx.Info, for metrics), runs the face's own checks of the
// request once the caller is known (Ready: Chime's query and path IDs), evaluates the
// caller's IAM policies (iam.go: the operation's action and resource from iam's tables,
// the request's condition keys; a denial is a Failure in the face's denial shape with
// AWS's message), runs the handler, and writes what the handler returns: a Response, or an
// error that the face's own error table (Errors) turns into its wire form (a body that is
// a JSONAppender writes its own JSON, as json.Marshal would, without reflection: the
// bodies of the operations that run most). It logs every
// error's cause with the face and operation, with the
// request's secrets (signature, session token, WorkDocs token, access token) scrubbed
// out. Each call is recorded in the audit trail (audit/trail): the caller, request,
// response or error name and message, its write event in the write's transaction.
//
// An authenticator that names a caller from a cache, unconfirmed (TentativeAuthenticator:
// Amazon Business tokens on PostgreSQL), has it confirmed inside the handler's Updates
// on the success path, and by its lookup before anything else is answered, written or
// recorded (tentative.go), so a caller the lookup refuses gets its refusal and nothing
// else.
//
// Before the handler it asks the face's Injector (package fault), if any, for a fault:
// a delay, an error for the face's table to word, or a hang-up (Hangup) instead of the
// response, before the handler runs (a reset) or after it has committed (a lost
// response).
//
// A handler reads its request with Decode: the body decoded strictly, then checked by
// the request type's own rules, which turn it into the core's input.
//
// Wording is the faces' business: each face's table owns its statuses, error names and
// messages. awsx carries neutral failures to it (ErrUnreadable, httpx.ErrTooLarge), and
// holds only what every AWS service words alike: the Failure a face raises in its own
// terms, AWS's common authentication messages (MsgSignatureMismatch, AuthFallback), the
// REST-JSON and JSON 1.1 error bodies, and RequestErrors, which puts the failures of
// reading and checking a request into the shapes a face names.
//
// It imports the core (Caller, error kinds and reasons), httpx, validate, ratelimit, iam,
// audit/trail and the standard library; never a store, a product package, auth or a face.
package awsx
