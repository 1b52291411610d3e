package metricstest

import (
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Scrape GETs url, wants a 200 in the text format, and parses it with Prometheus's text
// parser; any failure fails tb.
func Scrape(tb testing.TB, url string) map[string]*dto.MetricFamily {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		tb.Fatalf("GET %s: %s, Content-Type %q", url, resp.Status, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		tb.Fatalf("parse %s: %v", url, err)
	}
	return fams
}

// Find returns the series of family name whose labels are exactly want (name, value,
// ...), or nil.
func Find(fams map[string]*dto.MetricFamily, name string, want ...string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
	for _, s := range f.Metric {
		if len(s.Label)*2 != len(want) {
			continue
		}
		got := map[string]string{}
		for _, l := range s.Label {
			got[l.GetName()] = l.GetValue()
		}
		ok := true
		for i := 0; i < len(want); i += 2 {
			if v, has := got[want[i]]; !has || v != want[i+1] {
				ok = false
			}
		}
		if ok {
			return s
		}
	}
	return nil
}

// Value is the value of Find's series: a counter's or gauge's value, a histogram's
// count; ok is false when there is no such series.
func Value(fams map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	s := Find(fams, name, labels...)
	switch {
	case s == nil:
		return 0, false
	case s.Counter != nil:
		return s.Counter.GetValue(), true
	case s.Gauge != nil:
		return s.Gauge.GetValue(), true
	case s.Histogram != nil:
		return float64(s.Histogram.GetSampleCount()), true
	}
	return 0, false
}
