package operator

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/workdocs"
)

// The operator's view of the products' attributes, which the core carries without
// reading: each product decodes its own, and what is not the operator's to read is left
// out.

// TokenAttrs are the products' readers auth/token needs (cmd gives them to token.New).
var TokenAttrs = token.Attrs{TokenEpoch: workdocs.TokenEpoch, ClientSecretHash: business.ClientSecretHash}

// Attributes is u's attributes as its product keeps them (JSON-encodable), without a
// Chime user's personal PIN: the user's, shown through Chime to the account's admin only.
func Attributes(u *rollcall.User) (any, error) {
	switch u.Kind {
	case rollcall.DirChime:
		cu, err := chime.UserOf(u)
		cu.Attrs.PersonalPIN = ""
		return cu.Attrs, err
	case rollcall.DirWorkDocs:
		wu, err := workdocs.UserOf(u)
		return wu.Attrs, err
	case rollcall.DirAlexa:
		au, err := alexa.UserOf(u)
		return au.Attrs, err
	case rollcall.DirBusiness:
		bu, err := business.UserOf(u)
		return bu.Attrs, err
	}
	return struct{}{}, nil
}

// Settings is d's settings as its product keeps them (JSON-encodable), without a
// business's client secret hash (a hash of a secret is still not the operator's to
// read), and the business's default group ("" for other directories).
func Settings(d *rollcall.Directory) (settings any, defaultGroup string, err error) {
	switch d.Kind {
	case rollcall.DirChime:
		a, err := chime.AccountOf(d)
		return a.Attrs, "", err
	case rollcall.DirAlexa:
		a, err := alexa.DirectoryOf(d)
		return a, "", err
	case rollcall.DirBusiness:
		a, err := business.DirectoryOf(d)
		a.ClientSecretHash = ""
		return a, a.DefaultGroupID, err
	}
	return struct{}{}, "", nil
}
