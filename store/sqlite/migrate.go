package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// Migrations are the files migrations/NNNN_name.sql, applied in name order. Each
// applied one is recorded in schema_migrations by its name without ".sql". A migration
// once released is never edited: changes go in a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version string // e.g. "0001_init"
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for _, name := range names {
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: strings.TrimSuffix(path.Base(name), ".sql"), sql: string(body)})
	}
	return out, nil
}

// migrate applies the migrations the database lacks, all in one IMMEDIATE transaction,
// so that two processes opening a new file at once do not both apply them, and a failed
// migration leaves the schema as it was. It refuses a database that records a
// migration this binary does not have: a newer rollcall wrote it.
func migrate(ctx context.Context, c *dbConn) (err error) {
	all, err := migrations()
	if err != nil {
		return err
	}
	if _, err := c.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if err != nil {
			c.conn.ExecContext(ctx, "ROLLBACK")
		}
	}()
	if _, err := c.conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, err := appliedMigrations(ctx, c)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := make(map[string]bool, len(all))
	for _, m := range all {
		known[m.version] = true
	}
	for v := range applied {
		if !known[v] {
			return fmt.Errorf("migrate: the database has schema version %s, which this rollcall does not know: it was written by a newer one", v)
		}
	}
	for _, m := range all {
		if applied[m.version] {
			continue
		}
		if _, err := c.conn.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migrate %s: %w", m.version, err)
		}
		if step := goSteps[m.version]; step != nil {
			if err := step(ctx, c); err != nil {
				return fmt.Errorf("migrate %s: %w", m.version, err)
			}
		}
		if _, err := c.conn.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
			m.version, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("migrate %s: %w", m.version, err)
		}
	}
	if _, err := c.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

func appliedMigrations(ctx context.Context, c *dbConn) (map[string]bool, error) {
	rows, err := c.conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}
