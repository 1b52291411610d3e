package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/rawhttp"
)

// businessUsers counts the Amazon Business users of the dev business.
func businessUsers(t *testing.T, m *testMain) int {
	t.Helper()
	n := 0
	err := m.Store.View(context.Background(), func(tx rollcall.Tx) error {
		us, err := tx.Users(rollcall.UserQuery{DirectoryID: rollcall.DevBusinessID})
		n = len(us)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRequestSmugglingRefused: the report's CL.TE request (an Amazon Business create whose
// chunked body ends early, followed by a second create) is answered 400 and the
// connection closed; neither create runs.
func TestRequestSmugglingRefused(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	create := func(email string) string {
		return `{"accountHolder":{"email":"` + email + `","givenName":"A","familyName":"B"},"region":"US"}`
	}
	second := "POST /businessAccounts/2021-08-30/businessUserAccount HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
		"x-amz-access-token: " + rollcall.DevAccessToken + "\r\nContent-Length: " + strconv.Itoa(len(create("second@example.com"))) + "\r\n\r\n" + create("second@example.com")
	chunk := create("first@example.com")
	body := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(chunk), chunk)
	first := "POST /businessAccounts/2021-08-30/businessUserAccount HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
		"x-amz-access-token: " + rollcall.DevAccessToken + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body
	statuses, closed := rawhttp.Exchange(t, strings.TrimPrefix(m.URL, "http://"), 3*time.Second, first+second)
	if len(statuses) != 1 || statuses[0] != http.StatusBadRequest || !closed {
		t.Fatalf("statuses %v (closed %v), want one 400 and the connection closed", statuses, closed)
	}
	if n := businessUsers(t, m); n != 0 {
		t.Fatalf("%d users created", n)
	}
	// The same two requests, framed honestly on one connection, both run.
	honest := strings.Replace(first, "Content-Length: "+strconv.Itoa(len(body))+"\r\n", "", 1)
	if statuses, _ := rawhttp.Exchange(t, strings.TrimPrefix(m.URL, "http://"), 3*time.Second, honest+strings.Replace(second, "Host: x\r\n", "Host: x\r\nConnection: close\r\n", 1)); len(statuses) != 2 || statuses[0] != 201 || statuses[1] != 201 {
		t.Fatalf("honest requests: %v", statuses)
	}
}

// TestHeaderAndURLLimits: a signed Chime CreateUser with a 1 MB header is 431 (it was 201),
// a 1 MB URL is refused, and a 17 KiB one is 414; nothing is created.
func TestHeaderAndURLLimits(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := sdkSession(t, m.URL, "test", "test")
	acct := mustChimeAccount(t, chime.New(sess), "Limits")
	id := *acct.AccountId
	body := []byte(`{"Email":"big@example.com"}`)
	req, _ := http.NewRequest("POST", m.URL+"/accounts/"+id+"/users?operation=create", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Big", strings.Repeat("a", 1<<20))
	if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("1 MB header: %d, want 431", resp.StatusCode)
		}
	}
	for _, c := range []struct {
		n    int
		want []int
	}{{1 << 20, []int{431, 414}}, {17 << 10, []int{414}}} {
		statuses, closed := rawhttp.Exchange(t, strings.TrimPrefix(m.URL, "http://"), 3*time.Second, "GET /accounts?name="+strings.Repeat("a", c.n)+" HTTP/1.1\r\nHost: x\r\n\r\n")
		if len(statuses) != 1 || !closed || (statuses[0] != c.want[0] && statuses[0] != c.want[len(c.want)-1]) {
			t.Errorf("%d-byte URL: %v (closed %v), want one of %v and the connection closed", c.n, statuses, closed, c.want)
		}
	}
	users, err := chime.New(sess).ListUsers(&chime.ListUsersInput{AccountId: aws.String(id)})
	if err != nil || len(users.Users) != 0 {
		t.Fatalf("users %v, %v", users, err)
	}
}

// TestHeaderFloodMemory: 200 connections each sending a 1 MB header keep the server's
// peak resident memory (VmHWM, the whole process since it started) under 100 MiB. The
// report measured 480-650 MiB without a header limit.
func TestHeaderFloodMemory(t *testing.T) {
	bin := buildRollcall(t)
	r, err := startReplica(t, bin, "flood", "sqlite:"+filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	before := vmHWM(t, r.cmd.Process.Pid)
	header := "GET /accounts HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 1<<20) + "\r\n\r\n"
	var wg sync.WaitGroup
	var mu sync.Mutex
	refused := 0
	for range 200 {
		wg.Go(func() {
			c, err := net.Dial("tcp", strings.TrimPrefix(r.URL, "http://"))
			if err != nil {
				return
			}
			defer c.Close()
			go io.WriteString(c, header) // the server may stop reading it
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil && resp.StatusCode == http.StatusRequestHeaderFieldsTooLarge {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	peak := vmHWM(t, r.cmd.Process.Pid)
	t.Logf("peak RSS: %.1f MiB before, %.1f MiB after 200 x 1 MB headers (%d answered 431)", mib(before), mib(peak), refused)
	if peak > 100<<20 {
		t.Errorf("peak RSS %.1f MiB, want under 100 MiB", mib(peak))
	}
	if refused < 190 {
		t.Errorf("only %d of 200 were answered 431", refused)
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// vmHWM is a process's peak resident set size, in bytes.
func vmHWM(t *testing.T, pid int) int64 { t.Helper(); return int64(procMemory(t, pid, "VmHWM")) << 10 }

// TestDevDefaultsStayOnLoopback: the public dev credentials are not served on a network
// address unless asked for.
func TestDevDefaultsStayOnLoopback(t *testing.T) {
	for _, c := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"--listen", "0.0.0.0:0"}, false},
		{[]string{"--listen", ":4566"}, false},
		{[]string{"--listen", "[::]:0"}, false},
		{[]string{"--listen", "192.0.2.1:4566"}, false},
		{[]string{"--listen", "127.0.0.1:0"}, true},
		{[]string{"--listen", "[::1]:0"}, true},
		{[]string{"--listen", "localhost:0"}, true},
		{[]string{"--listen", "0.0.0.0:0", "--no-dev-defaults"}, true},
		{[]string{"--listen", "0.0.0.0:0", "--expose-dev-defaults"}, true},
	} {
		var cfg Config
		err := cfg.parse(c.args, func(string) string { return "" }, io.Discard)
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.args, err)
		}
		if err != nil && !strings.Contains(err.Error(), "--no-dev-defaults") {
			t.Errorf("%v: the error does not say what to do: %v", c.args, err)
		}
	}
	var cfg Config
	if err := cfg.parse(nil, func(k string) string {
		return map[string]string{"ROLLCALL_LISTEN": "0.0.0.0:4566", "ROLLCALL_EXPOSE_DEV_DEFAULTS": "true"}[k]
	}, io.Discard); err != nil {
		t.Errorf("from the environment: %v", err)
	}
}

// TestRegionsFlag: --regions narrows the accepted regions; a region name that is not one
// is refused at start, and in a signature whatever the flag.
func TestRegionsFlag(t *testing.T) {
	for _, bad := range []string{"x:111122223333", "Evil<b>region", "us-east-1,", "US-EAST-1"} {
		var cfg Config
		if err := cfg.parse([]string{"--regions", bad}, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("--regions %q accepted", bad)
		}
	}
	m := MustRunMain(t, t.TempDir(), "--regions", "eu-west-1,us-east-1")
	client := func(region string) *alexaforbusiness.AlexaForBusiness {
		return alexaforbusiness.New(sdkSession(t, m.URL, "test", "test"), aws.NewConfig().WithRegion(region))
	}
	if _, err := client("us-east-1").CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("east")}); err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"ap-southeast-2", "x:111122223333", "Evil<b>region"} {
		_, err := client(region).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("elsewhere")})
		if awsCode(err) != "InvalidSignatureException" {
			t.Errorf("region %q: %v", region, err)
		}
	}
	out, err := client("eu-west-1").SearchUsers(&alexaforbusiness.SearchUsersInput{})
	if err != nil || len(out.Users) != 1 || !strings.HasPrefix(*out.Users[0].UserArn, "arn:aws:a4b:us-east-1:000000000000:") {
		t.Fatalf("users %v, %v", out, err)
	}
}

