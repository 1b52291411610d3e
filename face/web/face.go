package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/auth/session"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/invite"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/pagetoken"
)

// Where the pages live.
const (
	InvitationPrefix = "/invitations/"
	ConsolePath      = "/_rollcall/console"
	staticPath       = ConsolePath + "/static"
)

// Name is the face's name in the request log.
const Name = "web"

// Operations are the operation names the pages give the request log (and the metrics'
// operation label).
var Operations = []string{
	"GetInvitation", "AcceptInvitation", "Static",
	"ConsoleLogin", "ConsoleLogout", "ConsoleTenants", "ConsoleTenant", "ConsoleUsers",
	"ConsoleMessages", "ConsoleMessage", "ConsoleMessageHTML", "ConsoleUnauthorized", "ConsoleUnknown",
	"ConsoleFaults",
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// Face serves the invitation pages and the console.
type Face struct {
	svc       *operator.Service // the console
	inv       *invite.Service   // the invitation pages
	sessions  *session.Sessions
	tokenHash string            // hex SHA-256 of the admin token
	key       []byte            // signs the forms' CSRF tokens; the same on every replica
	pages     *pagetoken.Sealer // seals the audit timeline's cursor
	// Faults is the fault-injection engine whose rules the console lists; nil lists none.
	Faults *fault.Engine
}

// New returns the HTML face; adminTokenHash is the hex SHA-256 of the admin token that
// opens the console. sharedKey is a secret every replica of one database holds (cmd
// passes the store's pagination key); the key that signs forms is derived from it, so a
// form served by one replica can be posted to another. Without one, a random key is used
// (a single process).
func New(inv *invite.Service, svc *operator.Service, adminTokenHash string, sharedKey []byte) *Face {
	key := make([]byte, 32)
	if len(sharedKey) > 0 {
		m := hmac.New(sha256.New, sharedKey)
		m.Write([]byte("rollcall face/web form tokens"))
		key = m.Sum(nil)
	} else if _, err := rand.Read(key); err != nil {
		panic("web: randomness unavailable: " + err.Error())
	}
	return &Face{svc: svc, inv: inv, sessions: session.New(svc.Core), tokenHash: adminTokenHash, key: key, pages: pagetoken.New(key)}
}

// Match claims /invitations/... and /_rollcall/console[/...].
func (f *Face) Match(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, InvitationPrefix) || p == ConsolePath || strings.HasPrefix(p, ConsolePath+"/")
}

func (f *Face) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	p := r.URL.Path
	switch {
	case p == staticPath+"/style.css":
		httpx.Annotate(r, "web", "Static")
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Content-Length", strconv.Itoa(len(styleCSS)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(styleCSS)
		}
	case strings.HasPrefix(p, InvitationPrefix):
		f.invitation(w, r, strings.TrimPrefix(p, InvitationPrefix))
	default:
		f.console(w, r, strings.TrimPrefix(p, ConsolePath))
	}
}

// setSecurityHeaders: no script may run, nothing may frame the page, and no Referer
// (which would carry the invitation token) leaves it.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// allow answers 405 unless the request's method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	renderError(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This page does not accept "+r.Method+" requests.", "")
	return false
}

// sameOrigin rejects a form posted from another site. Browsers say where a request comes
// from in Sec-Fetch-Site; older ones only in Origin, which is "null" under
// Referrer-Policy no-referrer. A request with neither (curl, tests) is let through to the
// form's token check, the real defence.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return true
	case "":
	default: // cross-site, same-site
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// sign returns the base64url HMAC-SHA256 of the parts under key.
func sign(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// page is what the layout renders.
type page struct {
	Title      string
	Static     string
	Console    bool   // show the console's navigation
	Active     string // the navigation entry of this page
	LogoutCSRF string
	Data       any
}

var funcs = template.FuncMap{
	"when":         when,
	"face":         faceLabel,
	"tenantKind":   tenantKindLabel,
	"userLabel":    userLabel,
	"userState":    userState,
	"messageClass": messageClass,
}

var pages = func() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/state.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "state" {
			continue
		}
		out[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
	}
	return out
}()

// render writes a page with status. A template that fails to execute is a bug: the
// client gets a plain 500 page and the cause goes to the log.
func render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Static = staticPath
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		httpx.LogError(r, err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("<!doctype html><html lang=\"en\"><title>Error · rollcall</title><h1>Something went wrong</h1><p>The page could not be shown. The cause has been logged.</p></html>")
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func when(t any) string {
	switch v := t.(type) {
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05 UTC")
	case *time.Time:
		if v == nil {
			return ""
		}
		return v.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return ""
}

// kindLabels names each kind of directory: its product, and what one directory is
// called there.
var kindLabels = map[rollcall.DirectoryKind]struct{ product, directory string }{
	rollcall.DirBusiness: {"Amazon Business", "account"},
	rollcall.DirChime:    {"Amazon Chime", "account"},
	rollcall.DirWorkDocs: {"Amazon WorkDocs", "organization"},
	rollcall.DirAlexa:    {"Alexa for Business", "directory"},
}

func faceLabel(k rollcall.DirectoryKind) string {
	if l, ok := kindLabels[k]; ok {
		return l.product
	}
	return string(k)
}

// directoryLabel names what a directory is, for a sentence: "Amazon Business account".
func directoryLabel(k rollcall.DirectoryKind) string {
	if l, ok := kindLabels[k]; ok {
		return l.product + " " + l.directory
	}
	return "directory"
}

var tenantKindLabels = map[rollcall.TenantKind]string{
	rollcall.TenantAWS:      "AWS account",
	rollcall.TenantBusiness: "Amazon Business customer",
}

func tenantKindLabel(k rollcall.TenantKind) string {
	if l, ok := tenantKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// userLabel is how the console names a user: the email, else the username, else the key.
func userLabel(u *rollcall.User) string {
	switch {
	case u.Email != "":
		return u.Email
	case u.Username != "":
		return u.Username
	}
	return u.Key
}

type badge struct{ Text, Class string }

// userState is what the console shows of a user's state: status, and for Chime the
// invitation and registration.
func userState(u *rollcall.User) []badge {
	var out []badge
	add := func(s string) {
		if s == "" {
			return
		}
		class := "status-wait"
		switch strings.ToLower(s) {
		case "active", "accepted", "registered":
			class = "status-ok"
		case "suspended", "failed", "inactive":
			class = "status-bad"
		}
		out = append(out, badge{Text: s, Class: class})
	}
	add(u.Status)
	damaged := func(error) { out = append(out, badge{Text: "attributes unreadable", Class: "status-bad"}) }
	if u.Kind == rollcall.DirChime {
		cu, err := chime.UserOf(u)
		if err != nil {
			damaged(err)
			return out
		}
		if s := cu.Attrs.InvitationStatus; s != "" {
			add("invitation " + s)
			out[len(out)-1].Class = badgeClass(s)
		}
		if s := cu.Attrs.RegistrationStatus; s != "" {
			add(s)
		}
	}
	if u.Kind == rollcall.DirAlexa {
		au, err := alexa.UserOf(u)
		if err != nil {
			damaged(err)
			return out
		}
		add(alexa.EnrollmentStatus(au)) // INITIALIZED, PENDING or REGISTERED
	}
	return out
}

func badgeClass(s string) string {
	switch s {
	case "Accepted":
		return "status-ok"
	case "Failed":
		return "status-bad"
	}
	return "status-wait"
}

func messageClass(status string) string {
	switch status {
	case rollcall.MessageSent:
		return "status-ok"
	case rollcall.MessageFailed:
		return "status-bad"
	}
	return "status-wait"
}
