package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/auth/sigv4"
	"github.com/rollcall/rollcall/ratelimit"
)

// Config is everything `rollcall serve` can be told. Each flag has an environment
// variable, ROLLCALL_ followed by the flag's name in upper case with - as _; a flag on the
// command line wins over the variable.
type Config struct {
	Listen         string
	DataDir        string
	Store          string // "" = SQLite in DataDir; sqlite:PATH; postgres://...
	Init           string // a JSON or YAML seed file applied at start
	NoDevDefaults  bool
	PublicURL      string
	AdminToken     string
	LogFormat      string // text | json
	LogLevel       string
	Quiet          bool
	Argon2Memory   uint // KiB
	Argon2Time     uint
	Argon2Budget   uint // KiB: what the password hashes running at once may take
	Argon2Wait     time.Duration
	InvitationTTL  time.Duration
	AccessTokenTTL time.Duration
	RateLimits     map[string]ratelimit.Limit
	SMTPURL        string   // "" = no relay: messages stay queued, readable in the admin API
	SMTPFrom       string   // the From of mail; "" = rollcall <noreply@host of --public-url>
	Regions        []string // accepted SigV4 credential-scope regions; empty = any valid region name
	CORSOrigins    []string // origins whose web pages may call the API faces
	IAM            string   // enforce | off: whether the AWS faces evaluate IAM policies
	// AuditReads records calls that change nothing in the audit trail; AuditRetention is
	// how long events are kept.
	Audit          bool
	AuditReads     bool
	AuditRetention time.Duration
	// IdempotencyRetention is how long an Alexa for Business ClientRequestToken is
	// honoured; its record is purged after.
	IdempotencyRetention time.Duration
	// ExposeDevDefaults allows the dev defaults on a listen address that is not loopback.
	ExposeDevDefaults bool
	MetricsListen     string // "" = no metrics; else the address of GET /metrics
	OTelEndpoint      string // OTLP/HTTP base URL for traces; "" = the OTEL_* environment decides
	// SysmonSlack is the timer slack of the Go runtime's monitor thread (Linux, with
	// CAP_SYS_NICE; 0 = the kernel's); see slowSysmon.
	SysmonSlack time.Duration
}

// DefaultSysmonSlack: see slowSysmon.
const DefaultSysmonSlack = time.Millisecond

// DefaultArgon2Budget is 128 MiB: three hashes of the default 19 MiB at once. Each is
// counted twice, as headroom for the collector: a hash's memory is collected as the
// hash ends, but the next hash may start before the collector has returned it.
const DefaultArgon2Budget = 128 << 10

// hashSlots is how many password hashes may run at once within the budget.
func (c *Config) hashSlots() int { return int(c.Argon2Budget / (2 * c.Argon2Memory)) }

// DefaultRateLimits: createBusinessUserAccount's documented 1 request per second with a
// burst of 5; Chime InviteUsers, which mails up to 50 people per call, one call per 5
// seconds with a burst of 5 (250 invitations at once, then 10 a second). Other
// operations are unlimited by default.
const DefaultRateLimits = "amazonbusiness.createBusinessUserAccount=1/5,chime.InviteUsers=0.2/5"

