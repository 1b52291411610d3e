package iam

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Context holds the request's condition keys. Key names are case-insensitive, as in AWS
// (aws:SourceIp and AWS:sourceip are one key); values are kept as given. A key can hold
// several values (aws:TagKeys). The zero Context is empty and usable for reading.
type Context struct {
	m map[string][]string
}

// Set replaces key's values. Setting no values removes the key.
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	k := strings.ToLower(key)
	if len(values) == 0 {
		delete(c.m, k)
		return
	}
	c.m[k] = values
}

// Get returns key's values and whether the key is present.
func (c *Context) Get(key string) ([]string, bool) {
	return c.lookup(strings.ToLower(key))
}

// lookup takes a key already lower-cased (compiled policies lower-case theirs once). A key
// present with no values counts as absent.
func (c *Context) lookup(lower string) ([]string, bool) {
	v, ok := c.m[lower]
	return v, ok && len(v) > 0
}

// Principal is the caller a request is evaluated for.
type Principal struct {
	// ARN is arn:aws:iam::ACCOUNT:user/NAME for a user, or
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION for a role session.
	ARN string
	// Account is the 12-digit account ID.
	Account string
	// UserID is the principal's unique ID (aws:userid).
	UserID string
}

// IsUser reports whether the principal is an IAM user (aws:username is set only for users).
func (p Principal) IsUser() bool { return strings.Contains(p.ARN, ":user/") }

// name is the user name of a user ARN (the last path segment).
func (p Principal) name() string {
	_, rest, ok := strings.Cut(p.ARN, ":user/")
	if !ok {
		return ""
	}
	return rest[strings.LastIndexByte(rest, '/')+1:]
}

// RequestInfo is what the transport knows about a request.
type RequestInfo struct {
	Time            time.Time
	SourceIP        netip.Addr // invalid when unknown
	SecureTransport bool
}

// NewContext returns the global condition keys AWS sets on every request: aws:CurrentTime,
// aws:EpochTime, aws:SecureTransport, aws:SourceIp (when known), aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType, aws:userid and, for IAM users, aws:username.
// Tag keys (aws:RequestTag/*, aws:TagKeys, aws:ResourceTag/*) are the operation's to add.
func NewContext(p Principal, info RequestInfo) Context {
	var c Context
	c.m = make(map[string][]string, 12)
	t := info.Time.UTC()
	c.m["aws:currenttime"] = []string{t.Format(time.RFC3339)}
	c.m["aws:epochtime"] = []string{strconv.FormatInt(t.Unix(), 10)}
	c.m["aws:securetransport"] = []string{strconv.FormatBool(info.SecureTransport)}
	if info.SourceIP.IsValid() {
		c.m["aws:sourceip"] = []string{info.SourceIP.Unmap().String()}
	}
	if p.ARN != "" {
		c.m["aws:principalarn"] = []string{p.ARN}
	}
	if p.Account != "" {
		c.m["aws:principalaccount"] = []string{p.Account}
	}
	if p.UserID != "" {
		c.m["aws:userid"] = []string{p.UserID}
	}
	if p.IsUser() {
		c.m["aws:principaltype"] = []string{"User"}
		c.m["aws:username"] = []string{p.name()}
	} else if p.ARN != "" {
		c.m["aws:principaltype"] = []string{"AssumedRole"}
	}
	return c
}

// SetTags adds aws:RequestTag/KEY for each tag of the request and aws:TagKeys.
func (c *Context) SetTags(tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, 0, len(tags))
	for k, v := range tags {
		c.Set("aws:RequestTag/"+k, v)
		keys = append(keys, k)
	}
	c.Set("aws:TagKeys", keys...)
}

// SetResourceTags adds aws:ResourceTag/KEY for each tag of the resource acted on.
func (c *Context) SetResourceTags(tags map[string]string) {
	for k, v := range tags {
		c.Set("aws:ResourceTag/"+k, v)
	}
}
