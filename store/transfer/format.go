package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rollcall/rollcall"
)

// The file's record types: the format of a rollcall export, owned by this package and
// converted to and from the core's types field by field, so a change to the core does
// not change the file. Each record's JSON names are the version-1 names (the core's Go
// field names, which encoding/json matched) in lower camel case: encoding/json matches
// names without regard to case, so the same types read a version-1 file, which
// TestGoldenFile proves on a file the version-1 release wrote. A field added
// later must keep that true or give version 1 its own reader.
//
// Per-product attributes (a user's or a directory's Attrs) travel as one JSON object,
// the JSON the databases store, so what the products keep there is theirs to change.

type tenantRecord struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

type accessKeyRecord struct {
	ID               string    `json:"id"`
	Secret           string    `json:"secret"`
	TenantID         string    `json:"tenantId"`
	SessionTokenHash string    `json:"sessionTokenHash,omitempty"`
	ExpiresAt        time.Time `json:"expiresAt,omitzero"`
	CreatedAt        time.Time `json:"createdAt"`
	// Since version 3: the IAM principal, role session name and session policy.
	PrincipalARN  string `json:"principalArn,omitempty"`
	SessionName   string `json:"sessionName,omitempty"`
	SessionPolicy string `json:"sessionPolicy,omitempty"`
}

// principalRecord (since version 3) is an IAM principal with its policies.
type principalRecord struct {
	ARN       string            `json:"arn"`
	TenantID  string            `json:"tenantId"`
	Policies  []rollcall.Policy `json:"policies,omitempty"`
	Version   int64             `json:"version"`
	CreatedAt time.Time         `json:"createdAt"`
	UpdatedAt time.Time         `json:"updatedAt"`
}

type accessTokenRecord struct {
	Hash        string    `json:"hash"`
	DirectoryID string    `json:"directoryId"`
	TenantID    string    `json:"tenantId"`
	Kind        string    `json:"kind"`
	ExpiresAt   time.Time `json:"expiresAt,omitzero"`
	CreatedAt   time.Time `json:"createdAt"`
}

type directoryRecord struct {
	ID        string          `json:"id"`
	TenantID  string          `json:"tenantId"`
	Kind      string          `json:"kind"`
	Name      string          `json:"name"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
	Attrs     json.RawMessage `json:"attrs,omitempty"`
}

type groupRecord struct {
	ID          string    `json:"id"`
	DirectoryID string    `json:"directoryId"`
	Tag         string    `json:"tag,omitempty"`
	Name        string    `json:"name"`
	CreatedAt   time.Time `json:"createdAt"`
}

type userRecord struct {
	ID           string          `json:"id"`
	DirectoryID  string          `json:"directoryId"`
	TenantID     string          `json:"tenantId"`
	Kind         string          `json:"kind"`
	Key          string          `json:"key"`
	Email        string          `json:"email,omitempty"`
	Username     string          `json:"username,omitempty"`
	GivenName    string          `json:"givenName,omitempty"`
	FamilyName   string          `json:"familyName,omitempty"`
	DisplayName  string          `json:"displayName,omitempty"`
	UserType     string          `json:"userType,omitempty"`
	Status       string          `json:"status,omitempty"`
	PasswordHash string          `json:"passwordHash,omitempty"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	Attrs        json.RawMessage `json:"attrs,omitempty"`
}

type idempotencyRecord struct {
	Scope       string    `json:"scope"`
	Token       string    `json:"token"`
	RequestHash string    `json:"requestHash"`
	ResultID    string    `json:"resultId"`
	CreatedAt   time.Time `json:"createdAt"`
}

