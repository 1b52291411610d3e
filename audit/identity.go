package audit

import "time"

// IdentityKind is how a caller authenticated.
type IdentityKind int

const (
	// Unauthenticated: no credential was accepted (a bad signature, an unknown key or
	// token). AccessKeyID names the key the request claimed, if any.
	Unauthenticated IdentityKind = iota
	// AccessKey: a SigV4 request with an access key (Chime, WorkDocs, Alexa for Business).
	AccessKey
	// BusinessToken: an Amazon Business access token (x-amz-access-token).
	BusinessToken
	// WorkDocsToken: a WorkDocs user's Authentication token.
	WorkDocsToken
	// Admin: the admin token of /_rollcall/.
	Admin
)

// AdminPrincipal is the principalId and userName of the admin API's caller.
const AdminPrincipal = "rollcall-admin"

// LoginWithAmazon is the identityProvider of Amazon Business callers: their access tokens
// come from Login with Amazon, which CloudTrail names www.amazon.com.
const LoginWithAmazon = "www.amazon.com"

// Identity is who made a call, as auth resolved it. The record's userIdentity is:
//
//   - AccessKey, no UserName: type "Root" (the key is the account's own), principalId the
//     account, arn arn:aws:iam::ACCOUNT:root, accountId, accessKeyId.
//   - AccessKey with UserName: type "IAMUser", principalId ACCOUNT:NAME (rollcall has no
//     opaque IAM user IDs), arn arn:aws:iam::ACCOUNT:user/NAME, userName.
//   - AccessKey with a Session (temporary credentials, the admin API's
//     IssueTemporaryCredentials): the same, with sessionContext.attributes (creationDate,
//     mfaAuthenticated); with Session.Role set, type "AssumedRole", principalId
//     ROLE:SESSION, arn arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION and a
//     sessionIssuer of type "Role", as CloudTrail writes an assumed role.
//   - BusinessToken: type "WebIdentityUser", the shape CloudTrail gives callers federated
//     through Login with Amazon: identityProvider "www.amazon.com", principalId
//     www.amazon.com:BUSINESS, userName the business, and
//     sessionContext.webIdFederationData.attributes {"business", "tokenKind"}
//     ("access", "refresh" or "static"). rollcall's choice: Amazon Business has no CloudTrail.
//   - WorkDocsToken: type "Unknown" (not an IAM identity), principalId and userName the
//     WorkDocs user ID, accountId the tenant; the organization is in
//     sessionContext.webIdFederationData.attributes {"organizationId"}. rollcall's choice.
//   - Admin: type "Unknown", principalId and userName "rollcall-admin", no account.
//   - Unauthenticated: type "Unknown" with the claimed accessKeyId, if any.
type Identity struct {
	Kind        IdentityKind
	AccountID   string // the tenant the credential belongs to
	AccessKeyID string
	UserName    string   // AccessKey: the IAM user the key belongs to; "" for the account's own key
	Session     *Session // AccessKey: temporary credentials
	Business    string   // BusinessToken: the business directory
	TokenKind   string   // BusinessToken: "access", "refresh" or "static"
	UserID      string   // WorkDocsToken: the WorkDocs user
	Directory   string   // WorkDocsToken: the organization
}

// Session describes temporary credentials.
type Session struct {
	Created time.Time
	MFA     bool
	Role    string // the role assumed, if the credentials came from one
	Name    string // the role session name
}

// User is what a query's user filter matches: the userIdentity's principalId.
func (id Identity) User() string { return id.userIdentity().PrincipalID }

func (id Identity) userIdentity() UserIdentity {
	acct := id.AccountID
	switch id.Kind {
	case AccessKey:
		u := UserIdentity{Type: "Root", PrincipalID: acct, ARN: "arn:aws:iam::" + acct + ":root", AccountID: acct, AccessKeyID: id.AccessKeyID}
		if id.UserName != "" {
			u.Type, u.PrincipalID, u.ARN, u.UserName = "IAMUser", acct+":"+id.UserName, "arn:aws:iam::"+acct+":user/"+id.UserName, id.UserName
		}
		if s := id.Session; s != nil {
			mfa := "false"
			if s.MFA {
				mfa = "true"
			}
			u.SessionContext = &SessionContext{Attributes: &SessionAttributes{CreationDate: s.Created.UTC().Format(TimeFormat), MFAAuthenticated: mfa}}
			if s.Role != "" {
				u.Type, u.PrincipalID, u.UserName = "AssumedRole", s.Role+":"+s.Name, ""
				u.ARN = "arn:aws:sts::" + acct + ":assumed-role/" + s.Role + "/" + s.Name
				u.SessionContext.SessionIssuer = &SessionIssuer{Type: "Role", PrincipalID: s.Role, ARN: "arn:aws:iam::" + acct + ":role/" + s.Role, AccountID: acct, UserName: s.Role}
			}
		}
		return u
	case BusinessToken:
		return UserIdentity{
			Type: "WebIdentityUser", PrincipalID: LoginWithAmazon + ":" + id.Business, AccountID: acct,
			UserName: id.Business, IdentityProvider: LoginWithAmazon,
			SessionContext: &SessionContext{WebIDFederationData: &WebIDFederationData{
				FederatedProvider: LoginWithAmazon,
				Attributes:        map[string]string{"business": id.Business, "tokenKind": id.TokenKind},
			}},
		}
	case WorkDocsToken:
		return UserIdentity{
			Type: "Unknown", PrincipalID: id.UserID, AccountID: acct, UserName: id.UserID,
			SessionContext: &SessionContext{WebIDFederationData: &WebIDFederationData{
				FederatedProvider: "workdocs.amazonaws.com",
				Attributes:        map[string]string{"organizationId": id.Directory},
			}},
		}
	case Admin:
		return UserIdentity{Type: "Unknown", PrincipalID: AdminPrincipal, UserName: AdminPrincipal}
	}
	return UserIdentity{Type: "Unknown", AccountID: acct, AccessKeyID: id.AccessKeyID}
}