// TestA4BPresignedOverHostAlone: the report's attack through the real wiring: a URL
// presigned over host alone, sent with X-Amz-Target CreateUser, then TagResource and
// DeleteUser. Each is refused; the signature must cover X-Amz-Target.
func TestA4BPresignedOverHostAlone(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	for _, op := range []struct{ target, body string }{
		{"CreateUser", `{"UserId":"intruder"}`},
		{"TagResource", `{"Arn":"arn:aws:a4b:us-east-1:000000000000:user/x","Tags":[{"Key":"k","Value":"v"}]}`},
		{"DeleteUser", `{"UserArn":"arn:aws:a4b:us-east-1:000000000000:user/x","EnrollmentId":"e"}`},
	} {
		req, _ := http.NewRequest("POST", m.URL+"/", strings.NewReader(op.body))
		if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Presign(req, strings.NewReader(op.body), "a4b", "us-east-1", time.Minute, time.Now()); err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Amz-Target", "AlexaForBusiness."+op.target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, body := mustDo(t, req)
		if resp.StatusCode != 400 || !strings.Contains(body, "IncompleteSignatureException") || !strings.Contains(body, "x-amz-target") {
			t.Errorf("%s: %d %s", op.target, resp.StatusCode, body)
		}
	}
	out, err := alexaforbusiness.New(sdkSession(t, m.URL, "test", "test")).SearchUsers(&alexaforbusiness.SearchUsersInput{})
	if err != nil || len(out.Users) != 0 {
		t.Fatalf("users %v, %v", out, err)
	}
}
