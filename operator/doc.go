// Package operator is what the operator of a rollcall server does over every tenant: the
// admin API's and the console's reads (tenants, directories, users, the outbox), removing
// a user, seeding (the --init file and the dev defaults), reset to what is declared and
// snapshots, health checks and the purge of expired rows. Faces face/admin and face/web put it on the wire; cmd/rollcall seeds and
// purges with it.
//
// The operator sees each product's attributes as its product decodes them (Attributes,
// Settings), without what is not the operator's to read.
//
// It imports the core (package rollcall), the product packages (whose directories a seed
// declares, and whose attributes it shows), auth/token (whose token readers it gives:
// TokenAttrs) and the standard library. No product package imports it. It never imports
// a face, storage, or net/http.
package operator

import "github.com/rollcall/rollcall"

// Service is the operator's view of a core Service.
type Service struct {
	Core *rollcall.Service
	// Declared is what a reset brings the store back to, applied in order: the dev
	// defaults when they are on, then the --init file. cmd sets it.
	Declared []Seed
}

// New returns the operator's view of core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
