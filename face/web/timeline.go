package web

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/pagetoken"
)

// timelinePage is how many audit events the tenant page shows at a time.
const timelinePage = 25

// timelineRow is one event of a tenant's audit trail on its page.
type timelineRow struct {
	Time, Source, Name, User, SourceIP, Error string
}

// timeline is a page of the tenant's audit trail, newest first, from the sealed cursor
// in the page's "events" parameter, and the query string of the next page ("" when it
// is the last).
func (f *Face) timeline(ctx context.Context, tenant, token string) ([]timelineRow, string, error) {
	scope := pagetoken.Scope("console-events", tenant)
	fl := rollcall.AuditFilter{TenantID: tenant, Limit: timelinePage + 1}
	if token != "" {
		var c audit.Cursor
		if f.pages.Open(scope, token, &c) == nil && c.EventID != "" {
			fl.AfterTime, fl.AfterID = c.Time, c.EventID
		}
	}
	es, err := f.svc.AuditEvents(ctx, fl)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(es) > timelinePage {
		es = es[:timelinePage]
		last := es[len(es)-1]
		next = "?" + url.Values{"events": {f.pages.Seal(scope, audit.Cursor{Time: last.Time, EventID: last.ID})}}.Encode() + "#audit"
	}
	rows := make([]timelineRow, 0, len(es))
	for _, e := range es {
		var rec audit.Record
		// Only the members outside responseElements are shown: e.Response is not needed.
		if err := json.Unmarshal(audit.Complete(e.Record, nil), &rec); err != nil {
			continue
		}
		rows = append(rows, timelineRow{Time: rec.EventTime, Source: rec.EventSource, Name: rec.EventName,
			User: e.Principal, SourceIP: rec.SourceIPAddress, Error: rec.ErrorCode})
	}
	return rows, next, nil
}
