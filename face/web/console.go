package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/session"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/pagetoken"
)

// SessionCookie is the console's sign-in cookie. It holds only a random session ID; the
// session itself is kept in the store (auth/session), bound to the admin token,
// with an idle timeout and an absolute lifetime, so signing out or changing the admin
// token ends it on every replica.
const SessionCookie = "rollcall_console"

// binding ties sessions to the current admin token.
func (f *Face) binding() string { return session.Binding(f.tokenHash) }

// session returns the ID of the request's live session, or "".
func (f *Face) session(r *http.Request) string {
	if f.tokenHash == "" {
		return ""
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	if _, err := f.sessions.Check(r.Context(), c.Value, f.binding()); err != nil {
		if !rollcall.IsKind(err, rollcall.Unauthorized) {
			httpx.LogError(r, err)
		}
		return ""
	}
	return c.Value
}

// adminToken reports whether token is the admin token.
func (f *Face) adminToken(token string) bool {
	return token != "" && f.tokenHash != "" &&
		subtle.ConstantTimeCompare([]byte(rollcall.HashToken(token)), []byte(f.tokenHash)) == 1
}

// authorized accepts the session cookie, or the admin token as a bearer token (curl);
// it returns the session's ID ("" for a bearer token).
func (f *Face) authorized(r *http.Request) (string, bool) {
	if s := f.session(r); s != "" {
		return s, true
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return "", ok && f.adminToken(token)
}

func (f *Face) console(w http.ResponseWriter, r *http.Request, rest string) {
	switch rest {
	case "/login":
		f.login(w, r)
		return
	case "/logout":
		f.logout(w, r)
		return
	}
	session, ok := f.authorized(r)
	if !ok {
		httpx.Annotate(r, "web", "ConsoleUnauthorized")
		reason := rollcall.ReasonInvalidToken
		if c, err := r.Cookie(SessionCookie); (err != nil || c.Value == "") && r.Header.Get("Authorization") == "" {
			reason = rollcall.ReasonMissingAuth
		}
		httpx.AuthFailedFor(r, httpx.SchemeSession, reason)
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			renderError(w, r, http.StatusUnauthorized, "Sign-in required", "Sign in to the console with the admin token first.", "")
			return
		}
		f.renderLogin(w, r, http.StatusUnauthorized, r.URL.RequestURI(), "")
		return
	}
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	p := page{Console: true, LogoutCSRF: f.logoutToken(session)}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case rest == "" || rest == "/":
		f.tenants(w, r, p)
	case len(parts) == 1 && parts[0] == "users":
		f.users(w, r, p)
	case len(parts) == 2 && parts[0] == "tenants" && parts[1] != "":
		f.tenant(w, r, p, parts[1])
	case len(parts) == 1 && parts[0] == "messages":
		f.messages(w, r, p)
	case len(parts) == 1 && parts[0] == "faults":
		f.faults(w, r, p)
	case len(parts) == 2 && parts[0] == "messages" && parts[1] != "":
		f.message(w, r, p, parts[1])
	case len(parts) == 3 && parts[0] == "messages" && parts[1] != "" && parts[2] == "html":
		f.messageHTML(w, r, parts[1])
	default:
		httpx.Annotate(r, "web", "ConsoleUnknown")
		renderError(w, r, http.StatusNotFound, "Not found", "There is no console page at this address.", "")
	}
}

type loginView struct {
	Next, Error string
}

