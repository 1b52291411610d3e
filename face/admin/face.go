package admin

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/pagetoken"
)

// Prefix is where the admin API lives.
const Prefix = "/_rollcall/"

// Name is the face's name in the request log.
const Name = "admin"

// Operations are the operation names the admin API gives the request log (and the
// metrics' operation label).
var Operations = []string{
	"ListTenants", "ListMessages", "IssueTemporaryCredentials", "IssueWorkDocsToken", "Health",
	"ListDirectories", "GetDirectory", "ListUsers", "GetUser", "DeleteUser", "Unauthorized", "Unknown",
	"ListPrincipals", "GetPrincipal", "PutPrincipal", "DeletePrincipal", "AttachKey", "PutPolicy", "DeletePolicy",
	"SimulatePolicy", "ListFaults", "CreateFault", "DeleteFault", "ListEvents",
	"Reset", "ListSnapshots", "SaveSnapshot", "RestoreSnapshot", "DeleteSnapshot",
}

// Face serves the admin API.
type Face struct {
	// IAM is told of every change to principals and policies made here, so this replica
	// applies it at once (others within auth.PolicyTTL); nil = no cache to tell.
	IAM *auth.Policies

	svc       *operator.Service
	tokenHash string // SHA-256 of the admin token
	tokens    *token.Tokens
	// Faults is the fault-injection engine /_rollcall/faults manages; nil answers 404.
	Faults *fault.Engine
	// Pages seals the audit trail's page tokens (a random key when nil: tokens then
	// work on this process only).
	Pages *pagetoken.Sealer
	// AuditScan bounds the events a filtered page of the audit trail examines
	// (rollcall.AuditScan when 0).
	AuditScan int
}

// New returns the admin API; tokenHash is the hex SHA-256 of the admin token.
func New(svc *operator.Service, tokenHash string) *Face {
	return &Face{svc: svc, tokenHash: tokenHash, tokens: token.New(svc.Core, operator.TokenAttrs), Pages: pagetoken.NewRandom()}
}

// ConsolePath is the web console's, served by the web face, not by this API.
const ConsolePath = Prefix + "console"

// Match claims everything under /_rollcall/ except the web console.
func (f *Face) Match(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, Prefix) && p != ConsolePath && !strings.HasPrefix(p, ConsolePath+"/")
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, Prefix)
	if path == "health" && r.Method == http.MethodGet {
		f.health(w, r)
		return
	}
	trail.Handler("admin", operation, func(r *http.Request) string { return r.URL.Query().Get("tenant") }, f.authorized(r),
		http.HandlerFunc(f.serve)).ServeHTTP(w, r)
}

// operation is the admin operation the request was served as, for the audit trail.
func operation(r *http.Request) string { return httpx.InfoFrom(r.Context()).Operation }

// serve serves every admin operation but the health check, each call recorded.
func (f *Face) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, Prefix)
	if !f.authorized(r) {
		httpx.Annotate(r, "admin", "Unauthorized")
		httpx.AuthFailedFor(r, httpx.SchemeAdmin, presentedReason(r.Header.Get("Authorization") != ""))
		writeError(w, r, http.StatusUnauthorized, "unauthorized", "A valid admin token is required: Authorization: Bearer <token>.")
		return
	}
	switch {
	case path == "tenants" && r.Method == http.MethodGet:
		f.tenants(w, r)
	case path == "events" && r.Method == http.MethodGet:
		f.events(w, r)
	case path == "messages" && r.Method == http.MethodGet:
		f.messages(w, r)
	case path == "credentials" && r.Method == http.MethodPost:
		f.credentials(w, r)
	case path == "workdocs/tokens" && r.Method == http.MethodPost:
		f.workDocsToken(w, r)
	case f.directoryRoutes(w, r, path):
	case f.iamRoutes(w, r, path):
	case f.faultRoutes(w, r, path):
	case f.stateRoutes(w, r, path):
	default:
		httpx.Annotate(r, "admin", "Unknown")
		writeError(w, r, http.StatusNotFound, "not_found", "No admin operation matches "+r.Method+" "+r.URL.Path+".")
	}
}

// presentedReason is the reason a credential failed: missing when none was presented,
// else invalid.
func presentedReason(presented bool) string {
	if presented {
		return rollcall.ReasonInvalidToken
	}
	return rollcall.ReasonMissingAuth
}

func (f *Face) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" || f.tokenHash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(rollcall.HashToken(token)), []byte(f.tokenHash)) == 1
}

// TenantJSON is a tenant as the admin API answers it (`rollcall admin` decodes it too).
type TenantJSON struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

func (f *Face) tenants(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "ListTenants")
	ts, err := f.svc.Tenants(r.Context())
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out := make([]TenantJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, TenantJSON{ID: t.ID, Kind: string(t.Kind), Name: t.Name, CreatedAt: t.CreatedAt})
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"tenants": out})
}

type messageJSON struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"tenantId"`
	DirectoryID string     `json:"directoryId"`
	UserID      string     `json:"userId"`
	Kind        string     `json:"kind"`
	To          string     `json:"to"`
	ToName      string     `json:"toName"`
	Subject     string     `json:"subject"`
	TextBody    string     `json:"textBody"`
	HTMLBody    string     `json:"htmlBody"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"lastError,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
	SentAt      *time.Time `json:"sentAt,omitempty"`
}

