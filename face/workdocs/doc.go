// Package workdocs is rollcall's Amazon WorkDocs face: the user operations of the
// WorkDocs API (2016-05-01), spoken as the official clients speak them: CreateUser,
// DescribeUsers, GetCurrentUser, UpdateUser, DeleteUser, ActivateUser and DeactivateUser.
//
// Wire protocol: AWS REST-JSON, routed on method and raw path (face.go), served through
// the AWS pipeline of package face/awsx; handlers return a value or an error. CreateUser is
// POST /api/v1/users with a JSON body and answers 201 with {"User": {...}}; DescribeUsers
// is GET /api/v1/users with its members in the query string; UpdateUser is PATCH
// /api/v1/users/{UserId}; DeleteUser and DeactivateUser answer 204 with no body. Timestamps
// are epoch seconds (JSON numbers). Errors carry the shape name in the X-Amzn-ErrorType
// header and {"Message": ...} in the body (EntityNotExistsException adds "EntityIds"), with
// the status of errors.go's table, toWire.
//
// A request is signed with SigV4 for the credential-scope service "workdocs" (an AWS
// account administers all of its organizations), or carries a user token in the
// Authentication header (issued by the admin API, checked by auth/token through the
// face's Tokens): the token acts as its user, and only
// an organization's ACTIVE ADMIN may manage its users. GetCurrentUser needs the token.
//
// DescribeUsers' Marker is a cursor sealed with package pagetoken and bound to the
// caller and the query, so a forged or foreign Marker is InvalidArgumentException.
//
// The face decodes requests strictly (exact member names, no duplicate names, valid
// UTF-8), checks every constraint of the service model, and hands the request to its
// product package (workdocs.Service), which owns organization lookup, authorization,
// uniqueness and paging, and hashes passwords through the core's gate. Sensitive members (passwords, names, queries, tokens) are
// never echoed in messages or written to the log.
//
// It imports the core (package rollcall), its product package workdocs, face/awsx, httpx,
// validate, pagetoken, iam (the names of its operations), the standard library
// and the JSON decoder httpx uses (for one raw member);
// never a store, another face or another product's package.
package workdocs
