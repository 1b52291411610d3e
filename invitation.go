package rollcall

import "time"

// Invitation lets an invitee set a password or accept. Only the SHA-256 of its token is
// kept; the token itself travels only in the invitation's link.
type Invitation struct {
	ID          string
	TokenHash   string
	TenantID    string
	DirectoryID string
	UserID      string
	ExpiresAt   time.Time
	UsedAt      *time.Time
	CreatedAt   time.Time
}

// The invitation rule: no invitation survives the state that made it valid. Every path
// that suspends, deactivates or deletes a user (any face, the admin API) calls
// EndInvitations (or DeleteUser) in the same transaction, and acceptance (package invite)
// re-checks the user in its own transaction. A product adding a way to suspend or remove
// users, or a new kind of invitation, uses these two.

// EndInvitations ends every pending invitation of u at now: its link answers "expired"
// from then on, and unsuspending or reactivating u does not revive it.
func EndInvitations(tx Tx, u *User, now time.Time) error {
	invs, err := tx.UserInvitations(u.DirectoryID, u.ID)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.UsedAt != nil || !now.Before(inv.ExpiresAt) {
			continue
		}
		inv.ExpiresAt = now
		if err := tx.UpdateInvitation(inv); err != nil {
			return err
		}
	}
	return nil
}

// DeleteUser ends u's invitations and deletes u.
func DeleteUser(tx Tx, u *User, now time.Time) error {
	if err := EndInvitations(tx, u, now); err != nil {
		return err
	}
	return tx.DeleteUser(u.DirectoryID, u.ID)
}
