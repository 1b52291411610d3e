package metrics_test

import (
	"fmt"
	"time"

	"github.com/rollcall/rollcall/metrics"
)

// cmd makes one Metrics with the operations each face serves, hands it to the request
// middleware, the pipeline, the store and the dispatcher, and serves m.Handler() on
// --metrics-listen. Label values outside the sets become "other".
func ExampleMetrics_ObserveRequest() {
	m, err := metrics.New(metrics.Config{Operations: map[string][]string{"chime": {"CreateUser"}}})
	if err != nil {
		panic(err)
	}
	m.ObserveRequest("chime", "CreateUser", 201, 3*time.Millisecond)
	m.ObserveRequest("chime", "ada@example.com", 201, time.Millisecond) // not an operation

	fams, _ := m.Registry().Gather()
	for _, f := range fams {
		if f.GetName() != "rollcall_request_duration_seconds" {
			continue
		}
		for _, s := range f.Metric {
			fmt.Println(s.Label[0].GetValue(), s.Label[1].GetValue(), s.Label[2].GetValue(), s.Histogram.GetSampleCount())
		}
	}
	// Output:
	// 201 chime CreateUser 1
	// 201 chime other 1
}
