// Package workdocs holds the rules of Amazon WorkDocs organizations and users on the
// core: who may act in an organization, CreateUser with its password hash, the user's
// lifecycle (update, activate, deactivate, delete) and DescribeUsers. It owns the users'
// attributes (UserAttrs; attrs.go): the core carries them as documents it does not read,
// and the storage limit and use DescribeUsers sorts by reach the store as the keys put
// computes (rollcall.ProductKeys). Face face/workdocs puts them on the wire.
//
// It imports the core (package rollcall), package invite (its invitation Rules),
// internal/attrjson (to encode its documents) and the standard library. It never imports
// another product package (chime, alexa, business), a face, storage, or net/http.
package workdocs

import "github.com/rollcall/rollcall"

// Service is the WorkDocs rules on a core Service.
type Service struct{ Core *rollcall.Service }

// New returns the WorkDocs rules on core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
