package main

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/internal/testlog"
)

// runSkewed starts rollcall with its clock off by skew, which stands for a client whose
// clock is off by -skew (libfaketime is not needed: only the difference counts, and the
// Date header follows the server's clock).
func runSkewed(t *testing.T, skew time.Duration) *Main {
	t.Helper()
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, &testlog.Buffer{}
	m.Now = func() time.Time { return time.Now().Add(skew) }
	if err := m.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--quiet",
		"--argon2-memory", "1024", "--argon2-time", "1"}, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// faceLines runs a script that prints one line per face and returns them by face.
func faceLines(t *testing.T, cmd *exec.Cmd) map[string]string {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, out)
	}
	lines := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		face, rest, _ := strings.Cut(line, " ")
		lines[face] = rest
	}
	return lines
}

var skewFaces = []string{"chime", "workdocs", "alexaforbusiness"}

// TestClockSkewJavaScriptSDK: a client whose clock is 20 minutes off (either way) gets
// AWS's common "Signature expired" / "not yet current" error from every face, and the
// AWS SDK for JavaScript v3 corrects its clock and succeeds on its first call (the
// second attempt).
func TestClockSkewJavaScriptSDK(t *testing.T) {
	node, dir := testdeps.JSSDK(t, "testdata/jssdk")
	for _, skew := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		m := runSkewed(t, skew)
		cmd := exec.Command(node, "skew.mjs", m.URL)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_EC2_METADATA_DISABLED=true",
			"AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1", "NODE_NO_WARNINGS=1"}
		lines := faceLines(t, cmd)
		for _, face := range skewFaces {
			if lines[face] != "ok 2" {
				t.Errorf("server clock %v: %s: %q, want ok after one clock correction (ok 2)", skew, face, lines[face])
			}
		}
	}
}

// TestClockSkewBoto3: boto3 reads the skew error of every face as AWS's common
// InvalidSignatureException, the error on which SDKs that correct their clock do so.
// (botocore itself, up to 1.43 at least, corrects no clock skew: its call fails against
// AWS too, and here.)
func TestClockSkewBoto3(t *testing.T) {
	py := testdeps.Boto3(t)
	for skew, prefix := range map[time.Duration]string{20 * time.Minute: "Signature expired: ", -20 * time.Minute: "Signature not yet current: "} {
		m := runSkewed(t, skew)
		cmd := exec.Command(py, "testdata/skew.py", m.URL)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_EC2_METADATA_DISABLED=true",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
		lines := faceLines(t, cmd)
		for _, face := range skewFaces {
			if !strings.HasPrefix(lines[face], "error InvalidSignatureException: "+prefix) {
				t.Errorf("server clock %v: %s: %q, want InvalidSignatureException %q...", skew, face, lines[face], prefix)
			}
		}
	}
	// With the clocks agreeing, every call succeeds.
	m := runSkewed(t, 0)
	cmd := exec.Command(py, "testdata/skew.py", m.URL)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(), "AWS_EC2_METADATA_DISABLED=true"}
	for face, line := range faceLines(t, cmd) {
		if line != "ok" {
			t.Errorf("no skew: %s: %q", face, line)
		}
	}
}
