package operator

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/workdocs"
)

func applyAccount(tx rollcall.Tx, a SeedAccount, now time.Time, newID func() string) error {
	if err := putTenant(tx, &rollcall.Tenant{ID: a.ID, Kind: rollcall.TenantAWS, Name: a.Name, CreatedAt: now}); err != nil {
		return err
	}
	if err := applyPrincipals(tx, a, now); err != nil {
		return err
	}
	for _, k := range a.AccessKeys {
		principal, err := seedKeyPrincipal(tx, a.ID, k)
		if err != nil {
			return err
		}
		if err := tx.PutAccessKey(&rollcall.AccessKey{ID: k.ID, Secret: k.Secret, TenantID: a.ID, CreatedAt: now, PrincipalARN: principal}); err != nil {
			return err
		}
	}
	for _, c := range a.ChimeAccounts {
		d := &rollcall.Directory{ID: c.ID, TenantID: a.ID, Kind: rollcall.DirChime, Name: c.Name, CreatedAt: now, UpdatedAt: now}
		attrs := chime.AccountAttrs{AccountType: cmp.Or(c.Type, chime.Team), AccountStatus: cmp.Or(c.Status, chime.Active),
			DefaultLicense: cmp.Or(c.DefaultLicense, chime.Pro), SupportedLicenses: slices.Clone(chime.Licenses)}
		// What the seed cannot declare belongs to the API: keep it.
		keep := func(old *rollcall.Directory) error {
			o, err := chime.AccountOf(old)
			attrs.DisableRemoteControl, attrs.EnableDialOut = o.Attrs.DisableRemoteControl, o.Attrs.EnableDialOut
			attrs.SigninDelegateGroups = o.Attrs.SigninDelegateGroups
			return err
		}
		if err := putDirectory(tx, d, keep, func() { chime.NewAccount(d, attrs) }); err != nil {
			return err
		}
	}
	for _, o := range a.WorkDocsOrganizations {
		if err := putDirectory(tx, &rollcall.Directory{ID: o.ID, TenantID: a.ID, Kind: rollcall.DirWorkDocs, Name: o.Name, CreatedAt: now, UpdatedAt: now}, nil, nil); err != nil {
			return err
		}
		for _, su := range o.Users {
			if err := applyWorkDocsUser(tx, a.ID, o.ID, su, now, newID()); err != nil {
				return err
			}
		}
	}
	return alexa.EnsureDirectory(tx, a.ID, now)
}

func applyBusiness(tx rollcall.Tx, b SeedBusiness, now time.Time) error {
	if err := putTenant(tx, &rollcall.Tenant{ID: b.ID, Kind: rollcall.TenantBusiness, Name: b.Name, CreatedAt: now}); err != nil {
		return err
	}
	d := &rollcall.Directory{ID: b.ID, TenantID: b.ID, Kind: rollcall.DirBusiness, Name: b.Name, CreatedAt: now, UpdatedAt: now}
	attrs := business.DirectoryAttrs{DefaultGroupID: b.DefaultGroup, DefaultRole: b.DefaultRole, ClientID: b.ClientID}
	if b.ClientSecret != "" {
		attrs.ClientSecretHash = rollcall.HashToken(b.ClientSecret)
	}
	business.SetDirectory(d, attrs)
	if err := putDirectory(tx, d, nil, nil); err != nil {
		return err
	}
	for _, g := range b.Groups {
		if err := tx.PutGroup(&rollcall.Group{ID: g.ID, DirectoryID: b.ID, Tag: g.Tag, Name: g.Name, CreatedAt: now}); err != nil {
			return err
		}
	}
	tokens := map[string]string{} // hash -> kind
	for _, t := range b.AccessTokens {
		tokens[rollcall.HashToken(t)] = rollcall.TokenAccess
	}
	for _, t := range b.RefreshTokens {
		tokens[rollcall.HashToken(t)] = rollcall.TokenRefresh
	}
	if b.ClientID != "" {
		tokens[rollcall.ClientKey(b.ClientID)] = rollcall.TokenClient
	}
	for hash, kind := range tokens {
		old, err := tx.AccessToken(hash)
		if err == nil {
			if old.DirectoryID != b.ID {
				return rollcall.Errorf(rollcall.Invalid, "business %s: a token or client ID is already used by another business", b.ID)
			}
			continue
		} else if !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		if err := tx.InsertAccessToken(&rollcall.AccessToken{Hash: hash, DirectoryID: b.ID, TenantID: b.ID, Kind: kind, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// putTenant inserts t or updates its name, keeping the original creation time.
func putTenant(tx rollcall.Tx, t *rollcall.Tenant) error {
	old, err := tx.Tenant(t.ID)
	switch {
	case err == nil:
		if old.Kind != t.Kind {
			return rollcall.Errorf(rollcall.Invalid, "tenant %s exists as a %s tenant", t.ID, old.Kind)
		}
		t.CreatedAt = old.CreatedAt
	case !rollcall.IsKind(err, rollcall.NotFound):
		return err
	}
	return tx.PutTenant(t)
}

// putDirectory inserts d or updates its name and settings, refusing to take over
// another tenant's directory. Before an update, keep (when set) takes what d keeps of
// the old directory; encode (when set) then writes d's settings into d.Attrs.
func putDirectory(tx rollcall.Tx, d *rollcall.Directory, keep func(old *rollcall.Directory) error, encode func()) error {
	old, err := tx.Directory(d.ID)
	if rollcall.IsKind(err, rollcall.NotFound) {
		if encode != nil {
			encode()
		}
		return tx.InsertDirectory(d)
	}
	if err != nil {
		return err
	}
	if old.TenantID != d.TenantID || old.Kind != d.Kind {
		return rollcall.Errorf(rollcall.Invalid, "directory %s belongs to another tenant or face", d.ID)
	}
	d.CreatedAt = old.CreatedAt
	if keep != nil {
		if err := keep(old); err != nil {
			return err
		}
	}
	if encode != nil {
		encode()
	}
	return tx.UpdateDirectory(d)
}

// applyWorkDocsUser creates a seeded WorkDocs user that does not exist; an existing one is
// left as is. A seeded user that was deleted is created again, as a new user: its ID is
// random, as every user's is, so tokens of the deleted one stay refused.
func applyWorkDocsUser(tx rollcall.Tx, accountID, orgID string, su SeedWorkDocsUser, now time.Time, id string) error {
	key := strings.ToLower(su.Username)
	if _, err := tx.UserByKey(orgID, key); !rollcall.IsKind(err, rollcall.NotFound) {
		return err
	}
	u := &rollcall.User{ID: id, DirectoryID: orgID, TenantID: accountID, Kind: rollcall.DirWorkDocs, Key: key,
		Email: su.Email, Username: su.Username, GivenName: su.GivenName, FamilyName: su.Surname,
		DisplayName: strings.TrimSpace(su.GivenName + " " + su.Surname), UserType: workdocs.TypeUser, Status: "ACTIVE",
		CreatedAt: now, UpdatedAt: now}
	if su.Admin {
		u.UserType = workdocs.TypeAdmin
	}
	return tx.InsertUser(workdocs.NewUser(u, workdocs.UserAttrs{StorageType: workdocs.Unlimited, Locale: "default"}))
}
