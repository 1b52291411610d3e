//go:build race

package sigv4_test

const raceEnabled = true
