package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
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
// the document the databases store with its members sorted (since version 5; version 4
// and before kept the order of the core's structs of then), so what the products keep there is
// theirs to change.

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
	// Since version 5, always: the keys the user's product derived from Attrs. A file of
	// an earlier version has none; they are derived from Attrs as that release did
	// (legacyKeys).
	ProductKeys *productKeysRecord `json:"productKeys,omitempty"`
}

type productKeysRecord struct {
	StorageLimit int64  `json:"storageLimit,omitempty"`
	StorageUsed  int64  `json:"storageUsed,omitempty"`
	Enrollment   string `json:"enrollment,omitempty"`
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
			CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, Attrs: attrs,
			ProductKeys: &productKeysRecord{v.ProductKeys.StorageLimit, v.ProductKeys.StorageUsed, v.ProductKeys.Enrollment}}, err
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
	var err error
	d.Attrs, err = attrsIn(r.Attrs)
	return d, err
}

func (r *groupRecord) core() (*rollcall.Group, error) {
	return &rollcall.Group{ID: r.ID, DirectoryID: r.DirectoryID, Tag: r.Tag, Name: r.Name, CreatedAt: r.CreatedAt}, nil
}

func (r *userRecord) core() (*rollcall.User, error) {
	u := &rollcall.User{ID: r.ID, DirectoryID: r.DirectoryID, TenantID: r.TenantID, Kind: rollcall.DirectoryKind(r.Kind),
		Key: r.Key, Email: r.Email, Username: r.Username, GivenName: r.GivenName, FamilyName: r.FamilyName,
		DisplayName: r.DisplayName, UserType: r.UserType, Status: r.Status, PasswordHash: r.PasswordHash,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	var err error
	if u.Attrs, err = attrsIn(r.Attrs); err != nil {
		return nil, err
	}
	if k := r.ProductKeys; k != nil {
		u.ProductKeys = rollcall.ProductKeys{StorageLimit: k.StorageLimit, StorageUsed: k.StorageUsed, Enrollment: k.Enrollment}
		return u, nil
	}
	u.ProductKeys, err = legacyKeys(r.Attrs)
	return u, err
}

// legacyKeys are the product keys of a user of a file written before version 5, derived
// from its attributes as the core derived them then, for every user: a frozen reading of
// that release's member names (the WorkDocs storage rule and use, the Alexa for Business
// enrollment). Files of version 5 carry the keys their products derived.
func legacyKeys(raw json.RawMessage) (rollcall.ProductKeys, error) {
	var a struct {
		StorageType             string `json:"storageType"`
		StorageAllocatedInBytes *int64 `json:"storageAllocatedInBytes"`
		StorageUtilizedInBytes  int64  `json:"storageUtilizedInBytes"`
		EnrollmentStatus        string `json:"enrollmentStatus"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a); err != nil {
			return rollcall.ProductKeys{}, fmt.Errorf("attrs: %w", err)
		}
	}
	k := rollcall.ProductKeys{StorageLimit: math.MaxInt64, StorageUsed: a.StorageUtilizedInBytes, Enrollment: a.EnrollmentStatus}
	if a.StorageAllocatedInBytes != nil && a.StorageType != "UNLIMITED" {
		k.StorageLimit = *a.StorageAllocatedInBytes
	}
	if k.Enrollment == "" {
		k.Enrollment = "INITIALIZED"
	}
	return k, nil
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

// attrsOut is a row's attribute document as the file carries it: the same JSON value
// with its members sorted (at every depth) and no HTML escaped, so a file does not depend
// on the order a backend keeps members in (PostgreSQL's jsonb keeps its own); none is
// no object. The products, not this package, know what the members mean.
func attrsOut(doc string) (json.RawMessage, error) {
	if doc == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("attrs: %w", err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// attrsIn is a record's attribute document as the products write one: compact, HTML
// escaped as encoding/json escapes it; it must be a JSON object. Its members are the
// products' to check when they read it.
func attrsIn(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return "", fmt.Errorf("attrs: %w", err)
	}
	if compact.Len() == 0 || compact.Bytes()[0] != '{' {
		return "", fmt.Errorf("attrs: %.20s is not a JSON object", raw)
	}
	if compact.String() == "{}" {
		return "", nil
	}
	var out bytes.Buffer
	json.HTMLEscape(&out, compact.Bytes())
	return out.String(), nil
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