func (f *Face) messages(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "ListMessages")
	q := r.URL.Query()
	filter := rollcall.MessageFilter{TenantID: q.Get("tenant"), Status: q.Get("status")}
	var ok bool
	if filter.Limit, ok = limitParam(w, r); !ok {
		return
	}
	ms, err := f.svc.Messages(r.Context(), filter)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out := make([]messageJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, messageJSON{ID: m.ID, TenantID: m.TenantID, DirectoryID: m.DirectoryID, UserID: m.UserID, Kind: m.Kind,
			To: m.To, ToName: m.ToName, Subject: m.Subject, TextBody: m.TextBody, HTMLBody: m.HTMLBody, Status: m.Status,
			Attempts: m.Attempts, LastError: m.LastError, CreatedAt: m.CreatedAt, SentAt: m.SentAt})
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"messages": out})
}

// limitParam reads the query's limit (1 to 1000, 100 when absent), answering a bad one
// itself.
func limitParam(w http.ResponseWriter, r *http.Request) (int, bool) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return 100, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1000 {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", "limit must be a whole number from 1 to 1000.")
		return 0, false
	}
	return n, true
}

// readBody reads a body of at most limit bytes, answering the error itself.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := httpx.ReadBody(r, limit)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", "The request body could not be read or is too large.")
		return nil, false
	}
	return body, true
}

// decode reads a JSON body of at most limit bytes into v, answering the error itself.
func decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, ok := readBody(w, r, limit)
	if !ok {
		return false
	}
	if err := httpx.DecodeJSON(body, v); err != nil {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", err.Error())
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	httpx.WriteJSON(w, status, "application/json", map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// writeKindError writes a core error as toWire words it, and logs its cause.
func writeKindError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.LogError(r, err)
	status, code := toWire(err)
	writeError(w, r, status, code, rollcall.ErrorMessage(err))
}

// toWire is the face's one error table: a core error's status and code.
func toWire(err error) (status int, code string) {
	switch rollcall.ErrorKind(err) {
	case rollcall.Invalid:
		return http.StatusBadRequest, "invalid_parameter"
	case rollcall.NotFound:
		return http.StatusNotFound, "not_found"
	case rollcall.Conflict:
		return http.StatusConflict, "conflict"
	case rollcall.Unavailable:
		return http.StatusServiceUnavailable, "unavailable"
	}
	return http.StatusInternalServerError, "internal"
}

type credentialsRequest struct {
	AccountID       string `json:"accountId"`
	DurationSeconds int    `json:"durationSeconds"`
	// Principal (an ARN of the account's), SessionName (for a role) and Policy (a session
	// policy, JSON) make the credentials those of an IAM principal (auth.SessionRequest).
	Principal   string          `json:"principal"`
	SessionName string          `json:"sessionName"`
	Policy      json.RawMessage `json:"policy"`
}

// credentials issues temporary AWS credentials for an account, as STS would: the caller
// gets the secret and session token once; rollcall keeps the token's hash only.
func (f *Face) credentials(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "IssueTemporaryCredentials")
	var req credentialsRequest
	if !decode(w, r, 64<<10, &req) {
		return
	}
	if req.DurationSeconds == 0 {
		req.DurationSeconds = 3600
	}
	c, err := auth.IssueSessionCredentials(r.Context(), f.svc.Core, auth.SessionRequest{AccountID: req.AccountID,
		Duration: time.Duration(req.DurationSeconds) * time.Second, Principal: req.Principal, SessionName: req.SessionName,
		Policy: policyText(req.Policy)})
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, "application/json", map[string]any{"Credentials": map[string]any{
		"AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey, "SessionToken": c.SessionToken, "Expiration": c.Expiration,
	}})
}

type workDocsTokenRequest struct {
	AccountID      string `json:"accountId"`
	OrganizationID string `json:"organizationId"`
	Username       string `json:"username"`
	TTLSeconds     int    `json:"ttlSeconds"`
}

// workDocsToken issues a WorkDocs Authentication token for a user of an organization, as
// signing in to WorkDocs would.
func (f *Face) workDocsToken(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "IssueWorkDocsToken")
	var req workDocsTokenRequest
	if !decode(w, r, 64<<10, &req) {
		return
	}
	token, exp, err := f.tokens.IssueWorkDocs(r.Context(), req.AccountID, req.OrganizationID, req.Username, time.Duration(req.TTLSeconds)*time.Second)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, "application/json", map[string]any{"AuthenticationToken": token, "Expiration": exp})
}

// health is a load balancer's check: this replica serves, reads its database and can
// commit to it (a full disk answers reads). 503 says why.
func (f *Face) health(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "Health")
	reason := ""
	if err := f.svc.Ping(r.Context()); err != nil {
		httpx.LogError(r, err)
		reason = "the store does not answer"
	} else if err := f.svc.ProbeWrite(r.Context()); err != nil {
		httpx.LogError(r, err)
		reason = "the store cannot write"
		var e *rollcall.Error
		if errors.As(err, &e) && e.Kind == rollcall.Unavailable && e.Message != "" {
			reason += ": " + e.Message
		}
	}
	if reason != "" {
		httpx.WriteJSON(w, http.StatusServiceUnavailable, "application/json", map[string]string{"status": "unavailable", "reason": reason})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}
