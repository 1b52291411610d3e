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
	// Update runs Hooked(ctx, fn): the WriteHook ctx carries commits with fn's writes.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction that sees one consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// WriteProber is a Store that can tell whether it can still commit, for health checks:
// a store that answers reads may be unable to write (a full disk). ProbeWrite commits a
// small write that leaves nothing behind, through the path every Update takes, and
// returns that Update's error.
type WriteProber interface {
	ProbeWrite(ctx context.Context) error
}

// OneReadViewer is a Store that runs a View of exactly one read for less than a View:
// outside a transaction of its own (one statement sees one snapshot anyway), so in one
// round trip on a database server, or from a cache of the latest committed rows (which
// a View's several reads could not share). A second read in fn fails (Internal).
type OneReadViewer interface {
	ViewOne(ctx context.Context, fn func(Tx) error) error
}

// ViewOne runs fn, which makes exactly one read, through s's ViewOne when it has one
// (OneReadViewer), else its View: the lookup of a credential on every request.
func ViewOne(ctx context.Context, s Store, fn func(Tx) error) error {
	if o, ok := s.(OneReadViewer); ok {
		return o.ViewOne(ctx, fn)
	}
	return s.View(ctx, fn)
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

	// PutPrincipal inserts p, or updates the principal with p.ARN.
	PutPrincipal(p *Principal) error
	// Principal returns NotFound when there is no principal arn.
	Principal(arn string) (*Principal, error)
	// Principals lists a tenant's principals (every tenant's when tenantID is ""), by ARN.
	Principals(tenantID string) ([]*Principal, error)
	// DeletePrincipal returns NotFound when there is no principal arn.
	DeletePrincipal(arn string) error

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
	// DirectoriesNamed is Directories narrowed to those whose Name begins with prefix
	// (bytewise: case counts), read from the (tenant, kind, name) index: it reads the
	// directories with the prefix, not all of the tenant's. Only Unavailable or Internal.
	DirectoriesNamed(tenantID string, kind DirectoryKind, prefix, after string, limit int) ([]*Directory, error)
	// DeleteDirectoryRow deletes the directory id itself and nothing it holds: what a
	// directory's deletion removes is the core's decision (DeleteDirectory). NotFound
	// when absent.
	DeleteDirectoryRow(id string) error
	// DeleteDirectoryContents deletes every row of kind c whose DirectoryID is id (none
	// is not an error), and no other row. An unknown c is Internal.
	DeleteDirectoryContents(id string, c DirectoryContent) error

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
	// Users returns the users q selects, in q's order, after q.After, at most q.Limit. It
	// is answered from indexes (see UserQuery). Invalid when q cannot be run as asked
	// (a sort field the store does not know, a cursor that does not fit the order);
	// otherwise only Unavailable or Internal, never NotFound: a missing directory has no
	// users.
	Users(q UserQuery) ([]*User, error)
	// CountUsers is how many users q selects, ignoring its Sort, After and Limit. Errors
	// as for Users. It reads every match's index entry: its cost grows with the count.
	CountUsers(q UserQuery) (int, error)
	// DeleteUser returns NotFound when the directory has no user id.
	DeleteUser(directoryID, id string) error

	// InsertIdempotency returns Conflict when (Scope, Token) exists.
	InsertIdempotency(r *IdempotencyRecord) error
	// Idempotency returns NotFound when there is no record.
	Idempotency(scope, token string) (*IdempotencyRecord, error)
	// DeleteIdempotency deletes the record of (scope, token) if it was created before
	// createdBefore (none is not an error): an expired token's record, so the token can
	// be used anew.
	DeleteIdempotency(scope, token string, createdBefore time.Time) error
	// PurgeIdempotency deletes at most limit (at least 1) records of any scope created
	// before before, oldest first (SQLite: the expired among the limit written first),
	// and returns how many it deleted.
	PurgeIdempotency(before time.Time, limit int) (int, error)

	// InsertMessage queues m in the outbox; Conflict when m.ID exists.
	InsertMessage(m *Message) error
	// UpdateMessage returns NotFound when m.ID does not exist.
	UpdateMessage(m *Message) error
	Message(id string) (*Message, error)
	// Messages lists messages matching f, newest first.
	Messages(f MessageFilter) ([]*Message, error)
	// CountMessages is how many messages match f (f.Limit is ignored).
	CountMessages(f MessageFilter) (int, error)
	// OldestQueuedMessage is when the oldest message still queued was queued (its
	// CreatedAt), or the zero time when none is queued.
	OldestQueuedMessage() (time.Time, error)
	// ClaimMessages claims up to limit (at least 1) queued messages whose NextAttempt is
	// at or before now, the longest due first (ties by CreatedAt, then ID): in the same
	// transaction it moves their NextAttempt to now+lease and adds one to Attempts, and
	// returns them as changed. A claimed message is not claimed again before its lease
	// ends, so a dispatcher that dies mid-send leaves it to a later claim; concurrent
	// Updates (other replicas) never claim the same message.
	ClaimMessages(now time.Time, lease time.Duration, limit int) ([]*Message, error)

	// InsertInvitation returns Conflict when the ID or token hash exists.
	InsertInvitation(inv *Invitation) error
	// InvitationByTokenHash returns NotFound when no invitation has that hash.
	InvitationByTokenHash(hash string) (*Invitation, error)
	UpdateInvitation(inv *Invitation) error
	// UserInvitations lists every invitation of one user, by ID.
	UserInvitations(directoryID, userID string) ([]*Invitation, error)

	// InsertSession returns Conflict when s.Hash exists.
	InsertSession(s *Session) error
	// Session returns NotFound when no session has that hash.
	Session(hash string) (*Session, error)
	// UpdateSession returns NotFound when no session has s.Hash.
	UpdateSession(s *Session) error
	// DeleteSession returns NotFound when no session has that hash.
	DeleteSession(hash string) error

	// PurgeExpired deletes, at most c.Limit rows of each kind (0 = all): access tokens
	// and access keys whose ExpiresAt is set and at or before c.Now; sessions whose
	// ExpiresAt is at or before c.Now or whose LastSeenAt is at or before c.SessionsIdleSince;
	// invitations whose ExpiresAt is at or before c.InvitationsExpiredBy. It returns how
	// many rows it deleted.
	PurgeExpired(c PurgeCutoffs) (int, error)

	// DeleteContents deletes the rows of kind c that belong to tenant tenantID or, with
	// tenantID "", every row of kind c; and no other row (none is not an error). What a
	// reset removes, and in which order, is the core's decision (operator.Reset). A
	// tenant's rows are its tenant row, the rows whose TenantID is tenantID, the groups
	// of its directories (found through them: delete groups first), and the idempotency
	// records of its scopes (IdempotencyScope(any product, tenantID)). Deleting faults
	// bumps FaultsVersion, so every replica reloads its rules. Sessions belong to no
	// tenant: asking for a tenant's is Invalid. An unknown c is Internal.
	DeleteContents(c Content, tenantID string) error

	// Listings of everything, across tenants, for `rollcall export`: each returns every
	// row of its kind in the order of its key. AllUsers pages by ID (0 = no limit).
	AccessKeys() ([]*AccessKey, error)     // by ID
	AccessTokens() ([]*AccessToken, error) // by Hash
	AllDirectories() ([]*Directory, error) // by ID
	AllGroups() ([]*Group, error)          // by (DirectoryID, ID)
	AllUsers(after string, limit int) ([]*User, error)
	IdempotencyRecords() ([]*IdempotencyRecord, error) // by (Scope, Token)
	Invitations() ([]*Invitation, error)               // by ID

	// PutAuditEvent inserts e, or completes the event with e's (TenantID, Time, ID): sets
	// its Failed, ReadOnly and Record (an event's Name and Principal, those of its call,
	// never change).
	PutAuditEvent(e *AuditEvent) error
	// PutAuditResponse stores e.Response for the event with e's (TenantID, Time, ID),
	// replacing one stored before; AuditEvents returns it with the event, and
	// PurgeAuditEvents deletes it with the event.
	PutAuditResponse(e *AuditEvent) error
	// AuditEvents lists the events f selects, newest first.
	AuditEvents(f AuditFilter) ([]*AuditEvent, error)
	// PurgeAuditEvents deletes, oldest first, at most limit (at least 1) events of any
	// tenant whose Time is before before, and returns how many it deleted.
	PurgeAuditEvents(before time.Time, limit int) (int, error)

	// Settings are named values the replicas of one database share (the key that signs
	// pagination tokens). Setting returns NotFound when name is not set; InsertSetting
	// returns Conflict when it is. Settings lists them all, by name.
	Setting(name string) (string, error)
	InsertSetting(name, value string) error
	Settings() (map[string]string, error)

	FaultTx
}

// PurgeCutoffs says what Tx.PurgeExpired deletes.
type PurgeCutoffs struct {
	Now                  time.Time
	SessionsIdleSince    time.Time
	InvitationsExpiredBy time.Time
	Limit                int
}

// MessageFilter selects outbox messages.
type MessageFilter struct {
	TenantID string    // all tenants when ""
	Status   string    // all states when ""
	DueAt    time.Time // when set, only messages whose NextAttempt is at or before it
	Limit    int       // 0 = no limit
}

type detachedKey struct{}

// Detached returns ctx marked as a background writer's (the audit trail's): an Update
// made with it has no client waiting to send its next request once it is answered. A
// store that sizes its next batch by the callers it just answered (SQLite's writer,
// which waits for them to come back) leaves such an Update out of that count.
func Detached(ctx context.Context) context.Context {
	return context.WithValue(ctx, detachedKey{}, true)
}

// IsDetached reports whether ctx was made by Detached.
func IsDetached(ctx context.Context) bool {
	d, _ := ctx.Value(detachedKey{}).(bool)
	return d
}
