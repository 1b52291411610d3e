package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/operator"
)

// startPurge deletes expired tokens, keys, sessions, invitations and client tokens'
// idempotency records now and then every PurgeEvery (operator.PurgeInterval by
// default), until Close. Every replica runs it; the deletes are idempotent, so
// replicas racing each other only repeat work.
func (m *Main) startPurge(svc *operator.Service, log *slog.Logger) {
	every := m.PurgeEvery
	if every <= 0 {
		every = operator.PurgeInterval
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	m.stopPurge = func() { cancel(); <-done }
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.purgeAuditEvents(ctx, svc, log)
			n, err := svc.PurgeIdempotency(ctx)
			logPurge(ctx, log, "idempotency records past --idempotency-retention", n, err)
			n, err = svc.PurgeExpired(ctx)
			logPurge(ctx, log, "expired rows", n, err)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// purgeAuditEvents deletes the audit events older than --audit-retention, in batches.
func (m *Main) purgeAuditEvents(ctx context.Context, svc *operator.Service, log *slog.Logger) {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	n, err := svc.PurgeAuditEvents(ctx, audit.PurgeBefore(now(), m.Config.AuditRetention))
	logPurge(ctx, log, "audit events past --audit-retention", n, err)
}

// logPurge logs what one purge deleted (nothing when it deleted nothing), or its error
// unless the server is stopping.
func logPurge(ctx context.Context, log *slog.Logger, what string, n int, err error) {
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("purge: "+what, "err", err)
	case err == nil && n > 0:
		log.Info("purge: deleted "+what, "rows", n)
	}
}
