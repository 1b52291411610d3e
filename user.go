package rollcall

import "time"

// User is one user of one directory. The common fields are columns every backend indexes;
// what only its product knows lives in Attrs, which the core does not read.
type User struct {
	ID          string
	DirectoryID string
	TenantID    string
	Kind        DirectoryKind
	// Key is what makes a user unique within its directory: the lower-cased email for
	// Chime and Amazon Business, the lower-cased username for WorkDocs, the UserId for
	// Alexa for Business.
	Key          string
	Email        string
	Username     string
	GivenName    string
	FamilyName   string
	DisplayName  string
	UserType     string // Chime: PrivateUser | SharedDevice; WorkDocs: USER | ADMIN | ...
	Status       string // Chime: Active | Suspended; WorkDocs: ACTIVE | INACTIVE | PENDING; Business: INVITED | ACTIVE
	PasswordHash string // argon2id for human passwords, sha256 for generated ones; never returned
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Attrs is the product's attribute document, a JSON object that only the user's
	// product reads and writes (chime.UserAttrs, workdocs.UserAttrs, ...); the core and
	// the stores keep it as it is. "" is none.
	Attrs string
	// ProductKeys are what the product derives from Attrs for its sorts and filters. The
	// product sets them whenever it sets Attrs; stores keep them in indexed columns and
	// return them with the user, and never derive them.
	ProductKeys ProductKeys
}
