package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/internal/testlog"
)

// TestQuickstartWithDebianCLI: the commands rollcall prints at start, pasted as printed
// into a shell whose aws is $ROLLCALL_TEST_AWS_CLI (Debian's 2.9.19, which ignores
// AWS_ENDPOINT_URL), create a user on every face of that rollcall.
func TestQuickstartWithDebianCLI(t *testing.T) {
	cli := testdeps.AWSCLI(t)
	_, err := exec.LookPath("curl")
	testdeps.Require(t, err, "curl (apt-get install curl)")

	m := NewMain()
	var printed strings.Builder
	m.Stdout, m.Stderr = &printed, &testlog.Buffer{}
	flags := []string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--argon2-memory", "1024", "--argon2-time", "1"}
	if err := m.ParseFlags(flags, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	script := quickstartCommands(t, printed.String())
	out := runShell(t, cli, script)
	for _, want := range []string{
		`"PrimaryEmail": "ada@example.com"`,                    // chime create-user
		`"Username": "ada"`,                                    // workdocs create-user
		`"UserArn": "arn:aws:a4b:us-east-1:000000000000:user/`, // alexaforbusiness create-user
		"HTTP/1.1 201 Created",                                 // the curl to Amazon Business
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the quickstart's output lacks %s:\n%s", want, out)
		}
	}
}

// TestREADMEExamplesWithDebianCLI: the README's setup for the examples, and its first
// example on each AWS face, work in a shell whose aws is $ROLLCALL_TEST_AWS_CLI, with
// rollcall's address in place of the default 127.0.0.1:4566.
func TestREADMEExamplesWithDebianCLI(t *testing.T) {
	cli := testdeps.AWSCLI(t)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := MustRunMain(t, t.TempDir())

	var setup string
	examples := map[string]string{"aws chime create-account ": "", "aws workdocs create-user ": "", "aws alexaforbusiness create-user ": ""}
	for _, block := range shellBlocks(string(readme)) {
		if strings.Contains(block, "export AWS_ACCESS_KEY_ID=") && setup == "" {
			setup = block
		}
		for _, line := range strings.Split(block, "\n") {
			for prefix, found := range examples {
				if strings.HasPrefix(line, prefix) && found == "" {
					examples[prefix] = line
				}
			}
		}
	}
	if setup == "" {
		t.Fatal("the README has no shell block that sets up the AWS CLI for the examples")
	}
	// The setup calls Debian's CLI by its path; the test's CLI is $ROLLCALL_TEST_AWS_CLI.
	if !strings.Contains(setup, "/usr/bin/aws ") {
		t.Fatalf("the README's setup does not call /usr/bin/aws:\n%s", setup)
	}
	script := strings.NewReplacer("http://127.0.0.1:4566", m.URL, "/usr/bin/aws ", cli+" ").Replace(setup)
	for prefix, line := range examples {
		if line == "" {
			t.Fatalf("the README has no example that begins %q", prefix)
		}
		script += "\n" + line
	}
	out := runShell(t, cli, script)
	for _, want := range []string{`"AccountId": "`, `"Username": "ada"`, `"UserArn": "arn:aws:a4b:us-east-1:000000000000:user/`} {
		if !strings.Contains(out, want) {
			t.Errorf("the README's examples' output lacks %s:\n%s", want, out)
		}
	}
}

// quickstartCommands returns the commands of the quickstart's "Try it" block: its
// indented lines up to the first empty one, unindented.
func quickstartCommands(tb testing.TB, printed string) string {
	tb.Helper()
	_, block, ok := strings.Cut(printed, "\nTry it")
	if !ok {
		tb.Fatalf("the quickstart has no \"Try it\" block:\n%s", printed)
	}
	var cmds []string
	for _, line := range strings.Split(block, "\n")[1:] {
		if !strings.HasPrefix(line, "  ") {
			if len(cmds) > 0 {
				break
			}
			continue // the rest of the heading
		}
		cmds = append(cmds, strings.TrimPrefix(line, "  "))
	}
	if len(cmds) < 5 {
		tb.Fatalf("the quickstart's \"Try it\" block has %d lines:\n%s", len(cmds), printed)
	}
	return strings.Join(cmds, "\n")
}

// shellBlocks returns the bodies of a Markdown text's ```sh blocks, each line joined to
// the next where it ends in a backslash.
func shellBlocks(md string) []string {
	var blocks []string
	for rest := md; ; {
		_, after, ok := strings.Cut(rest, "```sh\n")
		if !ok {
			return blocks
		}
		body, tail, _ := strings.Cut(after, "```")
		blocks = append(blocks, strings.ReplaceAll(body, "\\\n", ""))
		rest = tail
	}
}

// runShell runs script with sh -e in an empty home, where aws is cli (first on PATH) and
// no AWS variable is set, and returns what it printed; any command failing fails tb.
func runShell(tb testing.TB, cli, script string) string {
	tb.Helper()
	home, bin := tb.TempDir(), tb.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "aws")); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-e", "-x", "-c", script)
	cmd.Env = testdeps.CLIEnv(home, bin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("sh -e: %v\n--- script:\n%s\n--- output:\n%s", err, script, out)
	}
	return string(out)
}