type messageRecord struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"tenantId"`
	DirectoryID string    `json:"directoryId,omitempty"`
	UserID      string    `json:"userId,omitempty"`
	Kind        string    `json:"kind"`
	To          string    `json:"to"`
	ToName      string    `json:"toName,omitempty"`
	Subject     string    `json:"subject"`
	TextBody    string    `json:"textBody"`
	HTMLBody    string    `json:"htmlBody,omitempty"`
	Status      string    `json:"status"`
	Attempts    int       `json:"attempts,omitempty"`
	LastError   string    `json:"lastError,omitempty"`
	NextAttempt time.Time `json:"nextAttempt"`
	CreatedAt   time.Time `json:"createdAt"`
	SentAt      time.Time `json:"sentAt,omitzero"`
	// Since version 4: the W3C trace context of the request that queued it.
	TraceParent string `json:"traceParent,omitempty"`
	TraceState  string `json:"traceState,omitempty"`
}

type invitationRecord struct {
	ID          string    `json:"id"`
	TokenHash   string    `json:"tokenHash"`
	TenantID    string    `json:"tenantId"`
	DirectoryID string    `json:"directoryId"`
	UserID      string    `json:"userId"`
	ExpiresAt   time.Time `json:"expiresAt"`
	UsedAt      time.Time `json:"usedAt,omitzero"`
	CreatedAt   time.Time `json:"createdAt"`
}

// Setting is a shared setting, as a record of the file.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// record converts a row of the core to its record and names the record's type.
func record(v any) (typ string, rec any, err error) {
	switch v := v.(type) {
	case *rollcall.Tenant:
		return "tenant", tenantRecord{ID: v.ID, Kind: string(v.Kind), Name: v.Name, CreatedAt: v.CreatedAt}, nil
	case *rollcall.AccessKey:
		return "access_key", accessKeyRecord{ID: v.ID, Secret: v.Secret, TenantID: v.TenantID,
			SessionTokenHash: v.SessionTokenHash, ExpiresAt: v.ExpiresAt, CreatedAt: v.CreatedAt,
			PrincipalARN: v.PrincipalARN, SessionName: v.SessionName, SessionPolicy: v.SessionPolicy}, nil
	case *rollcall.Principal:
		return "iam_principal", principalRecord{ARN: v.ARN, TenantID: v.TenantID, Policies: v.Policies, Version: v.Version,
			CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}, nil
	case *rollcall.AccessToken:
		return "access_token", accessTokenRecord{Hash: v.Hash, DirectoryID: v.DirectoryID, TenantID: v.TenantID,
			Kind: v.Kind, ExpiresAt: v.ExpiresAt, CreatedAt: v.CreatedAt}, nil
	case *rollcall.Directory:
		attrs, err := attrsOut(v.Attrs)
		return "directory", directoryRecord{ID: v.ID, TenantID: v.TenantID, Kind: string(v.Kind), Name: v.Name,
			CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, Attrs: attrs}, err
	case *rollcall.Group:
		return "group", groupRecord{ID: v.ID, DirectoryID: v.DirectoryID, Tag: v.Tag, Name: v.Name, CreatedAt: v.CreatedAt}, nil
	case *rollcall.User:
		attrs, err := attrsOut(v.Attrs)
		return "user", userRecord{ID: v.ID, DirectoryID: v.DirectoryID, TenantID: v.TenantID, Kind: string(v.Kind),
			Key: v.Key, Email: v.Email, Username: v.Username, GivenName: v.GivenName, FamilyName: v.FamilyName,
			DisplayName: v.DisplayName, UserType: v.UserType, Status: v.Status, PasswordHash: v.PasswordHash,
			CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, Attrs: attrs}, err
	case *rollcall.IdempotencyRecord:
		return "idempotency", idempotencyRecord{Scope: v.Scope, Token: v.Token, RequestHash: v.RequestHash,
			ResultID: v.ResultID, CreatedAt: v.CreatedAt}, nil
	case *rollcall.Message:
		return "message", messageRecord{ID: v.ID, TenantID: v.TenantID, DirectoryID: v.DirectoryID, UserID: v.UserID,
			Kind: v.Kind, To: v.To, ToName: v.ToName, Subject: v.Subject, TextBody: v.TextBody, HTMLBody: v.HTMLBody,
			Status: v.Status, Attempts: v.Attempts, LastError: v.LastError, NextAttempt: v.NextAttempt,
			CreatedAt: v.CreatedAt, SentAt: deref(v.SentAt), TraceParent: v.TraceParent, TraceState: v.TraceState}, nil
	case *rollcall.Invitation:
		return "invitation", invitationRecord{ID: v.ID, TokenHash: v.TokenHash, TenantID: v.TenantID,
			DirectoryID: v.DirectoryID, UserID: v.UserID, ExpiresAt: v.ExpiresAt, UsedAt: deref(v.UsedAt),
			CreatedAt: v.CreatedAt}, nil
	case *Setting:
		return "setting", v, nil
	}
	return "", nil, fmt.Errorf("transfer: no record type for %T", v)
}

func (r *tenantRecord) core() (*rollcall.Tenant, error) {
	return &rollcall.Tenant{ID: r.ID, Kind: rollcall.TenantKind(r.Kind), Name: r.Name, CreatedAt: r.CreatedAt}, nil
}

func (r *accessKeyRecord) core() (*rollcall.AccessKey, error) {
	return &rollcall.AccessKey{ID: r.ID, Secret: r.Secret, TenantID: r.TenantID, SessionTokenHash: r.SessionTokenHash,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, PrincipalARN: r.PrincipalARN, SessionName: r.SessionName,
		SessionPolicy: r.SessionPolicy}, nil
}

func (r *principalRecord) core() (*rollcall.Principal, error) {
	return &rollcall.Principal{ARN: r.ARN, TenantID: r.TenantID, Policies: r.Policies, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

func (r *accessTokenRecord) core() (*rollcall.AccessToken, error) {
	return &rollcall.AccessToken{Hash: r.Hash, DirectoryID: r.DirectoryID, TenantID: r.TenantID, Kind: r.Kind,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt}, nil
}

func (r *directoryRecord) core() (*rollcall.Directory, error) {
	d := &rollcall.Directory{ID: r.ID, TenantID: r.TenantID, Kind: rollcall.DirectoryKind(r.Kind), Name: r.Name,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	return d, attrsIn(r.Attrs, &d.Attrs)
}

func (r *groupRecord) core() (*rollcall.Group, error) {
	return &rollcall.Group{ID: r.ID, DirectoryID: r.DirectoryID, Tag: r.Tag, Name: r.Name, CreatedAt: r.CreatedAt}, nil
}

func (r *userRecord) core() (*rollcall.User, error) {
	u := &rollcall.User{ID: r.ID, DirectoryID: r.DirectoryID, TenantID: r.TenantID, Kind: rollcall.DirectoryKind(r.Kind),
		Key: r.Key, Email: r.Email, Username: r.Username, GivenName: r.GivenName, FamilyName: r.FamilyName,
		DisplayName: r.DisplayName, UserType: r.UserType, Status: r.Status, PasswordHash: r.PasswordHash,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	return u, attrsIn(r.Attrs, &u.Attrs)
}

func (r *idempotencyRecord) core() (*rollcall.IdempotencyRecord, error) {
	return &rollcall.IdempotencyRecord{Scope: r.Scope, Token: r.Token, RequestHash: r.RequestHash, ResultID: r.ResultID,
		CreatedAt: r.CreatedAt}, nil
}

func (r *messageRecord) core() (*rollcall.Message, error) {
	return &rollcall.Message{ID: r.ID, TenantID: r.TenantID, DirectoryID: r.DirectoryID, UserID: r.UserID, Kind: r.Kind,
		To: r.To, ToName: r.ToName, Subject: r.Subject, TextBody: r.TextBody, HTMLBody: r.HTMLBody, Status: r.Status,
		Attempts: r.Attempts, LastError: r.LastError, NextAttempt: r.NextAttempt, CreatedAt: r.CreatedAt,
		SentAt: ref(r.SentAt), TraceParent: r.TraceParent, TraceState: r.TraceState}, nil
}

func (r *invitationRecord) core() (*rollcall.Invitation, error) {
	return &rollcall.Invitation{ID: r.ID, TokenHash: r.TokenHash, TenantID: r.TenantID, DirectoryID: r.DirectoryID,
		UserID: r.UserID, ExpiresAt: r.ExpiresAt, UsedAt: ref(r.UsedAt), CreatedAt: r.CreatedAt}, nil
}

// attrsOut is a row's attributes as the object the databases store; none is no object.
// Like the rest of the file, it escapes no HTML.
func attrsOut(attrs any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(attrs); err != nil {
		return nil, err
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if string(b) == "{}" || string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

// attrsIn reads a record's attributes object strictly: a member the core does not know
// is an error, as for the record's own fields.
func attrsIn(raw json.RawMessage, into any) error {
	if len(raw) == 0 {
		return nil
	}
	if raw[0] != '{' {
		return fmt.Errorf("attrs: %.20s is not a JSON object", raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("attrs: %w", err)
	}
	return nil
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func ref(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
