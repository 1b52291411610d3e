package testdeps

import (
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
)

// Boto3 returns a python3 that imports boto3: $ROLLCALL_TEST_PYTHON, else Debian's
// /usr/bin/python3 (apt-get install python3-boto3).
func Boto3(tb testing.TB) string {
	tb.Helper()
	Slow(tb, "starts Python")
	py := EnvOr("ROLLCALL_TEST_PYTHON", "/usr/bin/python3")
	var missing error
	if out, err := exec.Command(py, "-c", "import boto3").CombinedOutput(); err != nil {
		missing = errors.New(string(out) + err.Error())
	}
	Require(tb, missing, "boto3 for "+py+" (apt-get install python3-boto3)")
	return py
}

// JSSDK returns node and a folder holding the AWS SDK for JavaScript v3 clients that
// .ci/run installs with npm ci: $ROLLCALL_TEST_JS_SDK, else dir (a folder of the test's
// package with package.json and package-lock.json).
func JSSDK(tb testing.TB, dir string) (node, sdk string) {
	tb.Helper()
	Slow(tb, "starts node")
	dir = EnvOr("ROLLCALL_TEST_JS_SDK", dir)
	node, err := exec.LookPath("node")
	Require(tb, err, "node (apt-get install nodejs npm)")
	RequireFile(tb, filepath.Join(dir, "node_modules", "@aws-sdk"), "the AWS SDK for JavaScript v3 in "+dir+" (npm ci --prefix "+dir+")")
	abs, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return node, abs
}
