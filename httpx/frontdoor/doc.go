// Package frontdoor holds what stands in front of the HTTP handlers: the limits a real
// AWS front door sets on a request's header and URL, and a check of each request's
// framing on the raw connection, where Go's net/http cannot be asked.
//
// It imports the standard library only.
package frontdoor
