package rollcall_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// readmeSection returns the README's text from the heading line to the next heading of
// the same level.
func readmeSection(tb testing.TB, heading string) string {
	tb.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		tb.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		tb.Fatalf("README.md has no %q", heading)
	}
	level := heading[:strings.IndexByte(heading, ' ')+1]
	if i := strings.Index(rest, "\n"+level); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// packageDirs are the module's package directories, relative ("" is the root).
func packageDirs(tb testing.TB) []string {
	tb.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		tb.Fatalf("go list: %v", err)
	}
	var dirs []string
	for _, p := range strings.Fields(string(out)) {
		dirs = append(dirs, strings.TrimPrefix(strings.TrimPrefix(p, module), "/"))
	}
	return dirs
}

// TestREADMELayoutMatchesTree: the README's Layout block names every package of the
// module, and each name in its first column is a package.
func TestREADMELayoutMatchesTree(t *testing.T) {
	section := readmeSection(t, "## Layout")
	_, block, _ := strings.Cut(section, "```\n")
	block, _, _ = strings.Cut(block, "```")
	dirs := packageDirs(t)
	isDir := map[string]bool{}
	for _, d := range dirs {
		isDir[d] = true
		if d == "" {
			continue
		}
		if !regexp.MustCompile(`(^|[\s,(])` + regexp.QuoteMeta(d) + `([\s,:;)]|$)`).MatchString(block) {
			t.Errorf("the README's layout does not name package %s", d)
		}
	}
	for _, line := range strings.Split(block, "\n") {
		if line == "" || line[0] == ' ' || strings.HasPrefix(line, "rollcall (repo root)") {
			continue
		}
		first := line
		if i := strings.Index(line, "  "); i >= 0 {
			first = line[:i]
		}
		for _, name := range strings.Split(first, ", ") {
			if !isDir[strings.TrimSpace(name)] {
				t.Errorf("the README's layout lists %q, which is no package", name)
			}
		}
	}
}

// decls are the names a package declares outside its tests: top-level names, and
// "T.M" for the methods, fields and interface methods of its types.
type decls map[string]bool

func declsOf(tb testing.TB, dir string) decls {
	tb.Helper()
	if dir == "" {
		dir = "."
	}
	d := decls{}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, decl := range f.Decls {
				switch decl := decl.(type) {
				case *ast.FuncDecl:
					if decl.Recv == nil {
						d[decl.Name.Name] = true
						continue
					}
					typ := decl.Recv.List[0].Type
					if s, ok := typ.(*ast.StarExpr); ok {
						typ = s.X
					}
					if id, ok := typ.(*ast.Ident); ok {
						d[id.Name+"."+decl.Name.Name] = true
					}
				case *ast.GenDecl:
					for _, spec := range decl.Specs {
						switch spec := spec.(type) {
						case *ast.ValueSpec:
							for _, n := range spec.Names {
								d[n.Name] = true
							}
						case *ast.TypeSpec:
							d[spec.Name.Name] = true
							var fields *ast.FieldList
							switch t := spec.Type.(type) {
							case *ast.StructType:
								fields = t.Fields
							case *ast.InterfaceType:
								fields = t.Methods
							}
							if fields == nil {
								continue
							}
							for _, fld := range fields.List {
								for _, n := range fld.Names {
									d[spec.Name.Name+"."+n.Name] = true
								}
							}
						}
					}
				}
			}
		}
	}
	return d
}

// TestREADMERequestPathNames: every Go name the README's "One request's path" list
// gives (face/chime.(*Face).ServeHTTP, chime.AccountOf, (*Face).route, toWire, ...) is
// declared where it says: a method on its type, a function of its package, or, for a
// bare name, somewhere in the module.
func TestREADMERequestPathNames(t *testing.T) {
	section := readmeSection(t, "## Layout")
	_, list, ok := strings.Cut(section, "One request's path")
	if !ok {
		t.Fatal(`the README's layout has no "One request's path"`)
	}
	byDir := map[string]decls{}
	all := decls{}
	for _, dir := range packageDirs(t) {
		byDir[dir] = declsOf(t, dir)
		for name := range byDir[dir] {
			all[name] = true
			if _, m, ok := strings.Cut(name, "."); ok {
				all["."+m] = true
			}
		}
	}
	pkgDecls := func(pkg string) (decls, bool) {
		if pkg == "rollcall" {
			pkg = ""
		}
		d, ok := byDir[pkg]
		return d, ok
	}
	var (
		qualifiedMethod = regexp.MustCompile(`^(?:([\w/]+)\.)?\(\*(\w+)\)\.(\w+)$`) // pkg.(*T).M, (*T).M
		ptrTypeMethod   = regexp.MustCompile(`^\(\*([\w/]+)\.(\w+)\)\.(\w+)$`)      // (*pkg.T).M
		typeMember      = regexp.MustCompile(`^([\w/]+)\.(\w+)\.(\w+)$`)            // pkg.T.M
		function        = regexp.MustCompile(`^([\w/]+)\.(\w+)$`)                   // pkg.F
		bare            = regexp.MustCompile(`^\w+$`)
	)
	checked := 0
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(list, -1) {
		name := m[1]
		var pkg, want string
		switch {
		case qualifiedMethod.MatchString(name):
			s := qualifiedMethod.FindStringSubmatch(name)
			pkg, want = s[1], s[2]+"."+s[3]
		case ptrTypeMethod.MatchString(name):
			s := ptrTypeMethod.FindStringSubmatch(name)
			pkg, want = s[1], s[2]+"."+s[3]
		case typeMember.MatchString(name):
			s := typeMember.FindStringSubmatch(name)
			pkg, want = s[1], s[2]+"."+s[3]
		case function.MatchString(name):
			s := function.FindStringSubmatch(name)
			pkg, want = s[1], s[2]
		case bare.MatchString(name):
			want = name
		default:
			continue // a request line, a package path
		}
		checked++
		if pkg == "" {
			if !all[want] && !all["."+want] {
				t.Errorf("the README's request path names %s, which nothing declares", name)
			}
			continue
		}
		d, ok := pkgDecls(pkg)
		if !ok {
			t.Errorf("the README's request path names %s, of no package %s", name, pkg)
		} else if !d[want] {
			t.Errorf("the README's request path names %s, which package %s does not declare", name, pkg)
		}
	}
	if checked < 10 {
		t.Fatalf("the README's request path gives only %d Go names", checked)
	}
}

// TestEveryPackageHasDocGo: every package but a command keeps its documentation in a
// doc.go, as DESIGN.md's conventions ask, where the next reader looks for it.
func TestEveryPackageHasDocGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}} {{.Name}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		dir, name, _ := strings.Cut(line, " ")
		if name == "main" {
			continue
		}
		if _, err := os.Stat(dir + "/doc.go"); err != nil {
			t.Errorf("package %s (%s) has no doc.go", name, dir)
		}
	}
}
