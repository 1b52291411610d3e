package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Sender delivers rendered messages. The Dispatcher calls Send for each message of a
// batch, then Close; a Sender may keep one connection open in between.
type Sender interface {
	// Send delivers msg from the envelope sender from to the recipients to. A
	// *RelayError says the relay could not be reached or used; IsPermanent says the
	// message can never be delivered.
	Send(ctx context.Context, from string, to []string, msg []byte) error
	// Close ends any connection Send left open. Send may be called again after it.
	Close() error
}

// TLS modes of an SMTP relay.
const (
	TLSOpportunistic = "opportunistic" // STARTTLS when the relay offers it (smtp:// default)
	TLSStartTLS      = "starttls"      // STARTTLS required
	TLSNone          = "none"          // plain text
	TLSImplicit      = "implicit"      // TLS from the first byte (smtps://)
)

// SMTP sends through one relay with github.com/emersion/go-smtp. It keeps the connection
// of a batch open between Sends, and is safe for one goroutine at a time (the
// Dispatcher's).
type SMTP struct {
	Addr     string // host:port
	TLS      string // one of the TLS modes; "" is TLSOpportunistic
	Username string // AUTH PLAIN when set
	Password string
	// TLSConfig verifies the relay's certificate; nil uses the system's roots and the
	// host of Addr. Tests set RootCAs.
	TLSConfig *tls.Config
	// Timeout bounds connecting and each command (default 30s); the reply to the end of
	// DATA may take four times as long.
	Timeout time.Duration

	mu     sync.Mutex
	client *smtp.Client
}

var _ Sender = (*SMTP)(nil)

// ParseURL reads a relay URL: smtp://[user[:password]@]host[:port][?tls=MODE] (port 25
// by default; MODE opportunistic, starttls or none) or smtps://... (implicit TLS, port
// 465 by default).
func ParseURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %v", redactErr(err))
	}
	s := &SMTP{}
	port := ""
	switch u.Scheme {
	case "smtp":
		s.TLS, port = TLSOpportunistic, "25"
		switch mode := u.Query().Get("tls"); mode {
		case "":
		case TLSOpportunistic, TLSStartTLS, TLSNone:
			s.TLS = mode
		default:
			return nil, fmt.Errorf("SMTP URL: tls=%q: want opportunistic, starttls or none", mode)
		}
	case "smtps":
		s.TLS, port = TLSImplicit, "465"
		if u.Query().Has("tls") {
			return nil, errors.New("SMTP URL: smtps:// is always TLS; drop tls=")
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: want smtp:// or smtps://", u.Scheme)
	}
	for k := range u.Query() {
		if k != "tls" {
			return nil, fmt.Errorf("SMTP URL: unknown parameter %q (only tls=)", k)
		}
	}
	if u.Hostname() == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, errors.New("SMTP URL: unexpected path")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	s.Addr = net.JoinHostPort(u.Hostname(), port)
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// redactErr keeps a password out of a url.Parse error, which quotes the URL.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("invalid URL: %v", ue.Err)
	}
	return errors.New("invalid URL")
}

// String is the relay's URL without its password.
func (s *SMTP) String() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.TLS == TLSImplicit {
		u.Scheme = "smtps"
	} else if s.TLS != "" && s.TLS != TLSOpportunistic {
		u.RawQuery = "tls=" + s.TLS
	}
	if s.Username != "" {
		u.User = url.UserPassword(s.Username, "xxxxx")
	}
	return u.String()
}

func (s *SMTP) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 30 * time.Second
}

// Send delivers one message, on the connection a previous Send left open if it still
// works, else on a new one.
func (s *SMTP) Send(ctx context.Context, from string, to []string, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	reused := s.client != nil
	if !reused {
		c, err := s.dial(ctx)
		if err != nil {
			return err
		}
		s.client = c
	}
	started, err := s.try(ctx, from, to, msg)
	if err != nil && reused && !started && ctx.Err() == nil {
		// The relay closed the idle connection: nothing was sent; try a new one.
		c, err := s.dial(ctx)
		if err != nil {
			return err
		}
		s.client = c
		_, err = s.try(ctx, from, to, msg)
		return err
	}
	return err
}

