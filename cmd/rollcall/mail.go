package main

import (
	"fmt"
	"log/slog"
	netmail "net/mail"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/mail"
)

// checkMail validates --smtp-url and --smtp-from. Errors never quote the URL: it may
// hold the relay's password.
func (c *Config) checkMail() error {
	if c.SMTPURL != "" {
		if _, err := mail.ParseURL(c.SMTPURL); err != nil {
			return fmt.Errorf("--smtp-url: %v", err)
		}
	}
	if c.SMTPFrom != "" {
		if _, err := netmail.ParseAddress(c.SMTPFrom); err != nil {
			return fmt.Errorf("--smtp-from %q: %v", c.SMTPFrom, err)
		}
	}
	return nil
}

// startMail starts delivering the outbox through --smtp-url, and makes svc wake the
// dispatcher whenever it queues a message. Without a relay messages stay queued, and
// the admin API lists them.
func (m *Main) startMail(svc *rollcall.Service, publicURL string, log *slog.Logger) error {
	c := &m.Config
	if c.SMTPURL == "" {
		log.Info("mail: no --smtp-url; invitations stay queued: GET /_rollcall/messages lists them, without their links")
		return nil
	}
	relay, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		return fmt.Errorf("--smtp-url: %v", err)
	}
	from := mail.DefaultFrom(publicURL)
	if c.SMTPFrom != "" {
		a, err := netmail.ParseAddress(c.SMTPFrom)
		if err != nil {
			return fmt.Errorf("--smtp-from: %v", err)
		}
		from = *a
	}
	d := &mail.Dispatcher{
		Store:    m.Store,
		Sender:   relay,
		Composer: &mail.Composer{From: from, Domain: mail.DomainOf(publicURL)},
		Log:      log,
		Hooks:    m.mailHooks(),
	}
	svc.MailQueued = d.Notify
	m.Mail = d
	d.Start()
	log.Info("mail: delivering through a relay", "relay", relay.String(), "from", from.String())
	return nil
}
