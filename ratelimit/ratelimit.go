package ratelimit

import (
	"github.com/rollcall/rollcall"

	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Limit is a sustained rate with a burst. The zero Limit (or Off) allows everything.
type Limit struct {
	PerSecond float64
	Burst     int
}

// Off is no limit.
var Off = Limit{}

// Enabled reports whether the limit limits anything.
func (l Limit) Enabled() bool { return l.PerSecond > 0 }

// Header is the value of x-amzn-RateLimit-Limit: requests per second, as a decimal.
func (l Limit) Header() string {
	return strconv.FormatFloat(l.PerSecond, 'f', -1, 64) + func() string {
		if l.PerSecond == math.Trunc(l.PerSecond) {
			return ".0"
		}
		return ""
	}()
}

func (l Limit) String() string {
	if !l.Enabled() {
		return "off"
	}
	return fmt.Sprintf("%s/%d", strconv.FormatFloat(l.PerSecond, 'f', -1, 64), l.Burst)
}

// Parse reads "off" or "RATE/BURST" (e.g. "1/5", "0.5/2") or "RATE" (burst = ceil(rate)).
func Parse(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "" {
		return Off, nil
	}
	rate, burst, hasBurst := strings.Cut(s, "/")
	r, err := strconv.ParseFloat(rate, 64)
	if err != nil || r <= 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return Off, fmt.Errorf("rate limit %q: want off, RATE or RATE/BURST with RATE > 0", s)
	}
	b := int(math.Ceil(r))
	if hasBurst {
		if b, err = strconv.Atoi(burst); err != nil || b < 1 {
			return Off, fmt.Errorf("rate limit %q: the burst must be a whole number of at least 1", s)
		}
	}
	return Limit{PerSecond: r, Burst: b}, nil
}

// Limiter keeps one bucket per (tenant, operation).
type Limiter struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	// limits is by operation. Set replaces the map whole (under mu), so a request to an
	// operation without a limit, as most are, reads it without taking mu.
	limits atomic.Pointer[map[string]Limit]

	mu      sync.Mutex
	buckets map[bucketKey]*bucket
	sweep   time.Time
}

type bucketKey struct{ tenant, op string }

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter with the given limit per operation name. Operations without an
// entry are not limited.
func New(limits map[string]Limit) *Limiter {
	l := &Limiter{buckets: map[bucketKey]*bucket{}}
	m := make(map[string]Limit, len(limits))
	maps.Copy(m, limits)
	l.limits.Store(&m)
	return l
}

// Reset refills every bucket: a test suite that resets the store starts each test with
// full buckets.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.buckets)
}

// Set changes the limit of one operation.
func (l *Limiter) Set(op string, lim Limit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := maps.Clone(*l.limits.Load())
	m[op] = lim
	l.limits.Store(&m)
	for k := range l.buckets {
		if k.op == op {
			delete(l.buckets, k)
		}
	}
}

// Limit returns the limit of op.
func (l *Limiter) Limit(op string) Limit {
	if l == nil {
		return Off
	}
	return (*l.limits.Load())[op]
}

// Allow takes a token from the (tenant, op) bucket and reports whether there was one. A
// nil Limiter allows everything.
func (l *Limiter) Allow(tenant, op string) bool {
	if l == nil || !(*l.limits.Load())[op].Enabled() {
		return true
	}
	return l.take(tenant, op)
}

// AllowOp is Allow(tenant, face+"."+op), without making that name unless op is limited.
func (l *Limiter) AllowOp(tenant, face, op string) bool {
	if !l.LimitedOp(face, op) {
		return true
	}
	return l.take(tenant, face+"."+op)
}

// LimitedOp reports whether face+"."+op has a limit, without making that name.
func (l *Limiter) LimitedOp(face, op string) bool {
	if l == nil {
		return false
	}
	var buf [128]byte
	name := append(append(append(buf[:0], face...), '.'), op...)
	return (*l.limits.Load())[string(name)].Enabled() // the lookup copies nothing
}

// take takes a token from the (tenant, op) bucket, under op's limit as it is once the
// lock is held (Set may have changed it), and reports whether there was one.
func (l *Limiter) take(tenant, op string) bool {
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim := (*l.limits.Load())[op]
	if !lim.Enabled() {
		return true
	}
	l.sweepIdle(now)
	k := bucketKey{tenant, op}
	b := l.buckets[k]
	if b == nil {
		b = &bucket{tokens: float64(lim.Burst), last: now}
		l.buckets[k] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(float64(lim.Burst), b.tokens+el*lim.PerSecond)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// sweepIdle forgets full buckets now and then, so memory follows the active tenants.
func (l *Limiter) sweepIdle(now time.Time) {
	if now.Sub(l.sweep) < time.Minute {
		return
	}
	l.sweep = now
	limits := *l.limits.Load()
	for k, b := range l.buckets {
		lim := limits[k.op]
		if !lim.Enabled() || b.tokens+now.Sub(b.last).Seconds()*lim.PerSecond >= float64(lim.Burst) {
			delete(l.buckets, k)
		}
	}
}

// ErrThrottled is what Check returns when the bucket is empty; faces map its kind
// (rollcall.Throttled) to their own throttling error.
var ErrThrottled = &rollcall.Error{Kind: rollcall.Throttled, Message: "Rate exceeded."}

// Check is Allow as an error: nil, or ErrThrottled.
func (l *Limiter) Check(tenant, op string) error {
	if l.Allow(tenant, op) {
		return nil
	}
	return ErrThrottled
}

// CheckOp is AllowOp as an error: nil, or ErrThrottled.
func (l *Limiter) CheckOp(tenant, face, op string) error {
	if l.AllowOp(tenant, face, op) {
		return nil
	}
	return ErrThrottled
}

// ParseSpecs reads "op=limit" pairs separated by commas, e.g.
// "amazonbusiness.createBusinessUserAccount=1/5,chime.CreateUser=off".
func ParseSpecs(s string) (map[string]Limit, error) {
	out := map[string]Limit{}
	for _, spec := range strings.Split(s, ",") {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		op, lim, ok := strings.Cut(spec, "=")
		if !ok || op == "" {
			return nil, fmt.Errorf("rate limit %q: want OPERATION=RATE/BURST or OPERATION=off", spec)
		}
		l, err := Parse(lim)
		if err != nil {
			return nil, err
		}
		out[op] = l
	}
	return out, nil
}
