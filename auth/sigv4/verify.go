package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Credential is what the verifier needs to know about an access key.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken is set for temporary credentials: the request's X-Amz-Security-Token
	// must equal it.
	SessionToken string
	// SessionTokenHash may stand in for SessionToken when only the token's hash is kept:
	// the hex SHA-256 of the token.
	SessionTokenHash string
	Expires          time.Time // zero = never
	// Owner names whom the key belongs to (a tenant); Verify returns it in Result.
	Owner string
}

// Lookup finds the credential for an access key id. It returns ErrUnknownKey (wrapped or
// not) when there is none; an *Error it returns is passed on as it is, any other error
// as an internal failure.
type Lookup func(ctx context.Context, accessKeyID string) (Credential, error)

// Verifier checks SigV4 signatures. Set its fields before first use and do not copy it
// afterwards: it keeps a cache of signing keys. It is safe for concurrent use.
type Verifier struct {
	Lookup   Lookup           // required
	Now      func() time.Time // nil = time.Now
	MaxSkew  time.Duration    // 0 = DefaultMaxSkew
	Services []string         // accepted credential-scope services, e.g. {"chime"}; empty = any
	Regions  []string         // accepted credential-scope regions; empty = any valid region name
	// NormalizePath removes "." and ".." segments and empty segments from the path
	// before canonicalizing it. The Go SDKs do not (aws-sdk-go v1 cleans the path it
	// sends instead), so leave it false for them; botocore and the aws-c-auth suite's
	// "normalize": true cases do.
	NormalizePath bool
	// MustSign names headers (lower case) that must be among the signed headers whenever
	// the request carries them: those the service routes on or reads (x-amz-target,
	// content-type), so that a signature cannot be reused for another operation or body
	// type. The official clients sign every header they send but a few (user-agent, expect).
	MustSign []string

	keys keyCache
}

// Result describes a verified request.
type Result struct {
	AccessKeyID string
	Region      string
	Service     string
	Date        time.Time // X-Amz-Date
	Presigned   bool      // signed in the query string rather than the Authorization header
	Owner       string    // the Owner of the credential that signed the request
}

// DefaultMaxSkew is how far X-Amz-Date may be from the server's clock either way.
const DefaultMaxSkew = 15 * time.Minute

// MaxPresignExpiry is the longest X-Amz-Expires accepted, as AWS: seven days.
const MaxPresignExpiry = 7 * 24 * time.Hour

// signature is what the Authorization header or a presigned URL's query carries.
type signature struct {
	accessKey     string
	scope         string // "<date>/<region>/<service>/aws4_request"
	date          string // YYYYMMDD
	region        string
	service       string
	signedHeaders string // "host;x-amz-date"
	value         string // hex
	amzDate       string // X-Amz-Date
	token         string // X-Amz-Security-Token
	expires       time.Duration
	presigned     bool
}