func (f *Face) renderLogin(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	title := "Sign in"
	if msg != "" {
		title = "Error: " + title
	}
	render(w, r, status, "login", page{Title: title, Console: false, Data: loginView{Next: safeNext(next), Error: msg}})
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.Contains(next, "//") || strings.Contains(next, `\`) ||
		!(u.Path == ConsolePath || strings.HasPrefix(u.Path, ConsolePath+"/")) || strings.HasPrefix(u.Path, ConsolePath+"/log") {
		return ConsolePath
	}
	return next
}

func (f *Face) login(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "web", "ConsoleLogin")
	if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPost) {
		return
	}
	if r.Method != http.MethodPost {
		if f.session(r) != "" {
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
		f.renderLogin(w, r, http.StatusOK, r.URL.Query().Get("next"), "")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusBadRequest, "Form not accepted", "The form could not be read.", "")
		return
	}
	if !sameOrigin(r) {
		renderError(w, r, http.StatusForbidden, "Form not accepted", "This form was sent from another site.", "")
		return
	}
	next := r.PostForm.Get("next")
	if !f.adminToken(r.PostForm.Get("token")) {
		httpx.AuthFailedFor(r, httpx.SchemeAdmin, rollcall.ReasonInvalidToken)
		f.renderLogin(w, r, http.StatusUnauthorized, next, "That is not the admin token. Check it and try again.")
		return
	}
	id, ses, err := f.sessions.Start(r.Context(), f.binding())
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: id, Path: ConsolePath,
		Expires: ses.ExpiresAt, MaxAge: int(ses.ExpiresAt.Sub(ses.CreatedAt) / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
	})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// logoutToken is the sign-out form's CSRF token for a session ("" without one).
func (f *Face) logoutToken(session string) string {
	if session == "" {
		return ""
	}
	return sign(f.key, "console-logout", session)
}

// logout ends the session in the store, on every replica, and clears the cookie.
func (f *Face) logout(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "web", "ConsoleLogout")
	if !allow(w, r, http.MethodPost) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusBadRequest, "Form not accepted", "The form could not be read.", "")
		return
	}
	session := f.session(r)
	want := f.logoutToken(session)
	if want == "" || !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(want)) != 1 {
		renderError(w, r, http.StatusForbidden, "Form not accepted", "This sign-out form did not come from the console, or your session has ended.", "")
		return
	}
	if err := f.sessions.End(r.Context(), session); err != nil {
		renderKindError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: ConsolePath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, ConsolePath+"/login", http.StatusSeeOther)
}

type outboxCount struct {
	Status string
	Count  int
}

var messageStatuses = []string{rollcall.MessageQueued, rollcall.MessageSent, rollcall.MessageFailed}

func (f *Face) tenants(w http.ResponseWriter, r *http.Request, p page) {
	httpx.Annotate(r, "web", "ConsoleTenants")
	ts, err := f.svc.Overviews(r.Context())
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	var counts []outboxCount
	for _, s := range messageStatuses {
		n, err := f.svc.CountMessages(r.Context(), rollcall.MessageFilter{Status: s})
		if err != nil {
			renderKindError(w, r, err)
			return
		}
		counts = append(counts, outboxCount{Status: s, Count: n})
	}
	p.Title, p.Active = "Tenants", "tenants"
	p.Data = struct {
		Tenants []*operator.TenantOverview
		Outbox  []outboxCount
	}{ts, counts}
	render(w, r, http.StatusOK, "tenants", p)
}

// recentLimit is how many users the tenant page lists.
const recentLimit = 500

type recentRow struct {
	User      *rollcall.User
	Directory string
}

func (f *Face) tenant(w http.ResponseWriter, r *http.Request, p page, id string) {
	httpx.Annotate(r, "web", "ConsoleTenant")
	o, err := f.svc.Overview(r.Context(), id, recentLimit)
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	names := map[string]string{}
	for _, d := range o.Directories {
		names[d.Directory.ID] = d.Directory.Name
	}
	rows := make([]recentRow, 0, len(o.Recent))
	for _, u := range o.Recent {
		rows = append(rows, recentRow{User: u, Directory: names[u.DirectoryID]})
	}
	events, next, err := f.timeline(r.Context(), id, r.URL.Query().Get("events"))
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	p.Title, p.Active = "Tenant "+o.Tenant.ID, "tenants"
	p.Data = struct {
		*operator.TenantOverview
		Recent     []recentRow
		Truncated  bool
		Events     []timelineRow
		NextEvents string
	}{o, rows, len(rows) < o.Users, events, next}
	render(w, r, http.StatusOK, "tenant", p)
}

type faceOption struct {
	Value, Label string
	Selected     bool
}

// searchCursor is what a "Search older users" link carries, sealed: where the walk
// stopped, how many users the pages before examined, and the creation time they reached.
type searchCursor struct {
	After    *rollcall.UserCursor `json:"a"`
	Searched int                  `json:"n"`
	Reached  time.Time            `json:"t"`
}

var faceKinds = []rollcall.DirectoryKind{rollcall.DirBusiness, rollcall.DirChime, rollcall.DirWorkDocs, rollcall.DirAlexa}

func (f *Face) users(w http.ResponseWriter, r *http.Request, p page) {
	httpx.Annotate(r, "web", "ConsoleUsers")
	q := r.URL.Query()
	search := operator.UserSearch{
		Kind: rollcall.DirectoryKind(q.Get("face")), TenantID: q.Get("tenant"), DirectoryID: q.Get("directory"),
		Query: q.Get("q"), Limit: 200,
	}
	known := search.Kind == ""
	var opts []faceOption
	for _, k := range faceKinds {
		known = known || k == search.Kind
		opts = append(opts, faceOption{Value: string(k), Label: faceLabel(k), Selected: k == search.Kind})
	}
	if !known {
		renderError(w, r, http.StatusBadRequest, "Unknown face", "There is no face called "+q.Get("face")+".", "")
		return
	}
	scope := pagetoken.Scope("console-users", string(search.Kind), search.TenantID, search.DirectoryID, search.Query)
	var from searchCursor
	if token := q.Get("older"); token != "" {
		if f.pages.Open(scope, token, &from) != nil || from.After == nil {
			renderError(w, r, http.StatusBadRequest, "Link not valid", "This link to older users does not belong to this search. Search again.", "")
			return
		}
		search.After = from.After
	}
	res, err := f.svc.SearchUsers(r.Context(), search)
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	hits := res.Hits
	dirName := ""
	if search.DirectoryID != "" && len(hits) > 0 {
		dirName = hits[0].Directory.Name
	}
	p.Title, p.Active = "Users", "users"
	if search.Query != "" {
		p.Title = "Users matching " + search.Query
	}
	// Searched counts the users every page of this search so far examined; Older is the
	// link that continues where this page's walk stopped.
	searched, older := from.Searched+res.Examined, ""
	if res.Next != nil {
		v := url.Values{"q": {search.Query}}
		for k, s := range map[string]string{"face": string(search.Kind), "tenant": search.TenantID, "directory": search.DirectoryID} {
			if s != "" {
				v.Set(k, s)
			}
		}
		v.Set("older", f.pages.Seal(scope, searchCursor{After: res.Next, Searched: searched, Reached: res.Reached}))
		older = "?" + v.Encode()
	}
	p.Data = struct {
		Hits                                          []operator.UserHit
		More                                          bool
		Query, Face, Tenant, Directory, DirectoryName string
		Faces                                         []faceOption
		Searched                                      int
		Reached, Before                               time.Time
		Older                                         string
	}{hits, res.More, search.Query, string(search.Kind), search.TenantID, search.DirectoryID, dirName, opts,
		searched, res.Reached, from.Reached, older}
	render(w, r, http.StatusOK, "users", p)
}

func (f *Face) messages(w http.ResponseWriter, r *http.Request, p page) {
	httpx.Annotate(r, "web", "ConsoleMessages")
	status := r.URL.Query().Get("status")
	known := status == ""
	for _, s := range messageStatuses {
		known = known || s == status
	}
	if !known {
		renderError(w, r, http.StatusBadRequest, "Unknown status", "Messages are queued, sent or failed.", "")
		return
	}
	ms, err := f.svc.Messages(r.Context(), rollcall.MessageFilter{Status: status, Limit: 500})
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	p.Title, p.Active = "Outbox", "messages"
	p.Data = struct {
		Messages []*rollcall.Message
		Status   string
		Statuses []string
	}{ms, status, messageStatuses}
	render(w, r, http.StatusOK, "messages", p)
}

func (f *Face) message(w http.ResponseWriter, r *http.Request, p page, id string) {
	httpx.Annotate(r, "web", "ConsoleMessage")
	m, err := f.svc.Message(r.Context(), id)
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	p.Title, p.Active, p.Data = "Message: "+m.Subject, "messages", m
	render(w, r, http.StatusOK, "message", p)
}

// messageHTML serves a message's HTML part for the console's preview frame: sandboxed by
// its own policy (no script, no plugin, no form, an opaque origin), framable only by the
// console.
func (f *Face) messageHTML(w http.ResponseWriter, r *http.Request, id string) {
	httpx.Annotate(r, "web", "ConsoleMessageHTML")
	m, err := f.svc.Message(r.Context(), id)
	if err != nil {
		renderKindError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(m.HTMLBody)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write([]byte(m.HTMLBody))
	}
}
