package main

import (
	"context"
	"log/slog"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/fault"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/metrics"
)

// faultCatalog lists the operations a fault rule may name, by face: the AWS faces'
// operations as iam's service tables list them (from the faces' route tables), and
// Amazon Business's one.
func faultCatalog() map[string][]string {
	c := map[string][]string{amazonbusiness.Name: {"createBusinessUserAccount"}}
	for _, face := range []string{iam.FaceChime, iam.FaceWorkDocs, iam.FaceAlexaForBusiness} {
		for _, op := range iam.Operations(face) {
			c[face] = append(c[face], op.Name)
		}
	}
	return c
}

// startFaults starts the fault-injection engine on store: it loads the rules and keeps
// them fresh until Close.
func startFaults(ctx context.Context, store rollcall.Store, log *slog.Logger, met *metrics.Metrics) (*fault.Engine, error) {
	e := &fault.Engine{Store: store, Catalog: faultCatalog(), Log: log}
	if met != nil { // not a typed nil in the interface: the engine checks Counter != nil
		e.Counter = met
	}
	if err := e.Start(ctx); err != nil {
		return nil, err
	}
	return e, nil
}
