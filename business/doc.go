// Package business holds the rules of Amazon Business account holders on the core:
// createBusinessUserAccount with its groups, roles and invitation. It owns the holders'
// and the businesses' attributes (UserAttrs, DirectoryAttrs; attrs.go), which the core
// carries as documents it does not read. Face face/amazonbusiness puts them on the wire.
//
// It imports the core (package rollcall), package invite (to queue invitations),
// internal/attrjson (to encode its documents) and the standard library. It never imports
// another product package (chime, workdocs, alexa), a face, storage, or net/http.
package business

import "github.com/rollcall/rollcall"

// Service is the Amazon Business rules on a core Service.
type Service struct{ Core *rollcall.Service }

// New returns the Amazon Business rules on core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
