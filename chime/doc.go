// Package chime holds the rules of Amazon Chime accounts and users on the core: accounts
// and their licenses, users and their registration, suspension, invitations, settings and
// sign-in delegate groups. It owns their attributes (UserAttrs, AccountAttrs; attrs.go):
// the core carries them as documents it does not read, and the rules decode them once
// per request (User, Account) and encode them when they write; CreateUser, which needs
// only its account's default license, finds it in a cache keyed by the settings
// document (license.go). Face face/chime puts them on the wire.
//
// It imports the core (package rollcall), package invite (to queue invitations),
// internal/attrjson (to encode its documents) and the standard library. It never imports
// another product package (workdocs, alexa, business), a face, storage, or net/http.
package chime

import "github.com/rollcall/rollcall"

// Service is the Chime rules on a core Service.
type Service struct{ Core *rollcall.Service }

// New returns the Chime rules on core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
