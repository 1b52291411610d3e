package rollcall

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Reasons faces map to their own errors.
const (
	ReasonIdempotencyMismatch = "idempotency-mismatch"
)

// CreateAlexaUserInput is what Alexa for Business CreateUser takes; the face has
// validated its shape.
type CreateAlexaUserInput struct {
	UserID             string
	Email              string
	FirstName          string
	LastName           string
	Tags               []Tag
	ClientRequestToken string
}

// CreateAlexaUser creates a user in the caller's Alexa for Business directory and returns
// its ARN. UserId is unique within the account (Conflict). A retry with the same
// ClientRequestToken and the same parameters returns the first ARN and creates nothing;
// the same token with other parameters is a Conflict with ReasonIdempotencyMismatch.
func (s *Service) CreateAlexaUser(ctx context.Context, c Caller, in CreateAlexaUserInput) (string, error) {
	const op = "CreateAlexaUser"
	dirID := AlexaDirectoryID(c.TenantID)
	scope := "a4b:" + c.TenantID
	reqHash := alexaRequestHash(in)
	now := s.now()
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	u := &User{
		ID:          s.newUUID(),
		DirectoryID: dirID,
		TenantID:    c.TenantID,
		Kind:        DirAlexa,
		Key:         in.UserID,
		Email:       in.Email,
		Username:    in.UserID,
		GivenName:   in.FirstName,
		FamilyName:  in.LastName,
		Status:      "ACTIVE",
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	u.Attrs.Arn = fmt.Sprintf("arn:aws:a4b:%s:%s:user/%s", region, c.TenantID, u.ID)
	u.Attrs.Tags = in.Tags

	var arn string
	replay := func(tx Tx) (bool, error) {
		if in.ClientRequestToken == "" {
			return false, nil
		}
		rec, err := tx.Idempotency(scope, in.ClientRequestToken)
		if IsKind(err, NotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if rec.RequestHash != reqHash {
			return true, &Error{Kind: Conflict, Field: "ClientRequestToken", Reason: ReasonIdempotencyMismatch,
				Message: "The ClientRequestToken " + in.ClientRequestToken + " was already used with different parameters."}
		}
		arn = rec.ResultID
		return true, nil
	}
	create := func(tx Tx) error {
		if done, err := replay(tx); done || err != nil {
			return err
		}
		if err := ensureAlexaDirectory(tx, c.TenantID, now); err != nil {
			return err
		}
		if err := tx.InsertUser(u); err != nil {
			if IsKind(err, Conflict) {
				return &Error{Kind: Conflict, Field: "UserId", Message: "A user with UserId " + in.UserID + " already exists."}
			}
			return err
		}
		if in.ClientRequestToken != "" {
			err := tx.InsertIdempotency(&IdempotencyRecord{Scope: scope, Token: in.ClientRequestToken, RequestHash: reqHash, ResultID: u.Attrs.Arn, CreatedAt: now})
			if err != nil {
				return err
			}
		}
		arn = u.Attrs.Arn
		return nil
	}
	err := s.Store.Update(ctx, create)
	if IsKind(err, Conflict) && in.ClientRequestToken != "" && ErrorReason(err) == "" {
		// A concurrent request with the same token may have won the race (on another
		// replica, say): answer as its retry would be answered.
		var done bool
		verr := s.Store.View(ctx, func(tx Tx) (e error) { done, e = replay(tx); return e })
		if done || verr != nil {
			err = verr
		}
	}
	if err != nil {
		return "", WithOp(op, err)
	}
	return arn, nil
}

// ensureAlexaDirectory creates the account's Alexa for Business directory on first use.
func ensureAlexaDirectory(tx Tx, accountID string, now time.Time) error {
	id := AlexaDirectoryID(accountID)
	_, err := tx.Directory(id)
	if !IsKind(err, NotFound) {
		return err
	}
	return tx.InsertDirectory(&Directory{ID: id, TenantID: accountID, Kind: DirAlexa, Name: "Alexa for Business", CreatedAt: now, UpdatedAt: now})
}

// alexaRequestHash fingerprints the parameters that make two requests "the same".
func alexaRequestHash(in CreateAlexaUserInput) string {
	in.ClientRequestToken = ""
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
