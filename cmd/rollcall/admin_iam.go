package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// `rollcall admin` commands for IAM principals, policies, keys and the simulator.
const adminIAMUsage = `  principals ACCOUNT               list an account's IAM principals
  principal ARN                    show a principal and its policies
  put-principal ARN                declare a principal (without policies: full access)
  delete-principal ARN             remove a principal; keys attached to it are denied
  put-policy ARN NAME FILE         add or replace a policy (FILE: JSON, - for stdin)
  delete-policy ARN NAME           remove a policy
  attach-key KEY [ARN]             make an access key act as a principal (no ARN: detach)
  simulate FILE                    evaluate a request (FILE: the simulator's JSON, - for stdin)
`

// adminIAM runs an IAM command; handled is false for a command it does not know.
func adminIAM(ctx context.Context, c *adminClient, p printer, cmd string, args []string, stdin io.Reader) (handled bool, err error) {
	need := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("usage: rollcall admin %s takes %d argument(s); run rollcall admin -h", cmd, n)
		}
		return nil
	}
	var out map[string]any
	sendFile := func(method, path string, query url.Values, name string) error {
		doc, err := readArg(name, stdin)
		if err != nil {
			return err
		}
		return c.send(ctx, method, path, query, doc, &out)
	}
	switch cmd {
	case "principals":
		if err := need(1); err != nil {
			return true, err
		}
		var v struct {
			Principals []map[string]any `json:"principals"`
		}
		if err := c.send(ctx, http.MethodGet, "iam/principals", url.Values{"account": {args[0]}}, nil, &v); err != nil {
			return true, err
		}
		rows := make([][]string, 0, len(v.Principals))
		for _, pr := range v.Principals {
			pols, _ := pr["policies"].([]any)
			rows = append(rows, []string{fmt.Sprint(pr["arn"]), strconv.Itoa(len(pols)), fmt.Sprint(pr["version"])})
		}
		return true, p.print(v, []string{"ARN", "POLICIES", "VERSION"}, rows)
	case "principal", "put-principal", "delete-principal":
		if err := need(1); err != nil {
			return true, err
		}
		method := map[string]string{"principal": http.MethodGet, "put-principal": http.MethodPut, "delete-principal": http.MethodDelete}[cmd]
		err = c.send(ctx, method, "iam/principal", url.Values{"arn": {args[0]}}, nil, &out)
	case "put-policy":
		if err := need(3); err != nil {
			return true, err
		}
		err = sendFile(http.MethodPut, "iam/policy", url.Values{"arn": {args[0]}, "name": {args[1]}}, args[2])
	case "delete-policy":
		if err := need(2); err != nil {
			return true, err
		}
		err = c.send(ctx, http.MethodDelete, "iam/policy", url.Values{"arn": {args[0]}, "name": {args[1]}}, nil, &out)
	case "attach-key":
		if len(args) != 1 && len(args) != 2 {
			return true, need(2)
		}
		arn := ""
		if len(args) == 2 {
			arn = args[1]
		}
		body, _ := json.Marshal(map[string]string{"principal": arn})
		err = c.send(ctx, http.MethodPut, "iam/key", url.Values{"id": {args[0]}}, body, &out)
	case "simulate":
		if err := need(1); err != nil {
			return true, err
		}
		err = sendFile(http.MethodPost, "iam/simulate", nil, args[0])
	default:
		return false, nil
	}
	if err != nil || out == nil {
		return true, err
	}
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return true, enc.Encode(out)
}

// readArg reads a file, or stdin for "-".
func readArg(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, 1<<20))
	}
	return os.ReadFile(name)
}

// send is call with a request body.
func (c *adminClient) send(ctx context.Context, method, path string, query url.Values, body []byte, out any) error {
	u := strings.TrimRight(c.base, "/") + "/_rollcall/" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("no rollcall server answers at %s (is it running? --url or ROLLCALL_URL says where): %w", c.base, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
			return fmt.Errorf("%s (%s, HTTP %d)", e.Error.Message, e.Error.Code, resp.StatusCode)
		}
		return fmt.Errorf("HTTP %d from %s", resp.StatusCode, u)
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, out)
}
