package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/operator"
)

// The directory endpoints: tenants' directories (Chime accounts, WorkDocs organizations,
// Alexa for Business users, Amazon Business accounts), their groups and users.
//
//	GET    /_rollcall/tenants/{tenant}/directories[?kind=chime|workdocs|a4b|business]
//	GET    /_rollcall/directories/{id}
//	GET    /_rollcall/directories/{id}/users[?after=&limit=&email=&status=]
//	GET    /_rollcall/directories/{id}/users/{userId}
//	DELETE /_rollcall/directories/{id}/users/{userId}

// DirectoryJSON is a directory as the admin API answers it (`rollcall admin` decodes it too).
type DirectoryJSON struct {
	ID        string      `json:"id"`
	TenantID  string      `json:"tenantId"`
	Kind      string      `json:"kind"`
	Name      string      `json:"name"`
	CreatedAt time.Time   `json:"createdAt"`
	Attrs     any         `json:"settings"`
	Groups    []GroupJSON `json:"groups,omitempty"`
}

// GroupJSON is a business group of a DirectoryJSON.
type GroupJSON struct {
	ID      string `json:"id"`
	Tag     string `json:"tag,omitempty"`
	Name    string `json:"name"`
	Default bool   `json:"default,omitempty"`
}

// directoryOf is d as the operator sees it, and its default group (a business's).
func directoryOf(d *rollcall.Directory) (DirectoryJSON, string, error) {
	a, defaultGroup, err := operator.Settings(d)
	return DirectoryJSON{ID: d.ID, TenantID: d.TenantID, Kind: string(d.Kind), Name: d.Name, CreatedAt: d.CreatedAt, Attrs: a}, defaultGroup, err
}

// UserJSON is a user as the operator sees it: never its password hash.
type UserJSON struct {
	ID          string    `json:"id"`
	DirectoryID string    `json:"directoryId"`
	TenantID    string    `json:"tenantId"`
	Kind        string    `json:"kind"`
	Email       string    `json:"email,omitempty"`
	Username    string    `json:"username,omitempty"`
	GivenName   string    `json:"givenName,omitempty"`
	FamilyName  string    `json:"familyName,omitempty"`
	DisplayName string    `json:"displayName,omitempty"`
	UserType    string    `json:"userType,omitempty"`
	Status      string    `json:"status"`
	HasPassword bool      `json:"hasPassword"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
	// The face's own fields: group, role and region for Amazon Business; license and
	// invitation state for Chime; storage for WorkDocs; ARN and tags for Alexa.
	Attrs any `json:"attributes"`
}

func userOf(u *rollcall.User) (UserJSON, error) {
	a, err := operator.Attributes(u)
	return UserJSON{ID: u.ID, DirectoryID: u.DirectoryID, TenantID: u.TenantID, Kind: string(u.Kind), Email: u.Email,
		Username: u.Username, GivenName: u.GivenName, FamilyName: u.FamilyName, DisplayName: u.DisplayName,
		UserType: u.UserType, Status: u.Status, HasPassword: u.PasswordHash != "", CreatedAt: u.CreatedAt,
		UpdatedAt: u.UpdatedAt, Attrs: a}, err
}

// directoryRoutes serves the paths above; it reports false for any other path.
func (f *Face) directoryRoutes(w http.ResponseWriter, r *http.Request, path string) bool {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		var err error
		if segs[i], err = url.PathUnescape(s); err != nil {
			return false
		}
	}
	get, del := r.Method == http.MethodGet, r.Method == http.MethodDelete
	switch {
	case len(segs) == 3 && segs[0] == "tenants" && segs[2] == "directories" && get:
		f.listDirectories(w, r, segs[1])
	case len(segs) == 2 && segs[0] == "directories" && get:
		f.getDirectory(w, r, segs[1])
	case len(segs) == 3 && segs[0] == "directories" && segs[2] == "users" && get:
		f.listUsers(w, r, segs[1])
	case len(segs) == 4 && segs[0] == "directories" && segs[2] == "users" && get:
		f.getUser(w, r, segs[1], segs[3])
	case len(segs) == 4 && segs[0] == "directories" && segs[2] == "users" && del:
		f.deleteUser(w, r, segs[1], segs[3])
	default:
		return false
	}
	return true
}

var directoryKinds = []rollcall.DirectoryKind{rollcall.DirChime, rollcall.DirWorkDocs, rollcall.DirAlexa, rollcall.DirBusiness}

func (f *Face) listDirectories(w http.ResponseWriter, r *http.Request, tenant string) {
	httpx.Annotate(r, "admin", "ListDirectories")
	kind := rollcall.DirectoryKind(r.URL.Query().Get("kind"))
	if kind != "" && !slices.Contains(directoryKinds, kind) {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", "kind must be one of chime, workdocs, a4b, business.")
		return
	}
	ds, err := f.svc.Directories(r.Context(), tenant, kind)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out := make([]DirectoryJSON, 0, len(ds))
	for _, d := range ds {
		v, _, err := directoryOf(d)
		if err != nil {
			writeKindError(w, r, err)
			return
		}
		out = append(out, v)
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"directories": out})
}

func (f *Face) getDirectory(w http.ResponseWriter, r *http.Request, id string) {
	httpx.Annotate(r, "admin", "GetDirectory")
	d, groups, err := f.svc.Directory(r.Context(), id)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out, defaultGroup, err := directoryOf(d)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	for _, g := range groups {
		out.Groups = append(out.Groups, GroupJSON{ID: g.ID, Tag: g.Tag, Name: g.Name, Default: g.ID == defaultGroup})
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"directory": out})
}

func (f *Face) listUsers(w http.ResponseWriter, r *http.Request, dir string) {
	httpx.Annotate(r, "admin", "ListUsers")
	q := r.URL.Query()
	filter := rollcall.UserQuery{DirectoryID: dir, After: rollcall.AfterID(q.Get("after")), Emails: rollcall.Strings(q.Get("email")),
		Statuses: rollcall.Strings(q.Get("status"))}
	var ok bool
	if filter.Limit, ok = limitParam(w, r); !ok {
		return
	}
	users, more, err := f.svc.Users(r.Context(), filter)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out := struct {
		Users []UserJSON `json:"users"`
		// Next is the after= of the next page; absent on the last one. User IDs are
		// the cursor: the operator may read them, unlike the faces' clients.
		Next *string `json:"next,omitempty"`
	}{Users: make([]UserJSON, 0, len(users))}
	for _, u := range users {
		v, err := userOf(u)
		if err != nil {
			writeKindError(w, r, err)
			return
		}
		out.Users = append(out.Users, v)
	}
	if more {
		out.Next = &users[len(users)-1].ID
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", out)
}

func (f *Face) getUser(w http.ResponseWriter, r *http.Request, dir, id string) {
	httpx.Annotate(r, "admin", "GetUser")
	u, err := f.svc.User(r.Context(), dir, id)
	var v UserJSON
	if err == nil {
		v, err = userOf(u)
	}
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"user": v})
}

func (f *Face) deleteUser(w http.ResponseWriter, r *http.Request, dir, id string) {
	httpx.Annotate(r, "admin", "DeleteUser")
	if err := f.svc.DeleteUser(r.Context(), dir, id); err != nil {
		writeKindError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
