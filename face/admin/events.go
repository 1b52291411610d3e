package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/pagetoken"
)

// The audit trail, one tenant's events, newest first:
//
//	GET /_rollcall/events?tenant=T[&eventName=&user=&since=&until=&errorsOnly=true&limit=&pageToken=]
//
// since and until are RFC 3339 times ([since, until)); user is the userIdentity's
// principalId; pageToken is the nextToken of the previous page, sealed to the same
// filters. The answer is {"events": [CloudTrail records], "nextToken": "..."}.

// eventsQuery reads the query parameters of /_rollcall/events.
func eventsQuery(r *http.Request) (audit.Query, error) {
	v := r.URL.Query()
	q := audit.Query{Tenant: v.Get("tenant"), EventName: v.Get("eventName"), User: v.Get("user")}
	for name, t := range map[string]*time.Time{"since": &q.Since, "until": &q.Until} {
		if s := v.Get(name); s != "" {
			var err error
			if *t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return q, errors.New(name + " must be an RFC 3339 time, e.g. 2026-11-30T12:00:00Z")
			}
		}
	}
	switch s := v.Get("errorsOnly"); s {
	case "", "false":
	case "true":
		q.ErrorsOnly = true
	default:
		return q, errors.New("errorsOnly must be true or false")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return q, errors.New("limit must be a whole number from 1 to " + strconv.Itoa(audit.MaxLimit))
		}
		q.Limit = n
	}
	return q, q.Validate()
}

// eventsScope binds a page token to the query's filters.
func eventsScope(q audit.Query) string {
	return pagetoken.Scope("events", q.Tenant, q.EventName, q.User, q.Since.Format(time.RFC3339Nano),
		q.Until.Format(time.RFC3339Nano), strconv.FormatBool(q.ErrorsOnly))
}

// Filter is q as the store's filter.
func filterOf(q audit.Query) rollcall.AuditFilter {
	f := rollcall.AuditFilter{TenantID: q.Tenant, Name: q.EventName, Principal: q.User, Since: q.Since, Until: q.Until,
		FailedOnly: q.ErrorsOnly, Limit: q.Limit}
	if q.After != nil {
		f.AfterTime, f.AfterID = q.After.Time, q.After.EventID
	}
	return f
}

func (f *Face) events(w http.ResponseWriter, r *http.Request) {
	httpx.Annotate(r, "admin", "ListEvents")
	q, err := eventsQuery(r)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "invalid_parameter", err.Error())
		return
	}
	if tok := r.URL.Query().Get("pageToken"); tok != "" {
		var c audit.Cursor
		if f.Pages.Open(eventsScope(q), tok, &c) != nil || c.EventID == "" {
			writeError(w, r, http.StatusBadRequest, "invalid_parameter", "pageToken is not a token this query returned.")
			return
		}
		q.After = &c
	}
	fl := filterOf(q)
	fl.Limit++ // one more says whether there is a next page
	// A page examines at most AuditScan events: one that stops there is short (even
	// empty) and its token continues from the last event examined, as LookupEvents's.
	fl.Scan = f.AuditScan
	if fl.Scan <= 0 {
		fl.Scan = rollcall.AuditScan
	}
	es, err := f.svc.AuditEvents(r.Context(), fl)
	if err != nil {
		writeKindError(w, r, err)
		return
	}
	out := map[string]any{}
	if n := len(es); n > 0 && es[n-1].Mark {
		mark := es[n-1]
		es = es[:n-1]
		out["nextToken"] = f.Pages.Seal(eventsScope(q), audit.Cursor{Time: mark.Time, EventID: mark.ID})
	} else if n > q.Limit {
		es = es[:q.Limit]
		last := es[len(es)-1]
		out["nextToken"] = f.Pages.Seal(eventsScope(q), audit.Cursor{Time: last.Time, EventID: last.ID})
	}
	records := make([]json.RawMessage, len(es))
	for i, e := range es {
		records[i] = audit.Complete(e.Record, e.Response)
	}
	out["events"] = records
	httpx.WriteJSON(w, http.StatusOK, "application/json", out)
}
