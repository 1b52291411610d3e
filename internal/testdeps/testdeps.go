package testdeps

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// InCI reports whether the tests run in CI (CI=true), where nothing may be skipped.
func InCI() bool { return os.Getenv("CI") == "true" }

// Require stops tb when missing is not nil: a failure under CI=true, else a skip. what
// names the dependency and how to get it.
func Require(tb testing.TB, missing error, what string) {
	tb.Helper()
	if missing == nil {
		return
	}
	if InCI() {
		tb.Fatalf("%s is missing (CI=true, so this fails rather than skips): %v", what, missing)
		return
	}
	tb.Skipf("%s is missing: %v", what, missing)
}

// EnvOr is the environment variable name, else fallback when it is unset or empty: where
// a test finds a dependency that the environment may move.
func EnvOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// RequireFile requires that path exists.
func RequireFile(tb testing.TB, path, what string) {
	tb.Helper()
	_, err := os.Stat(path)
	Require(tb, err, what)
}

// Slow skips a slow test under -short, except under CI=true, where every test runs.
func Slow(tb testing.TB, why string) {
	tb.Helper()
	if testing.Short() && !InCI() {
		tb.Skip("slow (-short): " + why)
	}
}

// AWSCLI returns Debian's AWS CLI v2: $ROLLCALL_TEST_AWS_CLI, else /usr/bin/aws. PATH is
// not searched: another aws may come first on it (an old v1 without these services).
func AWSCLI(tb testing.TB) string {
	tb.Helper()
	Slow(tb, "starts the AWS CLI")
	path := EnvOr("ROLLCALL_TEST_AWS_CLI", "/usr/bin/aws")
	RequireFile(tb, path, "the AWS CLI at "+path+" (apt-get install awscli)")
	return path
}

// AWS runs the AWS CLI against endpoint with the dev credentials, in an empty home (no
// user config, no retries, no pager), and returns what it printed.
func AWS(tb testing.TB, endpoint string, args ...string) (stdout, stderr string, err error) {
	tb.Helper()
	cli := AWSCLI(tb)
	home := tb.TempDir()
	cmd := exec.Command(cli, append([]string{"--endpoint-url", endpoint, "--output", "json"}, args...)...)
	cmd.Env = append(CLIEnv(home, ""), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1")
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// CLIEnv is an environment for the AWS CLI that reads no user configuration (home is an
// empty folder) and neither retries nor pages, with no credentials, region or endpoint.
// PATH is /usr/bin:/bin, after bin when bin is not empty.
func CLIEnv(home, bin string) []string {
	path := "/usr/bin:/bin"
	if bin != "" {
		path = bin + ":" + path
	}
	return []string{"HOME=" + home, "PATH=" + path, "TZ=UTC",
		"AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1"}
}
