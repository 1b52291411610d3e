// Package amazonbusiness is rollcall's Amazon Business User Management API v1 (version
// 2021-08-30): createBusinessUserAccount, POST /businessAccounts/2021-08-30/businessUserAccount.
//
// Amazon Business is not an AWS-signed API. A caller authenticates with a Login with
// Amazon access token in the x-amz-access-token header (the authenticator New is given:
// auth/token's BusinessAuthenticator); a SigV4 Authorization header, if one is sent, is
// ignored. Requests go through the AWS pipeline of package face/awsx like the AWS faces',
// with the token checked before the body is read; errors.go's toWire is the face's one
// error table. Requests and responses are plain JSON, errors are an ErrorList:
//
//	{"errors":[{"code":"INVALID_REQUEST_PARAMETER","message":"The required request parameter is missing: accountHolder."}]}
//
// Every response carries x-amzn-RequestId (set by httpx.Middleware); the 201, 400 and 404
// responses also carry x-amzn-RateLimit-Limit, as the reference page lists them.
//
// Where the reference page is silent, the face decides as follows (each choice is tested):
//
//   - Order of checks: the access token first (403: it does not depend on the body), then
//     Content-Type (415), then the body's size (413), then JSON (400), then the members
//     (400), then the rules of package business (400, 404).
//   - Content-Type must be application/json; a charset parameter is allowed when it is
//     UTF-8 (JSON is UTF-8), other parameters are ignored. Anything else, or none: 415.
//   - groupId and role may be left out (the page marks them required, but its description
//     says the business's default group and role apply unless they are given); with no
//     default, package business answers 400 naming the missing parameter.
//   - accountHolder.email is at most 254 characters, a bare address that net/mail parses
//     to itself (no display name, comment, quoting or surrounding space) and whose domain
//     has at least two non-empty dot-separated labels. givenName and familyName are 1 to 256 characters, not blank, without control
//     characters. groupId.id is 1 to 256 characters, not blank. Characters are counted in
//     UTF-16 code units, as the other faces count them.
//   - Enums (role, region, groupId.idType, notificationTypesToSuppress) are case-sensitive.
//   - Every member that fails is reported, each as its own entry of the ErrorList, in the
//     order accountHolder, groupId, role, region, notificationTypesToSuppress.
//   - An email already used in the caller's business (ignoring case) is 400
//     INVALID_REQUEST_PARAMETER: the page says the email must not be associated with an
//     existing account and lists no 409.
//   - Other methods on the operation's path: 405 METHOD_NOT_ALLOWED with Allow: POST.
//     Other paths under /businessAccounts/: 404 RESOURCE_NOT_FOUND.
//
// Error codes: INVALID_REQUEST_PARAMETER (400), ACCESS_DENIED (403), RESOURCE_NOT_FOUND
// (404), METHOD_NOT_ALLOWED (405), REQUEST_TOO_LARGE (413), UNSUPPORTED_MEDIA_TYPE (415),
// TOO_MANY_REQUESTS (429), INTERNAL_FAILURE (500), SERVICE_UNAVAILABLE (503).
//
// The package imports the core (package rollcall), its product package business,
// face/awsx, httpx, ratelimit, validate and the standard library; never a store, another face or another product's package.
package amazonbusiness
