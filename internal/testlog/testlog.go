package testlog

import (
	"strings"
	"sync"
)

// Buffer is a log that the server's goroutines write at once and a test reads.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Count is how many times s has been written.
func (l *Buffer) Count(s string) int { return strings.Count(l.String(), s) }
