package web

import (
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// faultRow is a fault-injection rule as the console's faults page shows it.
type faultRow struct {
	*rollcall.Fault
	Active bool
}

// faults lists the fault-injection rules (package fault) and how often each fired, on
// every replica: the counts are the store's.
func (f *Face) faults(w http.ResponseWriter, r *http.Request, p page) {
	httpx.Annotate(r, "web", "ConsoleFaults")
	var rows []faultRow
	var injected int64
	if f.Faults != nil {
		rules, err := f.Faults.Rules(r.Context())
		if err != nil {
			renderKindError(w, r, err)
			return
		}
		now := time.Now()
		for _, rule := range rules {
			rows = append(rows, faultRow{Fault: rule, Active: rule.Live(now)})
		}
		injected = f.Faults.Injected()
	}
	p.Title, p.Active = "Fault injection", "faults"
	p.Data = struct {
		Rules    []faultRow
		Injected int64
		Enabled  bool
	}{rows, injected, f.Faults != nil}
	render(w, r, http.StatusOK, "faults", p)
}