// Verify checks the signature of r, whose complete body is body, in the Authorization
// header or in the query string (a presigned URL). It reads only r.Method, r.RequestURI
// (the raw path and query as sent; r.URL.RequestURI() when empty), r.Host and r.Header.
//
// A failure is an *Error, except that an error from Lookup other than an *Error is
// returned wrapped.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (Result, error) {
	path, rawQuery := requestTarget(r)
	var buf [16]param
	params, queryErr := parseQuery(buf[:0], rawQuery)
	s, err := parseSignature(r.Header, params)
	if err != nil {
		return Result{}, err
	}
	if queryErr != nil {
		return Result{}, failure(MalformedAuth, "The query string is not correctly encoded.")
	}
	// None of these services takes an unsigned or streamed payload (S3 alone does), in
	// the header form or presigned: the signature must cover the body.
	contentHash := first(r.Header, "X-Amz-Content-Sha256")
	for _, h := range [...]string{contentHash, queryValue(params, "X-Amz-Content-Sha256")} {
		if strings.HasPrefix(h, "STREAMING-") || h == unsignedPayload {
			return Result{}, failure(UnsupportedAlgorithm, "Unsupported x-amz-content-sha256 value "+quote(h)+": the payload must be signed.")
		}
	}
	if err := s.mustSign(r.Header, v.MustSign); err != nil {
		return Result{}, err
	}

	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	t := now().UTC()
	date, err := v.checkScope(&s, t)
	if err != nil {
		return Result{}, err
	}
	cred, err := v.credential(ctx, &s, t)
	if err != nil {
		return Result{}, err
	}

	// The payload hash the client signed: X-Amz-Content-Sha256 when sent, else the body's.
	sum := sha256.Sum256(body)
	var hashBuf [2 * sha256.Size]byte
	payload := hex.AppendEncode(hashBuf[:0], sum[:])
	if contentHash != "" {
		if !hexOf(contentHash, &sum) {
			return Result{}, failure(SignatureMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		copy(payload, contentHash) // as the client wrote it: the same length
	}

	key := v.keys.get(cred.SecretAccessKey, s.date, s.region, s.service)
	if v.NormalizePath {
		path = normalizePath(path)
	}
	c := canonical{
		method: r.Method, path: path,
		header: r.Header, host: r.Host, signedHeaders: s.signedHeaders, payload: payload,
	}
	if !s.verifies(&c, params, &key) {
		return Result{}, failure(SignatureMismatch, "")
	}
	return Result{AccessKeyID: s.accessKey, Region: s.region, Service: s.service, Date: date, Presigned: s.presigned, Owner: cred.Owner}, nil
}

// verifies reports whether the signature is that of one of the canonical requests the
// client may have signed. The query is tried in SigV4's order and, where it differs, in
// the order aws-sdk-go v1 signs; for a presigned URL with a session token, also without
// the token, which some signers add after signing. It reorders params.
func (s *signature) verifies(c *canonical, params []param, key *[sha256.Size]byte) bool {
	want, ok := decodeSignature(s.value)
	if !ok {
		return false
	}
	matches := func(params []param) bool {
		var buf [1024]byte
		var sts [192]byte
		got := hmacSHA256(key[:], appendStringToSign(sts[:0], s.amzDate, s.scope, sha256.Sum256(c.append(buf[:0], params))))
		return hmac.Equal(got[:], want[:])
	}
	inEitherOrder := func(params []param) bool {
		slices.SortFunc(params, bySigV4Order)
		if matches(params) {
			return true
		}
		if slices.IsSortedFunc(params, byDecodedOrder) {
			return false // the same order: nothing else to try
		}
		slices.SortFunc(params, byDecodedOrder)
		return matches(params)
	}
	if !s.presigned {
		return inEitherOrder(params)
	}
	params = slices.DeleteFunc(params, func(p param) bool { return p.key == "X-Amz-Signature" })
	if inEitherOrder(params) {
		return true
	}
	return s.token != "" && inEitherOrder(slices.DeleteFunc(params, func(p param) bool { return p.key == "X-Amz-Security-Token" }))
}

// first is h.Get(key) for a key already canonical: Get checks that it is on every call.
func first(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// mustSign checks that every header of names that h carries is signed.
func (s *signature) mustSign(h http.Header, names []string) error {
	for _, name := range names {
		if headerValues(h, name) == nil {
			continue
		}
		if !s.signs(name) {
			return failure(MalformedAuth, "SignedHeaders must include '"+name+"'.")
		}
	}
	return nil
}

// signs reports whether name is among the signed headers.
func (s *signature) signs(name string) bool {
	for names := s.signedHeaders; names != ""; {
		var n string
		n, names, _ = strings.Cut(names, ";")
		if n == name {
			return true
		}
	}
	return false
}

// hexOf reports whether h is the hex encoding of sum in either case, as strings.EqualFold
// with sum's lower-case encoding would.
func hexOf(h string, sum *[sha256.Size]byte) bool {
	if len(h) != 2*len(sum) {
		return false
	}
	for i, b := range sum {
		hi, okHi := hexDigit(h[2*i])
		lo, okLo := hexDigit(h[2*i+1])
		if !okHi || !okLo || hi<<4|lo != b {
			return false
		}
	}
	return true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// queryValue returns the value of the first query parameter named key, or "".
func queryValue(params []param, key string) string {
	for _, p := range params {
		if p.key == key {
			return p.value
		}
	}
	return ""
}

// decodeSignature decodes a hex SHA-256 signature.
func decodeSignature(s string) (sig [sha256.Size]byte, ok bool) {
	if len(s) != 2*sha256.Size {
		return sig, false
	}
	_, err := hex.Decode(sig[:], []byte(s))
	return sig, err == nil
}

// checkScope checks the credential scope against the accepted services and regions, and
// the request time against the clock (now); it returns the request time.
func (v *Verifier) checkScope(s *signature, now time.Time) (time.Time, error) {
	if len(v.Services) > 0 && !slices.Contains(v.Services, s.service) {
		return time.Time{}, failure(WrongService, "Credential should be scoped to correct service: '"+v.Services[0]+"'.")
	}
	if !ValidRegion(s.region) || len(v.Regions) > 0 && !slices.Contains(v.Regions, s.region) {
		return time.Time{}, failure(WrongRegion, "Credential should be scoped to a valid region, not '"+quote(s.region)+"'.")
	}
	t, err := time.Parse(amzDateLayout, s.amzDate)
	if err != nil || len(s.amzDate) != len(amzDateLayout) {
		return time.Time{}, failure(MalformedAuth, "X-Amz-Date must be in the ISO8601 basic format yyyyMMdd'T'HHmmss'Z'.")
	}
	if s.date != s.amzDate[:8] {
		return time.Time{}, failure(DateMismatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
			s.date+"' != '"+s.amzDate[:8]+"', from 'x-amz-date'.")
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	if s.presigned {
		expires := s.expires
		if expires == 0 {
			expires = skew // aws-sdk-go-v2's PresignHTTP leaves X-Amz-Expires to the caller
		}
		switch {
		case t.After(now.Add(skew)):
			return time.Time{}, failure(RequestExpired, "Request is not yet valid: X-Amz-Date "+s.amzDate+" is later than "+now.Format(amzDateLayout)+".")
		case now.After(t.Add(expires)):
			return time.Time{}, failure(RequestExpired, "Request has expired: X-Amz-Date "+s.amzDate+" plus X-Amz-Expires "+
				strconv.Itoa(int(expires/time.Second))+" seconds is earlier than "+now.Format(amzDateLayout)+".")
		}
		return t, nil
	}
	mins := strconv.Itoa(int(skew/time.Minute)) + " min.)"
	switch {
	case t.Before(now.Add(-skew)):
		return time.Time{}, failure(RequestExpired, "Signature expired: "+s.amzDate+" is now earlier than "+
			now.Add(-skew).Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" - "+mins)
	case t.After(now.Add(skew)):
		return time.Time{}, failure(RequestExpired, "Signature not yet current: "+s.amzDate+" is still later than "+
			now.Add(skew).Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" + "+mins)
	}
	return t, nil
}

// credential looks up the access key and checks that it is current and that the request
// carries its session token, if it has one.
func (v *Verifier) credential(ctx context.Context, s *signature, now time.Time) (Credential, error) {
	c, err := v.Lookup(ctx, s.accessKey)
	if err != nil {
		if e, ok := errors.AsType[*Error](err); ok {
			return Credential{}, failure(e.Code, e.Message)
		}
		return Credential{}, fmt.Errorf("sigv4: looking up access key %s: %w", quote(s.accessKey), err)
	}
	switch {
	case c.SecretAccessKey == "":
		return Credential{}, failure(UnknownKey, "") // never verify against an empty secret
	case !c.Expires.IsZero() && !now.Before(c.Expires):
		return Credential{}, failure(ExpiredCredential, "")
	case c.SessionToken == "" && c.SessionTokenHash == "":
		if s.token != "" {
			return Credential{}, failure(InvalidToken, "")
		}
	case s.token == "":
		return Credential{}, failure(InvalidToken, "The security token included in the request is invalid: temporary credentials need X-Amz-Security-Token.")
	case !tokenMatches(c, s.token):
		return Credential{}, failure(InvalidToken, "")
	}
	return c, nil
}

// tokenMatches compares token with the credential's in constant time, by their hashes.
func tokenMatches(c Credential, token string) bool {
	got := sha256.Sum256([]byte(token))
	var want [sha256.Size]byte
	if c.SessionToken != "" {
		want = sha256.Sum256([]byte(c.SessionToken))
	} else if n, err := hex.Decode(want[:], []byte(c.SessionTokenHash)); err != nil || n != len(want) {
		return false
	}
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// parseSignature finds the signature in the Authorization header or, failing that, in
// the query (X-Amz-Signature).
func parseSignature(h http.Header, params []param) (signature, error) {
	auth := first(h, "Authorization")
	presigned := slices.ContainsFunc(params, func(p param) bool { return p.key == "X-Amz-Signature" })
	switch {
	case auth != "" && presigned:
		return signature{}, failure(MalformedAuth, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified.")
	case len(h["Authorization"]) > 1:
		return signature{}, failure(MalformedAuth, "Only one Authorization header is allowed.")
	case auth != "":
		return parseAuthorization(auth, h)
	case presigned:
		return parsePresigned(params)
	}
	return signature{}, failure(MissingAuth, "")
}

// parseAuthorization reads "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func parseAuthorization(auth string, h http.Header) (signature, error) {
	var s signature
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != Algorithm {
		return s, badAlgorithm(alg)
	}
	var credential, signedHeaders, sig string
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		var dst *string
		switch name {
		case "Credential":
			dst = &credential
		case "SignedHeaders":
			dst = &signedHeaders
		case "Signature":
			dst = &sig
		default:
			return s, failure(MalformedAuth, "Authorization header is malformed: only Credential, SignedHeaders and Signature may follow the algorithm.")
		}
		if *dst != "" {
			return s, failure(MalformedAuth, "Authorization header is malformed: "+name+" is given twice.")
		}
		*dst = value
	}
	var missing []string
	for _, p := range [...]struct{ name, value string }{{"Credential", credential}, {"Signature", sig}, {"SignedHeaders", signedHeaders}} {
		if p.value == "" {
			missing = append(missing, "Authorization header requires '"+p.name+"' parameter.")
		}
	}
	s.amzDate = first(h, "X-Amz-Date")
	if s.amzDate == "" {
		missing = append(missing, "Authorization header requires existence of a 'X-Amz-Date' header.")
	}
	if len(missing) > 0 {
		return s, failure(MalformedAuth, strings.Join(missing, " "))
	}
	s.token = first(h, "X-Amz-Security-Token")
	return s, s.set(credential, signedHeaders, sig)
}

// parsePresigned reads the X-Amz-* query parameters of a presigned URL.
func parsePresigned(params []param) (signature, error) {
	s := signature{presigned: true}
	var alg, credential, signedHeaders, sig, expires string
	for _, p := range params {
		var dst *string
		switch p.key {
		case "X-Amz-Algorithm":
			dst = &alg
		case "X-Amz-Credential":
			dst = &credential
		case "X-Amz-Date":
			dst = &s.amzDate
		case "X-Amz-SignedHeaders":
			dst = &signedHeaders
		case "X-Amz-Signature":
			dst = &sig
		case "X-Amz-Expires":
			dst = &expires
		case "X-Amz-Security-Token":
			dst = &s.token
		default:
			continue
		}
		if *dst != "" {
			return s, failure(MalformedAuth, "The query parameter "+p.key+" is given twice.")
		}
		*dst = p.value
	}
	if alg != Algorithm {
		if alg == "" {
			return s, failure(MalformedAuth, "AWS query-string parameters must include 'X-Amz-Algorithm'. Re-examine the query-string parameters.")
		}
		return s, badAlgorithm(alg)
	}
	for _, p := range [...]struct{ name, value string }{
		{"X-Amz-Credential", credential}, {"X-Amz-Date", s.amzDate}, {"X-Amz-SignedHeaders", signedHeaders}, {"X-Amz-Signature", sig},
	} {
		if p.value == "" {
			return s, failure(MalformedAuth, "AWS query-string parameters must include '"+p.name+"'. Re-examine the query-string parameters.")
		}
	}
	if expires != "" {
		n, err := strconv.ParseUint(expires, 10, 32)
		switch {
		case err != nil || n == 0:
			return s, failure(MalformedAuth, "X-Amz-Expires should be a number of seconds greater than 0.")
		case time.Duration(n)*time.Second > MaxPresignExpiry:
			return s, failure(RequestExpired, "X-Amz-Expires must be less than a week (in seconds) that is 604800.")
		}
		s.expires = time.Duration(n) * time.Second
	}
	return s, s.set(credential, signedHeaders, sig)
}

// badAlgorithm is the failure for an algorithm other than AWS4-HMAC-SHA256: unsupported
// when it is a SigV4 variant (e.g. SigV4a's AWS4-ECDSA-P256-SHA256), else malformed.
func badAlgorithm(alg string) error {
	if strings.HasPrefix(alg, "AWS4-") {
		return failure(UnsupportedAlgorithm, "Unsupported signing algorithm "+quote(alg)+": only AWS4-HMAC-SHA256 is supported.")
	}
	return failure(MalformedAuth, "Authorization header is malformed: the signing algorithm must be AWS4-HMAC-SHA256.")
}

// set parses the credential ("<key>/<date>/<region>/<service>/aws4_request") and
// SignedHeaders into s and keeps the signature.
func (s *signature) set(credential, signedHeaders, sig string) error {
	key, scope, _ := strings.Cut(credential, "/")
	date, rest, _ := strings.Cut(scope, "/")
	region, rest, _ := strings.Cut(rest, "/")
	service, terminator, _ := strings.Cut(rest, "/")
	if key == "" || !isDate(date) || region == "" || service == "" || terminator != "aws4_request" {
		return failure(MalformedAuth, "Credential should be of the form <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.")
	}
	s.accessKey, s.scope, s.date, s.region, s.service = key, scope, date, region, service

	host := false
	for names := signedHeaders; names != ""; {
		var name string
		name, names, _ = strings.Cut(names, ";")
		if name == "" || strings.ContainsFunc(name, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			return failure(MalformedAuth, "SignedHeaders must be a list of lower-case header names separated by ';'.")
		}
		host = host || name == "host"
	}
	if !host {
		return failure(MalformedAuth, "SignedHeaders must include 'host'.")
	}
	s.signedHeaders, s.value = signedHeaders, sig
	return nil
}

// ValidRegion reports whether name has the form of an AWS region name: a partition
// prefix of 2 to 4 letters, one to three words and a number, in lower case, separated by
// hyphens (us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1). The region reaches
// ARNs and stored records, so nothing else may pass for one.
func ValidRegion(name string) bool {
	if len(name) > 32 {
		return false
	}
	parts := 0
	for rest, more := name, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, "-")
		parts++
		switch {
		case parts > 5:
			return false
		case !more: // the number
			if len(p) > 2 || !isDigits(p) {
				return false
			}
		case parts == 1 && (len(p) < 2 || len(p) > 4), !isLower(p):
			return false
		}
	}
	return parts >= 3
}

// isLower reports whether s is one or more of a-z.
func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