// try runs one mail transaction on s.client; ctx's end closes the connection.
func (s *SMTP) try(ctx context.Context, from string, to []string, msg []byte) (started bool, err error) {
	c := s.client
	stop := context.AfterFunc(ctx, func() { c.Close() })
	started, err = transaction(c, from, to, msg)
	if !stop() {
		s.drop()
		return started, fmt.Errorf("smtp: %w", context.Cause(ctx))
	}
	s.settle(err)
	return started, err
}

// transaction runs MAIL, RCPT and DATA. started says the relay answered MAIL, so an
// error is the relay's word on this message rather than a dead connection.
func transaction(c *smtp.Client, from string, to []string, msg []byte) (started bool, err error) {
	if err := c.Mail(from, nil); err != nil {
		var se *smtp.SMTPError
		return errors.As(err, &se), err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return true, err
		}
	}
	w, err := c.Data()
	if err != nil {
		return true, err
	}
	if _, err := w.Write(msg); err != nil {
		return true, err
	}
	return true, w.Close()
}

// settle keeps the connection for the next Send after a success, or after a refusal
// the relay can be told to forget (RSET); anything else ends it.
func (s *SMTP) settle(err error) {
	if err == nil {
		return
	}
	var se *smtp.SMTPError
	if errors.As(err, &se) && se.Code != 421 && s.client.Reset() == nil {
		return
	}
	s.drop()
}

func (s *SMTP) drop() {
	if s.client != nil {
		s.client.Close()
		s.client = nil
	}
}

// Close says QUIT on the open connection, if any.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		return nil
	}
	c := s.client
	s.client = nil
	if err := c.Quit(); err != nil {
		c.Close()
		return err
	}
	return nil
}

// dial connects, says EHLO, starts TLS as the mode says and authenticates. Every
// failure is a *RelayError.
func (s *SMTP) dial(ctx context.Context) (*smtp.Client, error) {
	c, err := s.connect(ctx, s.TLS != TLSNone && s.TLS != TLSImplicit)
	if errors.Is(err, errNoStartTLS) && s.TLS == TLSOpportunistic {
		c, err = s.connect(ctx, false)
	}
	if err != nil {
		return nil, &RelayError{err}
	}
	if s.Username != "" {
		if err := s.auth(c); err != nil {
			c.Close()
			return nil, &RelayError{err}
		}
	}
	return c, nil
}

var errNoStartTLS = errors.New("the relay does not offer STARTTLS")

func (s *SMTP) connect(ctx context.Context, startTLS bool) (*smtp.Client, error) {
	host, _, _ := net.SplitHostPort(s.Addr)
	cfg := s.TLSConfig.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	dctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	var conn net.Conn
	var err error
	if s.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{Config: cfg}).DialContext(dctx, "tcp", s.Addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(dctx, "tcp", s.Addr)
	}
	if err != nil {
		return nil, err
	}
	// Until the client is ready, the deadline (or ctx) ends the connection.
	stop := context.AfterFunc(dctx, func() { conn.Close() })
	defer stop()
	var c *smtp.Client
	if startTLS {
		// NewClientStartTLS says EHLO, checks that STARTTLS is offered and starts it.
		c, err = smtp.NewClientStartTLS(conn, cfg)
		if err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) && strings.Contains(err.Error(), "doesn't support STARTTLS") {
				return nil, errNoStartTLS
			}
			return nil, err
		}
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = s.timeout(), 4*s.timeout()
	if err := c.Hello("localhost"); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// auth says AUTH PLAIN. The password goes only over TLS, or to a relay on loopback.
func (s *SMTP) auth(c *smtp.Client) error {
	_, isTLS := c.TLSConnectionState()
	host, _, _ := net.SplitHostPort(s.Addr)
	if !isTLS && !isLoopback(host) {
		return errors.New("refusing to send the SMTP password without TLS to a relay that is not on loopback (the relay offered no STARTTLS)")
	}
	if !c.SupportsAuth(sasl.Plain) {
		return errors.New("the relay does not offer AUTH PLAIN")
	}
	return c.Auth(sasl.NewPlainClient("", s.Username, s.Password))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
