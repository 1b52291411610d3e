// Package workdocs is rollcall's Amazon WorkDocs face: the CreateUser operation of the
// WorkDocs API (2016-05-01), spoken as the official clients speak it.
//
// Wire protocol: AWS REST-JSON. CreateUser is POST /api/v1/users with a JSON body, signed
// with SigV4 for the credential-scope service "workdocs"; it answers 201 with
// {"User": {...}}, timestamps as epoch seconds (JSON numbers). Errors carry the shape name
// in the X-Amzn-ErrorType header and {"Message": ...} in the body, with the status of
// errors.go's table.
//
// WorkDocs also accepts a user token in the Authentication header. rollcall does not
// issue such tokens yet: a request that carries one and no SigV4 signature has the token's
// length checked and is then refused with UnauthorizedOperationException.
//
// The face decodes the request strictly (exact member names, no duplicate names, valid
// UTF-8), checks every constraint of the API reference page, and hands the request to
// rollcall.Service.CreateWorkDocsUser, which owns the organization lookup, uniqueness and
// password hashing. Sensitive members (the password, and what the service model marks
// sensitive) are never echoed in messages or written to the log.
//
// It imports the core (package rollcall), httpx, validate, the standard library and the
// JSON decoder httpx uses (for one raw member); never a storage package and never another
// face.
package workdocs