func (c *Config) flags(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("rollcall serve", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.Listen, "listen", "127.0.0.1:4566", "address to listen on")
	fs.StringVar(&c.DataDir, "data-dir", "rollcall-data", "directory for the embedded database (created if missing)")
	fs.StringVar(&c.Store, "store", "", "storage: empty for SQLite in --data-dir, sqlite:PATH, or postgres://...")
	fs.StringVar(&c.Init, "init", "", "JSON or YAML file declaring accounts, keys, organizations, businesses; applied at every start")
	fs.BoolVar(&c.NoDevDefaults, "no-dev-defaults", false, "do not create the dev account, key test/test, organization, business and token")
	fs.BoolVar(&c.ExposeDevDefaults, "expose-dev-defaults", false, "allow the dev defaults (public credentials) on a --listen address that is not loopback")
	fs.StringVar(&c.PublicURL, "public-url", "", "base URL for links in mail (default http://<listen>)")
	fs.StringVar(&c.AdminToken, "admin-token", "", "token for the admin API /_rollcall (default: generated at first start and printed once)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.BoolVar(&c.Quiet, "quiet", false, "do not print the quickstart")
	fs.UintVar(&c.Argon2Memory, "argon2-memory", 19*1024, "argon2id memory cost in KiB for WorkDocs passwords")
	fs.UintVar(&c.Argon2Time, "argon2-time", 2, "argon2id passes for WorkDocs passwords")
	fs.UintVar(&c.Argon2Budget, "argon2-budget", DefaultArgon2Budget, "memory in KiB that password hashes may add to the process's peak: budget/(2 × --argon2-memory) hashes run at once")
	fs.DurationVar(&c.Argon2Wait, "argon2-wait", rollcall.DefaultHashWait, "how long a password hash waits for a free slot before the request is answered as throttled")
	fs.DurationVar(&c.AccessTokenTTL, "access-token-ttl", time.Hour, "how long an Amazon Business access token from /auth/o2/token works")
	fs.DurationVar(&c.InvitationTTL, "invitation-ttl", 7*24*time.Hour, "how long an invitation link works")
	fs.BoolVar(&c.Audit, "audit", true, "record every API call in the audit trail (CloudTrail records, /_rollcall/events)")
	fs.BoolVar(&c.AuditReads, "audit-reads", true, "record calls that change nothing (Get, List, Describe, Search) in the audit trail")
	fs.DurationVar(&c.AuditRetention, "audit-retention", audit.DefaultRetention, "how long audit events are kept")
	fs.DurationVar(&c.IdempotencyRetention, "idempotency-retention", rollcall.DefaultIdempotencyRetention, "how long a client token (Alexa for Business ClientRequestToken) makes a retry return the first result; after it the token is new again and its record is purged; AWS services document 8h to 36h for their client tokens, Alexa for Business none")
	fs.StringVar(&c.SMTPURL, "smtp-url", "", "SMTP relay for invitations, smtp://[user:pass@]host[:port][?tls=opportunistic|starttls|none] or smtps://...; without it mail stays queued (admin API)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", "", `From address of mail, e.g. "Acme IT <it@example.com>" (default rollcall <noreply@host of --public-url>)`)
	fs.StringVar(&c.MetricsListen, "metrics-listen", "", "address to serve Prometheus metrics on, GET /metrics, e.g. 127.0.0.1:9090 (default: off); unauthenticated, keep it off public networks")
	fs.StringVar(&c.OTelEndpoint, "otel-endpoint", "", "OTLP/HTTP endpoint for traces, e.g. http://127.0.0.1:4318 (default: OTEL_EXPORTER_OTLP_ENDPOINT; off when neither is set)")
	fs.DurationVar(&c.SysmonSlack, "sysmon-slack", DefaultSysmonSlack, "timer slack of the Go runtime's monitor thread (Linux, needs CAP_SYS_NICE, which root has), so that under load it wakes about once per this instead of every 20µs; 0 keeps the kernel's 50µs")
	fs.Func("regions", "SigV4 regions accepted, comma-separated, e.g. us-east-1,eu-west-1 (default: any valid AWS region name)", func(v string) error {
		c.Regions = nil
		for r := range strings.SplitSeq(v, ",") {
			if r = strings.TrimSpace(r); !sigv4.ValidRegion(r) {
				return fmt.Errorf("%q is not an AWS region name (e.g. us-east-1)", r)
			}
			c.Regions = append(c.Regions, r)
		}
		return nil
	})
	fs.Func("cors-origins", "origins whose web pages may call the AWS and Amazon Business APIs, comma-separated, e.g. http://localhost:3000 (default: none; other browser requests are refused)", func(v string) error {
		c.CORSOrigins = nil
		for o := range strings.SplitSeq(v, ",") {
			u, err := url.Parse(strings.TrimSpace(o))
			if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
				return fmt.Errorf("%q is not an origin (scheme://host[:port], e.g. http://localhost:3000)", o)
			}
			c.CORSOrigins = append(c.CORSOrigins, strings.ToLower(u.Scheme+"://"+u.Host))
		}
		return nil
	})
	c.IAM = "enforce"
	fs.Func("iam", "enforce: the AWS faces evaluate the IAM policies of the caller's principal (a caller without any has full access to its account); off: none are evaluated (default enforce)", func(v string) error {
		if v != "enforce" && v != "off" {
			return fmt.Errorf("%q is not enforce or off", v)
		}
		c.IAM = v
		return nil
	})
	fs.Func("rate-limit", "per-tenant limits, OPERATION=RATE/BURST or OPERATION=off, comma-separated (default "+DefaultRateLimits+"; operations are face.Operation, e.g. chime.CreateUser)", func(v string) error {
		specs, err := ratelimit.ParseSpecs(v)
		for op, lim := range specs {
			c.RateLimits[op] = lim
		}
		return err
	})
	return fs
}

