package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"ariga.io/atlas/sql/migrate"
	"github.com/spf13/cobra"

	"github.com/deploystack/stackdb/internal/miglint"
)

func (a *app) lintCmd() *cobra.Command {
	var (
		devURL, base, gitBase, format string
		latest                        int
	)
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Lint new migrations for destructive, data-dependent and locking changes",
		Long: `Lint replays the migration directory on a clean dev database and analyses the new files
statement by statement. New files are, by default, those not in the commit where HEAD forked
from --git-base (origin/main, else main); --latest N or --base VERSION choose them instead.
Silence a finding with a "-- atlas:nolint [CODE|ANALYZER...]" comment above the statement.
It exits non-zero when any finding is an error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("lint: --format %q: want text or json", format)
			}
			if latest > 0 && base != "" {
				return errors.New("lint: use either --latest or --base")
			}
			ws, err := a.resolve(cmd, request{project: true})
			if err != nil {
				return err
			}
			dir := ws.dir
			var news []string
			switch {
			case latest > 0:
				news, err = miglint.Latest(dir, latest)
			case base != "":
				news, err = miglint.After(dir, base)
			default:
				news, err = gitNew(cmd, dir, ws.env.Dir, gitBase)
			}
			if err != nil {
				return err
			}
			report := &miglint.Report{Files: []miglint.FileReport{}}
			if len(news) > 0 {
				dev, err := a.resolve(cmd, request{db: devDatabase, url: devURL, urlFlag: "--dev-url"})
				if err != nil {
					return err
				}
				defer dev.stop()
				if report, err = miglint.Lint(cmd.Context(), miglint.Options{DevURL: dev.url, Dir: dir, New: news}); err != nil {
					return err
				}
			}
			if err := writeLint(cmd.OutOrStdout(), report, format); err != nil {
				return err
			}
			if report.Errors > 0 {
				return fmt.Errorf("%w (%d error(s))", miglint.ErrFindings, report.Errors)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&devURL, "dev-url", "", "clean database to replay on (default: the env's dev URL, or a throwaway Postgres)")
	cmd.Flags().IntVar(&latest, "latest", 0, "lint the last N files")
	cmd.Flags().StringVar(&base, "base", "", "lint the files after VERSION")
	cmd.Flags().StringVar(&gitBase, "git-base", "origin/main", "lint the files the branch adds since it forked from this git ref")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// gitNew picks the files the branch adds. Without the ref (a clone without
// an origin remote, say) it tries the local main branch, and outside git it
// lints the latest file; either way it says so on stderr.
func gitNew(cmd *cobra.Command, dir migrate.Dir, path, ref string) ([]string, error) {
	refs := []string{ref}
	if ref == "origin/main" {
		refs = append(refs, "main")
	}
	for i, r := range refs {
		news, commit, err := miglint.GitNew(cmd.Context(), dir, path, r)
		switch {
		case errors.Is(err, miglint.ErrNoGitBase):
			continue
		case err != nil:
			return nil, err
		}
		if i > 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), "stackdb: lint: no %s; linting the files added since branch %s (at %.12s)\n", ref, r, commit)
		}
		return news, nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "stackdb: lint: no git ref %v to compare with; linting the latest file (use --base or --latest to choose)\n", refs)
	return miglint.Latest(dir, 1)
}

func writeLint(w io.Writer, r *miglint.Report, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	if len(r.Files) == 0 {
		_, err := fmt.Fprintln(w, "No new migrations to lint.")
		return err
	}
	return r.WriteText(w)
}
