// Package metricstest reads metrics the way Prometheus does, for tests: it scrapes a
// /metrics URL, parses the text format with Prometheus's own parser, and finds series
// by their labels.
//
// Like package metrics it imports no rollcall package: the standard library and the
// Prometheus client libraries only.
package metricstest