// parseWithEnv parses args after setting each flag of fs from its ROLLCALL_* variable
// (a flag on the command line wins). -h shows what the environment set as the default,
// but never a secret in it.
func parseWithEnv(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := "ROLLCALL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := getenv(name)
		if v == "" || envErr != nil {
			return
		}
		if err := f.Value.Set(v); err != nil {
			envErr = fmt.Errorf("%s: %v", name, err)
		}
		switch f.Name {
		case "admin-token":
			f.DefValue = "(set by " + name + ")"
		case "smtp-url", "store":
			f.DefValue = redactDSN(v)
		default:
			f.DefValue = v
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// parse reads args, with getenv supplying ROLLCALL_* defaults.
func (c *Config) parse(args []string, getenv func(string) string, out io.Writer) error {
	c.RateLimits, _ = ratelimit.ParseSpecs(DefaultRateLimits)
	if err := parseWithEnv(c.flags(out), args, getenv); err != nil {
		return err
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if c.Argon2Memory < 1024 || c.Argon2Time < 1 {
		return fmt.Errorf("--argon2-memory must be at least 1024 KiB and --argon2-time at least 1")
	}
	// The admin API and the console take no limit on wrong guesses: the token's length
	// is what stands against guessing.
	if c.AdminToken != "" && len(c.AdminToken) < 20 {
		return fmt.Errorf("--admin-token must be at least 20 characters (leave it out to have one generated)")
	}
	// The dev credentials are published: on a network anyone could use them.
	if !c.NoDevDefaults && !c.ExposeDevDefaults && !isLoopback(c.Listen) {
		return fmt.Errorf("--listen %s is not a loopback address, and the dev defaults (access key test/test, a public Amazon Business token) would be open to the network: add --no-dev-defaults, or --expose-dev-defaults to serve them anyway", c.Listen)
	}
	if err := c.checkMail(); err != nil {
		return err
	}
	if c.Argon2Memory > 4<<20 {
		return fmt.Errorf("--argon2-memory of %s KiB is more than 4 GiB", strconv.FormatUint(uint64(c.Argon2Memory), 10))
	}
	if c.hashSlots() < 1 {
		return fmt.Errorf("--argon2-budget (%d KiB) must be at least twice --argon2-memory (%d KiB)", c.Argon2Budget, c.Argon2Memory)
	}
	if c.Argon2Wait <= 0 {
		return fmt.Errorf("--argon2-wait must be more than 0")
	}
	return nil
}

// isLoopback reports whether the listen address is on loopback only: localhost or a
// loopback IP ("127.0.0.1:4566", "[::1]:0"); not ":4566", which is every interface.
func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
