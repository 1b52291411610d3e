package alexa

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
	"github.com/rollcall/rollcall/internal/jsonstr"
)

// CreateUserInput is what Alexa for Business CreateUser takes; the face has
// validated its shape.
type CreateUserInput struct {
	UserID             string
	Email              string
	FirstName          string
	LastName           string
	Tags               []Tag
	ClientRequestToken string
	// Declare, when set, is given the new user's ARN before the write: what CreateUser
	// returns if the write commits (the face declares its answer for the audit trail).
	Declare Declarer `json:"-"`
}

// Declarer is told what a create answers if its write commits (CreateUserInput.Declare).
// An interface rather than a func, so that a face can hand over a pointer it holds
// (its request) without allocating a closure for every create.
type Declarer interface{ Declare(arn string) }

// CreateUser creates a user in the caller's Alexa for Business directory and returns
// its ARN. UserId is unique within the account (Conflict). A retry with the same
// ClientRequestToken and the same parameters returns the first ARN and creates nothing;
// the same token with other parameters is a Conflict with rollcall.ReasonIdempotencyMismatch.
// A token is honoured for s.Core.IdempotencyRetention; after that it is new again.
func (s *Service) CreateUser(ctx context.Context, c rollcall.Caller, in CreateUserInput) (string, error) {
	const op = "CreateAlexaUser"
	dirID := rollcall.AlexaDirectoryID(c.TenantID)
	var scope, reqHash string
	if in.ClientRequestToken != "" {
		// Only a token can be replayed: without one there is nothing to compare with,
		// and the fingerprint (JSON by reflection, SHA-256) was 2.5% of a create.
		scope, reqHash = rollcall.IdempotencyScope("a4b", c.TenantID), alexaRequestHash(in)
	}
	now := s.Core.Time()
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	u := attrjson.NewUser[UserAttrs](rollcall.User{
		ID:          s.Core.NewUUID(),
		DirectoryID: dirID,
		TenantID:    c.TenantID,
		Kind:        rollcall.DirAlexa,
		Key:         in.UserID,
		Email:       in.Email,
		Username:    in.UserID,
		GivenName:   in.FirstName,
		FamilyName:  in.LastName,
		Status:      "ACTIVE",
		CreatedAt:   now,
		UpdatedAt:   now,
	})
	u.Attrs.Arn = "arn:aws:a4b:" + region + ":" + c.TenantID + ":user/" + u.ID
	u.Attrs.Tags = in.Tags
	// Encoded here, not in the Update: the less done inside, the less every write waits
	// for on SQLite's one writer goroutine.
	row := put(u)
	if in.Declare != nil {
		in.Declare.Declare(u.Attrs.Arn)
	}

	// One allocation for the create's state (its record among it) and one for the
	// Update's func: the replay's state and closure are made only on a conflict.
	w := &userCreate{svc: s, dirID: dirID, tenantID: c.TenantID, userID: in.UserID, now: now, row: row}
	if in.ClientRequestToken != "" {
		w.rec = rollcall.IdempotencyRecord{Scope: scope, Token: in.ClientRequestToken, RequestHash: reqHash, ResultID: u.Attrs.Arn, CreatedAt: now}
	}
	// The create does not look its token up first: the idempotency key's unique index
	// refuses a token used before (as the users' refuses a taken UserId), and only then
	// does the replay read the record, outside the write. Nearly every SDK request
	// carries a token, and nearly none is a retry: the lookup was a statement more on
	// the one writer for every create.
	arn := u.Attrs.Arn
	err := s.Core.Store.Update(ctx, w.create)
	if rollcall.IsKind(err, rollcall.Conflict) && in.ClientRequestToken != "" && rollcall.ErrorReason(err) == "" {
		arn, err = w.retried(ctx, err)
	}
	if err != nil {
		return "", rollcall.WithOp(op, err)
	}
	return arn, nil
}

// userCreate is a CreateUser's write: the user's row and, with a client token, its
// idempotency record.
type userCreate struct {
	svc             *Service
	dirID, tenantID string
	userID          string
	now             time.Time
	row             *rollcall.User
	rec             rollcall.IdempotencyRecord // Token "": none
}

func (w *userCreate) create(tx rollcall.Tx) error {
	if err := ensureDirectory(tx, w.dirID, w.tenantID, w.now); err != nil {
		return err
	}
	if err := tx.InsertUser(w.row); err != nil {
		if rollcall.IsKind(err, rollcall.Conflict) {
			return &rollcall.Error{Kind: rollcall.Conflict, Field: "UserId", Values: map[string]string{"UserId": w.userID}, Message: "UserId " + w.userID + " taken"}
		}
		return err
	}
	if w.rec.Token != "" {
		return tx.InsertIdempotency(&w.rec)
	}
	return nil
}

