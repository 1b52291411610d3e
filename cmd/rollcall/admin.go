package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rollcall/rollcall/face/admin"
)

// `rollcall admin ...` reads and changes a running server through its admin API, for
// people (tables) and scripts (--json, the API's own JSON).

const adminUsage = `usage: rollcall admin [flags] <command> [args]

commands:
  tenants                          list tenants
  directories TENANT [KIND]        list a tenant's Chime accounts, WorkDocs organizations,
                                   Alexa for Business users and Amazon Business accounts
                                   (KIND: chime, workdocs, a4b, business)
  directory ID                     show a directory and its groups
  groups ID                        list an Amazon Business account's groups
  users DIRECTORY [--email E] [--status S]
                                   list a directory's users (every page)
  user DIRECTORY USER              show one user
  delete-user DIRECTORY USER       remove a user
  messages [--tenant T] [--status queued|sent|failed]
                                   list the outbox, newest first
  faults [list]                    list the fault-injection rules and how often each fired
  faults add --face F --action A [--op OP] [--count N | --probability P] [--ttl D]
             [--tenant T] [--access-key K] [--header NAME=VALUE] [--latency D]
                                   add a rule (rollcall admin faults add -h)
  faults delete ID                 delete a rule
  events TENANT [--name N] [--user U] [--since T] [--until T] [--errors] [--page-token P]
                                   a page of the tenant's audit trail, newest first
  reset [--tenant ID]              bring the store (or one tenant) back to the seed
  snapshot save|restore|delete NAME, snapshot list
                                   save, restore, delete and list snapshots
                                   (also: rollcall snapshot ...)
` + adminIAMUsage + `
flags (before the command):
`

// adminClient calls the admin API.
type adminClient struct {
	base  string
	token string
	http  *http.Client
}

func (c *adminClient) call(ctx context.Context, method, path string, query url.Values, out any) error {
	return c.send(ctx, method, path, query, nil, out)
}

// adminCommand runs `rollcall admin`.
func adminCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("rollcall admin", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), adminUsage); fs.PrintDefaults() }
	base := fs.String("url", envOr(getenv, "ROLLCALL_URL", "http://127.0.0.1:4566"), "rollcall's address (ROLLCALL_URL)")
	token := fs.String("admin-token", getenv("ROLLCALL_ADMIN_TOKEN"), "the admin token (ROLLCALL_ADMIN_TOKEN)")
	asJSON := fs.Bool("json", false, "print the admin API's JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	if *token == "" {
		return fmt.Errorf("the admin token is required: --admin-token or ROLLCALL_ADMIN_TOKEN (printed once at the server's first start)")
	}
	c := &adminClient{base: *base, token: *token, http: &http.Client{Timeout: 30 * time.Second}}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	p := printer{w: stdout, json: *asJSON}
	if run, ok := adminCommands[cmd]; ok {
		return run(ctx, c, p, rest)
	}
	if handled, err := adminIAM(ctx, c, p, cmd, rest, os.Stdin); handled {
		return err
	}
	return fmt.Errorf("unknown admin command %q (run rollcall admin -h)", cmd)
}

// adminCommandFunc is one command of `rollcall admin`: it calls the admin API through c
// with the command's arguments and prints through p.
type adminCommandFunc func(ctx context.Context, c *adminClient, p printer, args []string) error

