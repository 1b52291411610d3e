// Package alexaforbusiness is rollcall's Alexa for Business face: CreateUser and its
// companions SearchUsers, DeleteUser, TagResource, UntagResource and ListTags (on user
// ARNs), and the enrollment operations SendInvitation, RevokeInvitation,
// PutInvitationConfiguration and GetInvitationConfiguration, of the Alexa for Business API
// (2017-11-09), spoken as the official clients speak them.
//
// Wire protocol: AWS JSON 1.1. Every operation is POST / with the header
// X-Amz-Target: AlexaForBusiness.<Operation> and Content-Type application/x-amz-json-1.1,
// signed with SigV4 for the credential-scope service "a4b". Responses are JSON with
// Content-Type application/x-amz-json-1.1; errors are {"__type": <shape>, "message": ...}
// with the status of errors.go's table, toWire. Requests go through the AWS pipeline of
// package face/awsx (content type, body, SigV4, tenant, throttle); handlers return a value
// or an error.
//
// The face decodes the request strictly (exact member names, no duplicate names, valid
// UTF-8), checks every constraint of the API reference page (CreateUser) or the service
// model (the others), and hands the request to its product package (alexa.Service:
// CreateUser, SearchUsers, DeleteUser, ...), which owns uniqueness, idempotency, tenant
// scoping and pagination order. NextTokens are cursors sealed with package pagetoken,
// bound to the account and the query.
//
// For IAM it tells the pipeline what each request names (iam.go): the user's ARN, the
// tags it sets, and a lookup of the user's tags.
//
// It imports the core (package rollcall), its product package alexa, face/awsx, iam, httpx,
// validate, pagetoken and the standard library; never a store, another face or another product's package.
package alexaforbusiness