// retried answers a create whose token's record was there (err, the Update's
// Conflict): a retry, or a concurrent request with the same token that won the race
// (on another replica, say), is answered as its retry is answered: the first ARN, or
// a Conflict (rollcall.ReasonIdempotencyMismatch) for other parameters. Past its
// window the token is new: its record goes (only while still expired, so a concurrent
// reuse that won keeps its own), the create runs again, and a Conflict is answered as
// any other.
func (w *userCreate) retried(ctx context.Context, err error) (string, error) {
	core := w.svc.Core
	var arn string
	// expired is set by replay when the token's record is past its window: the request
	// is then new, and the create runs again once the record is gone.
	var expired bool
	replay := func(tx rollcall.Tx) (bool, error) {
		rec, err := tx.Idempotency(w.rec.Scope, w.rec.Token)
		if rollcall.IsKind(err, rollcall.NotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if rec.Expired(core.IdempotencyCutoff()) {
			expired = true
			return false, nil
		}
		if rec.RequestHash != w.rec.RequestHash {
			return true, &rollcall.Error{Kind: rollcall.Conflict, Field: "ClientRequestToken", Reason: rollcall.ReasonIdempotencyMismatch,
				Values: map[string]string{"ClientRequestToken": w.rec.Token}, Message: "client token reused with other parameters"}
		}
		arn = rec.ResultID
		return true, nil
	}
	var done bool
	verr := core.Store.View(ctx, func(tx rollcall.Tx) (e error) { done, e = replay(tx); return e })
	if expired && verr == nil {
		err = core.Store.Update(ctx, func(tx rollcall.Tx) error {
			if err := tx.DeleteIdempotency(w.rec.Scope, w.rec.Token, core.IdempotencyCutoff()); err != nil {
				return err
			}
			return w.create(tx)
		})
		if err == nil {
			return w.rec.ResultID, nil
		}
		if rollcall.IsKind(err, rollcall.Conflict) && rollcall.ErrorReason(err) == "" {
			expired = false
			verr = core.Store.View(ctx, func(tx rollcall.Tx) (e error) { done, e = replay(tx); return e })
		}
	}
	if done || verr != nil {
		return arn, verr
	}
	return "", err
}

// EnsureDirectory creates the account's Alexa for Business directory on first use.
func EnsureDirectory(tx rollcall.Tx, accountID string, now time.Time) error {
	return ensureDirectory(tx, rollcall.AlexaDirectoryID(accountID), accountID, now)
}

// ensureDirectory is EnsureDirectory for a caller that holds the directory's ID
// (rollcall.AlexaDirectoryID(accountID)) already.
func ensureDirectory(tx rollcall.Tx, id, accountID string, now time.Time) error {
	_, err := tx.Directory(id)
	if !rollcall.IsKind(err, rollcall.NotFound) {
		return err
	}
	return tx.InsertDirectory(&rollcall.Directory{ID: id, TenantID: accountID, Kind: rollcall.DirAlexa, Name: "Alexa for Business", CreatedAt: now, UpdatedAt: now})
}

// alexaRequestHash fingerprints the parameters that make two requests "the same": the
// SHA-256 of in as encoding/json writes it without its token, which the stored records
// hold (written here by hand, byte for byte: json.Marshal's reflection was most of the
// fingerprint's cost, and every SDK create carries a token).
func alexaRequestHash(in CreateUserInput) string {
	var buf [512]byte
	sum := sha256.Sum256(appendRequest(buf[:0], &in))
	var digits [2 * sha256.Size]byte
	return string(hex.AppendEncode(digits[:0], sum[:]))
}

// appendRequest appends in, its ClientRequestToken left empty, as json.Marshal writes it.
func appendRequest(b []byte, in *CreateUserInput) []byte {
	b = append(b, `{"UserID":`...)
	b = jsonstr.Append(b, in.UserID)
	b = append(b, `,"Email":`...)
	b = jsonstr.Append(b, in.Email)
	b = append(b, `,"FirstName":`...)
	b = jsonstr.Append(b, in.FirstName)
	b = append(b, `,"LastName":`...)
	b = jsonstr.Append(b, in.LastName)
	b = append(b, `,"Tags":`...)
	if in.Tags == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range in.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"key":`...)
			b = jsonstr.Append(b, t.Key)
			b = append(b, `,"value":`...)
			b = jsonstr.Append(b, t.Value)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, `,"ClientRequestToken":""}`...)
}
