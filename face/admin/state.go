package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// State for test suites: reset to what is declared, and snapshots.
//
//	POST   /_rollcall/reset[?tenant=ID]          reset the store, or one tenant
//	GET    /_rollcall/snapshots                  list snapshots
//	PUT    /_rollcall/snapshots/NAME             save (replacing one of that name)
//	POST   /_rollcall/snapshots/NAME/restore     restore
//	DELETE /_rollcall/snapshots/NAME             delete

type snapshotJSON struct {
	Name    string    `json:"name"`
	Size    int64     `json:"size"`
	SavedAt time.Time `json:"savedAt"`
}

func snapshotOf(i rollcall.SnapshotInfo) snapshotJSON {
	return snapshotJSON{Name: i.Name, Size: i.Size, SavedAt: i.SavedAt}
}

// stateRoutes serves the routes above and says whether path was one of them.
func (f *Face) stateRoutes(w http.ResponseWriter, r *http.Request, path string) bool {
	if path == "reset" && r.Method == http.MethodPost {
		f.reset(w, r)
		return true
	}
	if path == "snapshots" && r.Method == http.MethodGet {
		httpx.Annotate(r, "admin", "ListSnapshots")
		list, err := f.svc.Snapshots(r.Context())
		if err != nil {
			writeKindError(w, r, err)
			return true
		}
		out := make([]snapshotJSON, 0, len(list))
		for _, i := range list {
			out = append(out, snapshotOf(i))
		}
		httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"snapshots": out})
		return true
	}
	name, ok := strings.CutPrefix(path, "snapshots/")
	if !ok {
		return false
	}
	name, restore := strings.CutSuffix(name, "/restore")
	switch {
	case restore && r.Method == http.MethodPost:
		httpx.Annotate(r, "admin", "RestoreSnapshot")
		if err := f.svc.RestoreSnapshot(r.Context(), name); err != nil {
			writeKindError(w, r, err)
			return true
		}
		httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"restored": name})
	case !restore && r.Method == http.MethodPut:
		httpx.Annotate(r, "admin", "SaveSnapshot")
		info, err := f.svc.SaveSnapshot(r.Context(), name)
		if err != nil {
			writeKindError(w, r, err)
			return true
		}
		httpx.WriteJSON(w, http.StatusOK, "application/json", map[string]any{"snapshot": snapshotOf(info)})
	case !restore && r.Method == http.MethodDelete:
		httpx.Annotate(r, "admin", "DeleteSnapshot")
		if err := f.svc.DeleteSnapshot(r.Context(), name); err != nil {
			writeKindError(w, r, err)
			return true
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		return false
	}
	return true
}

func (f *Face) reset(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "Reset")
	tenant := r.URL.Query().Get("tenant")
	if err := f.svc.Reset(r.Context(), tenant); err != nil {
		writeKindError(w, r, err)
		return
	}
	out := map[string]any{"reset": "all"}
	if tenant != "" {
		out["reset"] = "tenant"
		out["tenant"] = tenant
	}
	httpx.WriteJSON(w, http.StatusOK, "application/json", out)
}