// adminCommands are the commands of `rollcall admin` by name, but the IAM ones
// (adminIAM).
var adminCommands = map[string]adminCommandFunc{
	"tenants":     adminTenants,
	"directories": adminDirectories,
	"directory":   adminDirectory(false),
	"groups":      adminDirectory(true),
	"users":       adminUsers,
	"user":        adminUser,
	"delete-user": adminDeleteUser,
	"messages":    listMessages,
	"faults":      adminFaults,
	"events":      adminEventsCmd,
	"reset":       adminReset,
	"snapshot":    adminSnapshot,
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// printer prints a result as JSON or as a table.
type printer struct {
	w    io.Writer
	json bool
}

func (p printer) print(v any, header []string, rows [][]string) error {
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		for i := range r {
			if r[i] == "" {
				r[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// appendFields appends a row of each member of m, by name.
func appendFields(rows [][]string, m map[string]any) [][]string {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		rows = append(rows, []string{k, fmt.Sprint(m[k])})
	}
	return rows
}

func wantArgs(args []string, n int, usage string) error {
	if len(args) < n {
		return fmt.Errorf("usage: rollcall admin %s", usage)
	}
	return nil
}

// withSet sets in q each pair of pairs (name, value, name, value, ...) whose value is not
// empty, and returns q.
func withSet(q url.Values, pairs ...string) url.Values {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	return q
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// listTable GETs path, whose answer is one list under key, and prints it: the answer
// as it came with --json, else header and one row of each item.
func listTable[T any](ctx context.Context, c *adminClient, p printer, path string, q url.Values, key string,
	header []string, row func(T) []string) error {
	var out map[string][]T
	if err := c.call(ctx, http.MethodGet, path, q, &out); err != nil {
		return err
	}
	rows := make([][]string, 0, len(out[key]))
	for _, v := range out[key] {
		rows = append(rows, row(v))
	}
	return p.print(out, header, rows)
}

func adminTenants(ctx context.Context, c *adminClient, p printer, _ []string) error {
	return listTable(ctx, c, p, "tenants", nil, "tenants", []string{"TENANT", "KIND", "NAME", "CREATED"},
		func(t adminTenantJSON) []string { return []string{t.ID, t.Kind, t.Name, day(t.CreatedAt)} })
}

func adminDirectories(ctx context.Context, c *adminClient, p printer, args []string) error {
	if err := wantArgs(args, 1, "directories TENANT [KIND]"); err != nil {
		return err
	}
	q := url.Values{}
	if len(args) > 1 {
		q.Set("kind", args[1])
	}
	return listTable(ctx, c, p, "tenants/"+url.PathEscape(args[0])+"/directories", q, "directories",
		[]string{"DIRECTORY", "KIND", "NAME", "CREATED"},
		func(d adminDirectoryJSON) []string { return []string{d.ID, d.Kind, d.Name, day(d.CreatedAt)} })
}

// adminDirectory is `directory ID`, or `groups ID` when groupsOnly.
func adminDirectory(groupsOnly bool) adminCommandFunc {
	return func(ctx context.Context, c *adminClient, p printer, args []string) error {
		return showDirectory(ctx, c, p, args, groupsOnly)
	}
}

func showDirectory(ctx context.Context, c *adminClient, p printer, args []string, groupsOnly bool) error {
	if err := wantArgs(args, 1, "directory ID"); err != nil {
		return err
	}
	var out struct {
		Directory adminDirectoryJSON `json:"directory"`
	}
	if err := c.call(ctx, http.MethodGet, "directories/"+url.PathEscape(args[0]), nil, &out); err != nil {
		return err
	}
	d := out.Directory
	var rows [][]string
	if groupsOnly {
		for _, g := range d.Groups {
			def := ""
			if g.Default {
				def = "default"
			}
			rows = append(rows, []string{g.ID, g.Tag, g.Name, def})
		}
		return p.print(out.Directory.Groups, []string{"GROUP", "TAG", "NAME", "DEFAULT"}, rows)
	}
	rows = append(rows, []string{"id", d.ID}, []string{"tenant", d.TenantID}, []string{"kind", d.Kind},
		[]string{"name", d.Name}, []string{"created", day(d.CreatedAt)})
	rows = appendFields(rows, fields(d.Attrs))
	for _, g := range d.Groups {
		rows = append(rows, []string{"group", strings.TrimSpace(g.ID + " " + g.Tag + " " + g.Name)})
	}
	return p.print(out, []string{"FIELD", "VALUE"}, rows)
}

// The admin API's own types: --json prints what the API sent, with its names.
type (
	adminTenantJSON    = admin.TenantJSON
	adminDirectoryJSON = admin.DirectoryJSON
	adminUserJSON      = admin.UserJSON
)

// fields is a user's or a directory's face-specific fields, decoded.
func fields(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// userRow is what a table shows of a user: the face's own state where it has one.
func userRow(u adminUserJSON) []string {
	name := u.Email
	if name == "" {
		name = u.Username
	}
	detail, attrs := "", fields(u.Attrs)
	switch u.Kind {
	case "business":
		detail = fmt.Sprintf("group=%v role=%v region=%v", attrs["groupId"], attrs["role"], attrs["region"])
	case "chime":
		detail = fmt.Sprintf("license=%v invitation=%v", attrs["licenseType"], valueOr(attrs["invitationStatus"], "none"))
	case "a4b":
		detail = fmt.Sprintf("arn=%v", attrs["arn"])
	case "workdocs":
		detail = fmt.Sprintf("type=%s", u.UserType)
	}
	return []string{u.ID, name, u.Status, detail, day(u.CreatedAt)}
}

func valueOr(v any, def string) string {
	if v == nil {
		return def
	}
	return fmt.Sprint(v)
}

func adminUsers(ctx context.Context, c *adminClient, p printer, args []string) error {
	if err := wantArgs(args, 1, "users DIRECTORY [--email E] [--status S]"); err != nil {
		return err
	}
	fs := flag.NewFlagSet("rollcall admin users", flag.ContinueOnError)
	email := fs.String("email", "", "only the user with this email")
	status := fs.String("status", "", "only users in this state")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	q := withSet(url.Values{"limit": {"500"}}, "email", *email, "status", *status)
	var all []adminUserJSON
	for {
		var page struct {
			Users []adminUserJSON `json:"users"`
			Next  *string         `json:"next"`
		}
		if err := c.call(ctx, http.MethodGet, "directories/"+url.PathEscape(args[0])+"/users", q, &page); err != nil {
			return err
		}
		all = append(all, page.Users...)
		if page.Next == nil {
			break
		}
		q.Set("after", *page.Next)
	}
	var rows [][]string
	for _, u := range all {
		rows = append(rows, userRow(u))
	}
	return p.print(map[string]any{"users": all}, []string{"USER", "EMAIL/USERNAME", "STATUS", "DETAIL", "CREATED"}, rows)
}

func adminUser(ctx context.Context, c *adminClient, p printer, args []string) error {
	if err := wantArgs(args, 2, "user DIRECTORY USER"); err != nil {
		return err
	}
	var out struct {
		User adminUserJSON `json:"user"`
	}
	if err := c.call(ctx, http.MethodGet, "directories/"+url.PathEscape(args[0])+"/users/"+url.PathEscape(args[1]), nil, &out); err != nil {
		return err
	}
	u := out.User
	rows := [][]string{{"id", u.ID}, {"directory", u.DirectoryID}, {"tenant", u.TenantID}, {"kind", u.Kind},
		{"email", u.Email}, {"username", u.Username}, {"name", strings.TrimSpace(u.GivenName + " " + u.FamilyName)},
		{"type", u.UserType}, {"status", u.Status}, {"password set", fmt.Sprint(u.HasPassword)},
		{"created", day(u.CreatedAt)}, {"updated", day(u.UpdatedAt)}}
	rows = appendFields(rows, fields(u.Attrs))
	return p.print(out, []string{"FIELD", "VALUE"}, rows)
}

func adminDeleteUser(ctx context.Context, c *adminClient, p printer, args []string) error {
	if err := wantArgs(args, 2, "delete-user DIRECTORY USER"); err != nil {
		return err
	}
	if err := c.call(ctx, http.MethodDelete, "directories/"+url.PathEscape(args[0])+"/users/"+url.PathEscape(args[1]), nil, nil); err != nil {
		return err
	}
	fmt.Fprintf(p.w, "deleted user %s of %s\n", args[1], args[0])
	return nil
}

type adminMessageJSON struct {
	ID, TenantID, To, Subject, Status string
	Attempts                          int
	CreatedAt                         time.Time
}

func listMessages(ctx context.Context, c *adminClient, p printer, args []string) error {
	fs := flag.NewFlagSet("rollcall admin messages", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "only this tenant's messages")
	status := fs.String("status", "", "only messages in this state (queued, sent, failed)")
	limit := fs.Int("limit", 100, "at most this many (1-1000)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := withSet(url.Values{"limit": {fmt.Sprint(*limit)}}, "tenant", *tenant, "status", *status)
	return listTable(ctx, c, p, "messages", q, "messages",
		[]string{"MESSAGE", "TENANT", "TO", "SUBJECT", "STATUS", "ATTEMPTS", "CREATED"},
		func(m adminMessageJSON) []string {
			return []string{m.ID, m.TenantID, m.To, m.Subject, m.Status, fmt.Sprint(m.Attempts), day(m.CreatedAt)}
		})
}

// adminMain is `rollcall admin` with the process's environment and stdout.
func adminMain(ctx context.Context, args []string) error {
	return adminCommand(ctx, args, os.Getenv, os.Stdout)
}