// TestREADMEFaceExamplesWithDebianCLI: every line of the README's shell blocks for
// Chime, WorkDocs and Alexa for Business runs, as printed, in a shell whose aws is
// $ROLLCALL_TEST_AWS_CLI, after the README's setup, with rollcall's address for the
// default and IDs the script makes for the README's placeholders (<AccountId>,
// <UserId>, <Id>, <token>, <UserArn>, <EnrollmentId>). The sign-in delegate group lines
// get an EnterpriseLWA account from the seed, as the README says they need; delete-user
// gets a user of its own, since the block sends invitations to its <UserArn> after it.
func TestREADMEFaceExamplesWithDebianCLI(t *testing.T) {
	cli := testdeps.AWSCLI(t)
	_, err := exec.LookPath("curl")
	testdeps.Require(t, err, "curl (apt-get install curl)")
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const enterprise = "5f0e0000-0000-4000-8000-00000000e0e0"
	seed := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(seed, []byte(`accounts:
  - id: "000000000000"
    chimeAccounts: [{id: `+enterprise+`, name: Enterprise, type: EnterpriseLWA}]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	m := MustRunMain(t, t.TempDir(), "--init", seed)

	var setup string
	for _, block := range shellBlocks(string(readme)) {
		if strings.Contains(block, "export AWS_ACCESS_KEY_ID=") {
			setup = block
			break
		}
	}
	prelude := `
A=$(aws chime create-account --name Prelude --query Account.AccountId --output text)
U=$(aws chime create-user --account-id "$A" --email prelude@example.com --query User.UserId --output text)
E=` + enterprise + `
W=$(aws workdocs create-user --organization-id d-0000000000 --username prelude --given-name Pre --surname Lude --password 'correct-horse-1' --query User.Id --output text)
T=$(curl -sf -H "Authorization: Bearer ` + testAdminToken + `" ` + m.URL + `/_rollcall/workdocs/tokens -d '{"accountId":"000000000000","organizationId":"d-0000000000","username":"admin"}' | sed 's/.*"AuthenticationToken":"\([^"]*\)".*/\1/')
ARN=$(aws alexaforbusiness create-user --user-id prelude --email prelude@example.com --query UserArn --output text)
ENR=$(echo "$ARN" | sed 's#:user/#:enrollment/#')
ARN2=$(aws alexaforbusiness create-user --user-id prelude2 --query UserArn --output text)
ENR2=$(echo "$ARN2" | sed 's#:user/#:enrollment/#')
`
	script := strings.NewReplacer("http://127.0.0.1:4566", m.URL, "/usr/bin/aws ", cli+" ").Replace(setup) + prelude
	lines := 0
	for _, heading := range []string{"### Amazon Chime", "### Amazon WorkDocs", "### Alexa for Business"} {
		_, section, ok := strings.Cut(string(readme), "\n"+heading+"\n")
		if !ok {
			t.Fatalf("the README has no %q", heading)
		}
		section, _, _ = strings.Cut(section, "\n### ")
		for _, block := range shellBlocks(section) {
			for _, line := range strings.Split(block, "\n") {
				if !strings.HasPrefix(line, "aws ") {
					continue
				}
				r := strings.NewReplacer("<AccountId>", `"$A"`, "<UserId>", `"$U"`, "<Id>", `"$W"`, "<token>", `"$T"`,
					"<UserArn>", `"$ARN"`, "<EnrollmentId>", `"$ENR"`)
				switch {
				case strings.Contains(line, "signin-delegate-groups"):
					r = strings.NewReplacer("<AccountId>", `"$E"`)
				case strings.HasPrefix(line, "aws alexaforbusiness delete-user "):
					r = strings.NewReplacer("<UserArn>", `"$ARN2"`, "<EnrollmentId>", `"$ENR2"`)
				}
				script += r.Replace(line) + "\n"
				lines++
			}
		}
	}
	if lines < 30 {
		t.Fatalf("found only %d aws lines in the README's face sections", lines)
	}
	runShell(t, cli, script)
}

// TestREADMEFlagTable: the README's table of flags has a row for every flag of
// `rollcall serve`.
func TestREADMEFlagTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n| flag | default | meaning |\n")
	if !ok {
		t.Fatal("the README has no table of flags")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var c Config
	c.flags(io.Discard).VisitAll(func(f *flag.Flag) {
		if !strings.Contains(table, "`--"+f.Name+"`") {
			t.Errorf("the README's table of flags has no row for --%s (%s)", f.Name, f.Usage)
		}
	})
}

// TestQuickstartConsoleLine: the quickstart's console line promises what the console
// shows. It never shows a live invitation link (the outbox's copies read
// /invitations/xxxxx), so it must not promise one.
func TestQuickstartConsoleLine(t *testing.T) {
	var b strings.Builder
	printQuickstart(&b, "http://127.0.0.1:4566", "sqlite rollcall-data/rollcall.db", true, "")
	line, _, _ := strings.Cut(strings.SplitN(b.String(), "\n", 3)[1], "\n")
	if !strings.HasPrefix(line, "Web console") || strings.Contains(line, "invitation link") || !strings.HasSuffix(line, "/_rollcall/console") {
		t.Errorf("console line: %q", line)
	}
}
