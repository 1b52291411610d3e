package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Relay.
type Options struct {
	StartTLS    bool   // offer STARTTLS with a self-signed certificate
	ImplicitTLS bool   // TLS from the first byte (smtps://)
	Username    string // require AUTH PLAIN with these when set
	Password    string
}

// Received is one message as it arrived.
type Received struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the session was encrypted
	User string // the authenticated user, if any
}

// Relay is an SMTP server on 127.0.0.1 that accepts every message (unless Refuse says
// otherwise) and keeps it.
type Relay struct {
	Addr  string         // host:port, the same across Stop and Restart
	Roots *x509.CertPool // trusts the relay's certificate (with TLS options)

	opts    Options
	tlsConf *tls.Config

	mu        sync.Mutex
	received  []Received
	attempts  int            // RCPT commands seen
	rcptCount map[string]int // RCPT commands seen per address
	refuse    func(to string, attempt int) error
	server    *smtp.Server
	ln        net.Listener
	changed   chan struct{} // closed and replaced whenever a message arrives
}

// Start runs a Relay until the test ends.
func Start(tb testing.TB, opts Options) *Relay {
	tb.Helper()
	r := &Relay{opts: opts, changed: make(chan struct{})}
	if opts.StartTLS || opts.ImplicitTLS {
		cert, roots, err := selfSigned()
		if err != nil {
			tb.Fatal(err)
		}
		r.tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}}
		r.Roots = roots
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r.Addr = ln.Addr().String()
	r.serve(ln)
	tb.Cleanup(r.Stop)
	return r
}

// URL is the relay's smtp:// (or smtps://) URL, with its credentials.
func (r *Relay) URL() string {
	u := url.URL{Scheme: "smtp", Host: r.Addr}
	if r.opts.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if r.opts.Username != "" {
		u.User = url.UserPassword(r.opts.Username, r.opts.Password)
	}
	return u.String()
}

func (r *Relay) serve(ln net.Listener) {
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{r: r, tls: isTLS, conn: c}, nil
	}))
	s.Domain = "relay.test"
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	s.ErrorLog = discardLogger{}
	if r.opts.StartTLS {
		s.TLSConfig = r.tlsConf
	}
	s.AllowInsecureAuth = !r.opts.StartTLS && !r.opts.ImplicitTLS
	if r.opts.ImplicitTLS {
		ln = tls.NewListener(ln, r.tlsConf)
	}
	r.mu.Lock()
	r.server, r.ln = s, ln
	r.mu.Unlock()
	go s.Serve(ln)
}

// Stop closes the listener and every connection: the relay is down.
func (r *Relay) Stop() {
	r.mu.Lock()
	s, ln := r.server, r.ln
	r.server, r.ln = nil, nil
	r.mu.Unlock()
	if s != nil {
		ln.Close() // Serve may not have registered it yet
		s.Close()
	}
}

// Restart listens again on the same address.
func (r *Relay) Restart(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", r.Addr)
	if err != nil {
		tb.Fatalf("listen again on %s: %v", r.Addr, err)
	}
	r.serve(ln)
}

// Refuse sets a function that may refuse a recipient: attempt counts the RCPT commands
// for that address so far, from 1. A *smtp.SMTPError it returns is the reply.
func (r *Relay) Refuse(fn func(to string, attempt int) error) {
	r.mu.Lock()
	r.refuse = fn
	r.mu.Unlock()
}

// Received returns what has arrived so far.
func (r *Relay) Received() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.received...)
}

// RcptAttempts is how many RCPT commands the relay has seen.
func (r *Relay) RcptAttempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// Wait returns what has arrived once at least n messages have, or fails the test after
// timeout.
func (r *Relay) Wait(tb testing.TB, n int, timeout time.Duration) []Received {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		got, changed := append([]Received(nil), r.received...), r.changed
		r.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-changed:
		case <-deadline.C:
			tb.Fatalf("%d messages arrived at the relay within %v, want %d", len(got), timeout, n)
		}
	}
}

type session struct {
	r    *Relay
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string {
	if s.r.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.r.opts.Username || password != s.r.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.opts.Username != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	s.r.attempts++
	if s.r.rcptCount == nil {
		s.r.rcptCount = map[string]int{}
	}
	s.r.rcptCount[to]++
	n := s.r.rcptCount[to]
	refuse := s.r.refuse
	s.r.mu.Unlock()
	if refuse != nil {
		if err := refuse(to, n); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.r.mu.Lock()
	s.r.received = append(s.r.received, Received{From: s.from, To: s.to, Data: b, TLS: isTLS || s.tls, User: s.user})
	close(s.r.changed)
	s.r.changed = make(chan struct{})
	s.r.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...interface{}) {}
func (discardLogger) Println(...interface{})        {}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool trusting it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "rollcall test relay"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool, nil
}
