// Package mail delivers the outbox: it renders a queued rollcall.Message as an RFC 5322
// email (multipart/alternative, text and HTML), sends it over SMTP (STARTTLS when the
// relay offers it, implicit TLS for smtps://, AUTH PLAIN), and runs the Dispatcher that
// claims due messages from the Store, sends them and records the outcome with backoff
// and a bounded number of attempts.
//
// Delivery is at least once: a replica that dies between sending and recording leaves
// the message to be claimed again when its lease ends, and it is sent again with the same
// Message-ID (derived from the message's ID), so a receiver can drop the duplicate.
//
// It imports the core and github.com/emersion/go-smtp (with its go-sasl); never a face,
// a store or net/http.
// Only cmd/rollcall wires it in.
package mail
