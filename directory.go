package rollcall

import "time"

// DirectoryKind says which face a directory belongs to. Users live in directories and are
// unique by key within one.
type DirectoryKind string

const (
	DirChime    DirectoryKind = "chime"    // an Amazon Chime account
	DirWorkDocs DirectoryKind = "workdocs" // an Amazon WorkDocs organization
	DirAlexa    DirectoryKind = "a4b"      // the Alexa for Business users of one AWS account
	DirBusiness DirectoryKind = "business" // an Amazon Business account
)

// Directory is a container of users owned by a tenant: a Chime account, a WorkDocs
// organization, an AWS account's Alexa for Business users or an Amazon Business account.
type Directory struct {
	ID        string
	TenantID  string
	Kind      DirectoryKind
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Attrs is the product's settings of the directory, a JSON object that only its
	// product reads and writes (chime.AccountAttrs, ...), kept as it is. "" is none.
	Attrs string
}

// Group is a business group of an Amazon Business account.
type Group struct {
	ID          string // GroupId: generated unless configured
	DirectoryID string
	Tag         string // GroupTag: optional, unique within the directory
	Name        string
	CreatedAt   time.Time
}

// AlexaDirectoryID is the ID of the Alexa for Business directory of an AWS account. There
// is exactly one per account, so its ID is derived rather than stored elsewhere.
func AlexaDirectoryID(accountID string) string { return "a4b-" + accountID }

// DirectoryContent names a kind of row that lives in a directory (has its DirectoryID),
// for Tx.DeleteDirectoryContents.
type DirectoryContent string

const (
	DirectoryUsers        DirectoryContent = "users"
	DirectoryGroups       DirectoryContent = "groups"
	DirectoryInvitations  DirectoryContent = "invitations"
	DirectoryAccessTokens DirectoryContent = "access tokens"
)

// DirectoryCascade is what deleting a directory removes with it, decided here once for
// every store and every face: its users, its groups, its invitations (a link dies with
// its user) and its access tokens (they act on the directory). Its outbox messages stay:
// they are the record of what was sent, and a message still queued is still delivered.
// Idempotency records stay too: they are scoped by tenant, not directory.
var DirectoryCascade = []DirectoryContent{DirectoryUsers, DirectoryGroups, DirectoryInvitations, DirectoryAccessTokens}

// DeleteDirectory deletes the directory id and what it holds (DirectoryCascade) in tx,
// so all of it goes or, if tx fails, none. NotFound when there is no directory id, and
// then nothing is deleted.
func DeleteDirectory(tx Tx, id string) error {
	if err := tx.DeleteDirectoryRow(id); err != nil {
		return err
	}
	for _, c := range DirectoryCascade {
		if err := tx.DeleteDirectoryContents(id, c); err != nil {
			return err
		}
	}
	return nil
}
