//go:build !linux

package main

import "time"

// execWithTimerSlack sets the timer slack on Linux only (slack_linux.go).
func execWithTimerSlack(time.Duration) {}
