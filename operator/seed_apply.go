package rollcall

import (
	"strings"
	"time"
)

func applyAccount(tx Tx, a SeedAccount, now time.Time, newID func() string) error {
	if err := putTenant(tx, &Tenant{ID: a.ID, Kind: TenantAWS, Name: a.Name, CreatedAt: now}); err != nil {
		return err
	}
	for _, k := range a.AccessKeys {
		if err := tx.PutAccessKey(&AccessKey{ID: k.ID, Secret: k.Secret, TenantID: a.ID, CreatedAt: now}); err != nil {
			return err
		}
	}
	for _, c := range a.ChimeAccounts {
		d := &Directory{ID: c.ID, TenantID: a.ID, Kind: DirChime, Name: c.Name, CreatedAt: now, UpdatedAt: now,
			Attrs: DirectoryAttrs{AccountType: c.Type, AccountStatus: c.Status, DefaultLicense: c.DefaultLicense, SupportedLicenses: []string{"Basic", "Pro"}}}
		if d.Attrs.DefaultLicense == "" {
			d.Attrs.DefaultLicense = "Pro"
		}
		if d.Attrs.AccountType == "" {
			d.Attrs.AccountType = ChimeTeam
		}
		if d.Attrs.AccountStatus == "" {
			d.Attrs.AccountStatus = "Active"
		}
		if err := putDirectory(tx, d); err != nil {
			return err
		}
	}
	for _, o := range a.WorkDocsOrganizations {
		if err := putDirectory(tx, &Directory{ID: o.ID, TenantID: a.ID, Kind: DirWorkDocs, Name: o.Name, CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		for _, su := range o.Users {
			if err := applyWorkDocsUser(tx, a.ID, o.ID, su, now, newID()); err != nil {
				return err
			}
		}
	}
	return ensureAlexaDirectory(tx, a.ID, now)
}

func applyBusiness(tx Tx, b SeedBusiness, now time.Time) error {
	if err := putTenant(tx, &Tenant{ID: b.ID, Kind: TenantBusiness, Name: b.Name, CreatedAt: now}); err != nil {
		return err
	}
	d := &Directory{ID: b.ID, TenantID: b.ID, Kind: DirBusiness, Name: b.Name, CreatedAt: now, UpdatedAt: now,
		Attrs: DirectoryAttrs{DefaultGroupID: b.DefaultGroup, DefaultRole: b.DefaultRole, ClientID: b.ClientID}}
	if b.ClientSecret != "" {
		d.Attrs.ClientSecretHash = HashToken(b.ClientSecret)
	}
	if err := putDirectory(tx, d); err != nil {
		return err
	}
	for _, g := range b.Groups {
		if err := tx.PutGroup(&Group{ID: g.ID, DirectoryID: b.ID, Tag: g.Tag, Name: g.Name, CreatedAt: now}); err != nil {
			return err
		}
	}
	tokens := map[string]string{} // hash -> kind
	for _, t := range b.AccessTokens {
		tokens[HashToken(t)] = TokenAccess
	}
	for _, t := range b.RefreshTokens {
		tokens[HashToken(t)] = TokenRefresh
	}
	if b.ClientID != "" {
		tokens[ClientKey(b.ClientID)] = TokenClient
	}
	for hash, kind := range tokens {
		old, err := tx.AccessToken(hash)
		if err == nil {
			if old.DirectoryID != b.ID {
				return Errorf(Invalid, "business %s: a token or client ID is already used by another business", b.ID)
			}
			continue
		} else if !IsKind(err, NotFound) {
			return err
		}
		if err := tx.InsertAccessToken(&AccessToken{Hash: hash, DirectoryID: b.ID, TenantID: b.ID, Kind: kind, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// putTenant inserts t or updates its name, keeping the original creation time.
func putTenant(tx Tx, t *Tenant) error {
	old, err := tx.Tenant(t.ID)
	switch {
	case err == nil:
		if old.Kind != t.Kind {
			return Errorf(Invalid, "tenant %s exists as a %s tenant", t.ID, old.Kind)
		}
		t.CreatedAt = old.CreatedAt
	case !IsKind(err, NotFound):
		return err
	}
	return tx.PutTenant(t)
}

// putDirectory inserts d or updates its name and settings, refusing to take over
// another tenant's directory.
func putDirectory(tx Tx, d *Directory) error {
	old, err := tx.Directory(d.ID)
	if IsKind(err, NotFound) {
		return tx.InsertDirectory(d)
	}
	if err != nil {
		return err
	}
	if old.TenantID != d.TenantID || old.Kind != d.Kind {
		return Errorf(Invalid, "directory %s belongs to another tenant or face", d.ID)
	}
	d.CreatedAt = old.CreatedAt
	// What the seed cannot declare belongs to the API: keep it.
	d.Attrs.DisableRemoteControl, d.Attrs.EnableDialOut = old.Attrs.DisableRemoteControl, old.Attrs.EnableDialOut
	d.Attrs.SigninDelegateGroups, d.Attrs.Invitation = old.Attrs.SigninDelegateGroups, old.Attrs.Invitation
	return tx.UpdateDirectory(d)
}

// applyWorkDocsUser creates a seeded WorkDocs user that does not exist; an existing one is
// left as is. A seeded user that was deleted is created again, as a new user: its ID is
// random, as every user's is, so tokens of the deleted one stay refused.
func applyWorkDocsUser(tx Tx, accountID, orgID string, su SeedWorkDocsUser, now time.Time, id string) error {
	key := strings.ToLower(su.Username)
	if _, err := tx.UserByKey(orgID, key); !IsKind(err, NotFound) {
		return err
	}
	u := &User{ID: id, DirectoryID: orgID, TenantID: accountID, Kind: DirWorkDocs, Key: key,
		Email: su.Email, Username: su.Username, GivenName: su.GivenName, FamilyName: su.Surname,
		DisplayName: strings.TrimSpace(su.GivenName + " " + su.Surname), UserType: WorkDocsUser, Status: "ACTIVE",
		CreatedAt: now, UpdatedAt: now}
	if su.Admin {
		u.UserType = WorkDocsAdmin
	}
	u.Attrs.StorageType = WorkDocsUnlimited
	u.Attrs.Locale = "default"
	return tx.InsertUser(u)
}
