package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// DefaultProjectFile is the Atlas project file stackdb reads.
const DefaultProjectFile = "atlas.hcl"

// Env is one `env` block of atlas.hcl, with file:// prefixes removed.
type Env struct {
	Name      string
	SchemaDir string // src
	URL       string // url (usually getenv("DATABASE_URL"))
	DevURL    string // dev; a docker:// URL means "stackdb's throwaway Postgres"
	Dir       string // migration.dir

	// unset lists, per attribute, the getenv() variables that were empty
	// when the attribute evaluated to "", so an unset DEV_DATABASE_URL is
	// reported instead of silently meaning "no dev database".
	unset map[string][]string
}

// LoadEnv reads the named env of an Atlas project file. It understands the
// subset stackdb needs: a locals block, env blocks and getenv().
func LoadEnv(path, name string) (*Env, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: read project file: %w", err)
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("config: parse %s: %w", path, diags)
	}
	body := file.Body.(*hclsyntax.Body)
	var unsetVars []string // the empty variables the current expression read
	ctx := &hcl.EvalContext{
		Functions: map[string]function.Function{"getenv": getenvFunc(&unsetVars)},
		Variables: map[string]cty.Value{},
	}
	locals := map[string]cty.Value{}
	for _, b := range body.Blocks {
		if b.Type != "locals" {
			continue
		}
		for n, attr := range b.Body.Attributes {
			v, diags := attr.Expr.Value(ctx)
			if diags.HasErrors() {
				return nil, fmt.Errorf("config: %s: local.%s: %w", path, n, diags)
			}
			locals[n] = v
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(locals)
	var names []string
	for _, b := range body.Blocks {
		if b.Type != "env" || len(b.Labels) != 1 {
			continue
		}
		names = append(names, b.Labels[0])
		if b.Labels[0] != name {
			continue
		}
		env := &Env{Name: name}
		fields := []field{{b.Body, "src", &env.SchemaDir}, {b.Body, "url", &env.URL}, {b.Body, "dev", &env.DevURL}}
		for _, mb := range b.Body.Blocks {
			if mb.Type == "migration" {
				fields = append(fields, field{mb.Body, "dir", &env.Dir})
			}
		}
		for _, f := range fields {
			attr, ok := f.body.Attributes[f.attr]
			if !ok {
				continue
			}
			unsetVars = nil
			v, diags := attr.Expr.Value(ctx)
			if diags.HasErrors() {
				return nil, fmt.Errorf("config: %s: env %q: %s: %w", path, name, f.attr, diags)
			}
			if v.IsNull() || v.Type() != cty.String {
				return nil, fmt.Errorf("config: %s: env %q: %s must be a string", path, name, f.attr)
			}
			*f.dst = v.AsString()
			if *f.dst == "" && len(unsetVars) > 0 {
				if env.unset == nil {
					env.unset = map[string][]string{}
				}
				env.unset[f.attr] = unsetVars
			}
		}
		base := filepath.Dir(path)
		if env.SchemaDir, err = filePath(base, env.SchemaDir); err != nil {
			return nil, fmt.Errorf("config: %s: env %q: src: %w", path, name, err)
		}
		if env.Dir, err = filePath(base, env.Dir); err != nil {
			return nil, fmt.Errorf("config: %s: env %q: migration.dir: %w", path, name, err)
		}
		return env, nil
	}
	return nil, fmt.Errorf("config: %s has no env %q (it has %s)", path, name, strings.Join(names, ", "))
}

// field is an attribute of an env block and where its value goes.
type field struct {
	body *hclsyntax.Body
	attr string
	dst  *string
}

// UsesThrowawayDev reports whether the dev URL asks for a container (or
// the env names no dev database), which stackdb serves with its own
// throwaway cluster instead. A dev URL read from an unset variable is not a
// request for a throwaway: see DevErr.
func (e *Env) UsesThrowawayDev() bool {
	return e.DevErr() == nil && (e.DevURL == "" || strings.HasPrefix(e.DevURL, "docker://"))
}

// DevErr reports a dev attribute that came out empty because the variables
// it reads are unset (env "ci" with DEV_DATABASE_URL unset, say).
func (e *Env) DevErr() error {
	if vars := e.unset["dev"]; len(vars) > 0 {
		return fmt.Errorf("config: env %q: dev reads %s, which is not set", e.Name, strings.Join(vars, ", "))
	}
	return nil
}

// filePath turns a file:// URL into a path; relative paths are relative to
// the project file, so --config works from any directory.
func filePath(base, u string) (string, error) {
	p, ok := strings.CutPrefix(u, "file://")
	if !ok || p == "" {
		return "", errors.New("want a file:// URL")
	}
	if filepath.IsAbs(p) {
		return p, nil
	}
	return filepath.Join(base, p), nil
}

// getenvFunc is Atlas's getenv(); it appends the names of empty variables
// to *unset.
func getenvFunc(unset *[]string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "name", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			v := os.Getenv(name)
			if v == "" {
				*unset = append(*unset, name)
			}
			return cty.StringVal(v), nil
		},
	})
}
