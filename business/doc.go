// Package business holds the rules of Amazon Business account holders on the core:
// createBusinessUserAccount with its groups, roles and invitation. Face
// face/amazonbusiness puts them on the wire.
//
// It imports the core (package rollcall) and package invite (to queue invitations), and
// the standard library. It never imports another product package (chime, workdocs,
// alexa), a face, storage, or net/http.
package business

import "github.com/rollcall/rollcall"

// Service is the Amazon Business rules on a core Service.
type Service struct{ Core *rollcall.Service }

// New returns the Amazon Business rules on core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
