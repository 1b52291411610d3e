// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on loopback for
// tests, and records what arrives over the wire. It also parses what arrived.
//
// It imports the standard library and github.com/emersion/go-smtp (with its go-sasl)
// only; only tests import it.
package mailtest
