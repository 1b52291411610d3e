// Package alexa holds the rules of Alexa for Business users on the core: CreateUser with
// its idempotency, SearchUsers, DeleteUser, tags, and enrollment (SendInvitation,
// RevokeInvitation and the invitation's template). It owns the users' and the
// directory's attributes (UserAttrs, DirectoryAttrs; attrs.go): the core carries them as
// documents it does not read, and the enrollment status SearchUsers filters and sorts by
// reaches the store as the key put computes (rollcall.ProductKeys). Face
// face/alexaforbusiness puts them on the wire.
//
// It imports the core (package rollcall), package invite (to queue enrollment
// invitations), internal/attrjson (to encode its documents), internal/jsonstr (to
// fingerprint a CreateUser for its idempotency) and the standard library. It
// never imports another product package (chime, workdocs, business), a face, storage, or
// net/http.
package alexa

import "github.com/rollcall/rollcall"

// Service is the Alexa for Business rules on a core Service.
type Service struct{ Core *rollcall.Service }

// New returns the Alexa for Business rules on core.
func New(core *rollcall.Service) *Service { return &Service{Core: core} }
