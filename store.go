package rollcall

import (
	"context"
	"time"
)

// Store is durable storage for the directory. Implementations: store/sqlite (embedded
// default) and store/postgres (scale-out). Every implementation passes store/storetest.
//
// Business rules do not live here: a Store stores and finds, and turns driver errors into
// error kinds (a unique violation becomes Conflict, a missing row NotFound).
type Store interface {
	// Update runs fn in a read-write transaction and commits it. It returns only after the
	// commit is durable. If fn returns an error nothing fn wrote is kept. fn may run more
	// than once (a backend may retry on a serialization failure), so it must not have
	// effects outside tx.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is what fn of Store.Update and Store.View may do. Write methods return an Internal
// error in a View.
type Tx interface {
	// PutTenant inserts t, or updates the tenant with t.ID.
	PutTenant(t *Tenant) error
	// Tenant returns NotFound when there is no tenant id.
	Tenant(id string) (*Tenant, error)
	Tenants() ([]*Tenant, error)

	// PutAccessKey inserts k, or updates the key with k.ID.
	PutAccessKey(k *AccessKey) error
	// AccessKey returns NotFound when there is no key id.
	AccessKey(id string) (*AccessKey, error)

	// InsertAccessToken returns Conflict when the hash exists.
	InsertAccessToken(t *AccessToken) error
	// AccessToken returns NotFound when no token has that hash.
	AccessToken(hash string) (*AccessToken, error)
	DeleteAccessToken(hash string) error

	// InsertDirectory returns Conflict when d.ID exists.
	InsertDirectory(d *Directory) error
	// UpdateDirectory returns NotFound when d.ID does not exist.
	UpdateDirectory(d *Directory) error
	// Directory returns NotFound when there is no directory id.
	Directory(id string) (*Directory, error)
	// Directories lists a tenant's directories of one kind (all kinds when kind is ""),
	// ordered by ID, after the ID `after`, at most limit (0 = no limit).
	Directories(tenantID string, kind DirectoryKind, after string, limit int) ([]*Directory, error)
	// DeleteDirectory deletes the directory and everything in it. NotFound when absent.
	DeleteDirectory(id string) error

	// PutGroup inserts g, or updates the group (DirectoryID, ID). Conflict when another
	// group of the directory has the same non-empty Tag.
	PutGroup(g *Group) error
	// Group returns NotFound when the directory has no group id.
	Group(directoryID, id string) (*Group, error)
	// GroupByTag returns NotFound when the directory has no group tagged tag.
	GroupByTag(directoryID, tag string) (*Group, error)
	Groups(directoryID string) ([]*Group, error)

	// InsertUser returns Conflict when u.ID exists or the directory has a user with u.Key.
	InsertUser(u *User) error
	// UpdateUser returns NotFound when the user does not exist, Conflict when the new Key
	// is taken.
	UpdateUser(u *User) error
	// User returns NotFound when the directory has no user id.
	User(directoryID, id string) (*User, error)
	// UserByKey returns NotFound when the directory has no user with key.
	UserByKey(directoryID, key string) (*User, error)
	// Users lists users matching f, ordered by ID.
	Users(f UserFilter) ([]*User, error)
	// DeleteUser returns NotFound when the directory has no user id.
	DeleteUser(directoryID, id string) error

	// InsertIdempotency returns Conflict when (Scope, Token) exists.
	InsertIdempotency(r *IdempotencyRecord) error
	// Idempotency returns NotFound when there is no record.
	Idempotency(scope, token string) (*IdempotencyRecord, error)

	// InsertMessage queues m in the outbox; Conflict when m.ID exists.
	InsertMessage(m *Message) error
	// UpdateMessage returns NotFound when m.ID does not exist.
	UpdateMessage(m *Message) error
	Message(id string) (*Message, error)
	// Messages lists messages matching f, newest first.
	Messages(f MessageFilter) ([]*Message, error)

	// InsertInvitation returns Conflict when the ID or token hash exists.
	InsertInvitation(inv *Invitation) error
	// InvitationByTokenHash returns NotFound when no invitation has that hash.
	InvitationByTokenHash(hash string) (*Invitation, error)
	UpdateInvitation(inv *Invitation) error
}

// UserFilter selects users of one directory.
type UserFilter struct {
	DirectoryID string
	After       string // return users with ID greater than this
	Limit       int    // 0 = no limit
	Email       string // exact, lower-cased match when set
	UserType    string // exact match when set
}

// MessageFilter selects outbox messages.
type MessageFilter struct {
	TenantID string    // all tenants when ""
	Status   string    // all states when ""
	DueAt    time.Time // when set, only messages whose NextAttempt is at or before it
	Limit    int       // 0 = no limit
}
