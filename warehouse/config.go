package warehouse

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config says which PostgreSQL server the warehouse uses. Its fields are
// the keys warehouse.*: the tags give each key's name and its help text.
type Config struct {
	// URL is the connection string; empty means the managed server.
	URL string `mapstructure:"url" doc:"PostgreSQL connection string (default: $DATABASE_URL, else a server jobpulse starts itself)"`
	// DataDir is the managed server's data folder, default "./data/pg".
	DataDir string `mapstructure:"data" doc:"data folder of the PostgreSQL server jobpulse starts itself"`
	// Database is the database on the managed server, default "jobpulse".
	Database string `mapstructure:"database" doc:"database on the PostgreSQL server jobpulse starts itself"`
	// IAMAuth: connect to Amazon RDS with an IAM authentication token, made
	// for each new connection from the AWS SDK's credentials, instead of a
	// password in URL. Needs URL.
	IAMAuth bool `mapstructure:"iam_auth" doc:"connect to Amazon RDS with an IAM authentication token (AWS SDK credentials) instead of a password; needs warehouse.url"`
	// AWSRegion is the region the IAM token is signed for; empty means the
	// AWS SDK's (AWS_REGION, the profile).
	AWSRegion string `mapstructure:"aws_region" doc:"region the IAM authentication token is signed for (default: the AWS SDK's, e.g. AWS_REGION)"`
}

// DefaultConfig returns the configuration of the embedded default: a managed
// server with its data in ./data/pg and a database named jobpulse.
func DefaultConfig() Config {
	return Config{DataDir: "./data/pg", Database: "jobpulse"}
}

// maxIdentifier is the longest name PostgreSQL keeps (NAMEDATALEN-1 bytes).
const maxIdentifier = 63

// Validate checks the configuration. Its errors name the configuration key
// (warehouse.url, warehouse.data, warehouse.database) and the bad value.
// DataDir and Database are checked only when URL is empty, since only the
// managed server uses them.
func (c Config) Validate() error {
	if c.IAMAuth && c.URL == "" {
		return fmt.Errorf("warehouse.iam_auth: true needs warehouse.url (or DATABASE_URL): the RDS endpoint, user and database")
	}
	if c.URL != "" {
		if _, err := pgxpool.ParseConfig(c.URL); err != nil {
			// pgconn redacts the password in its parse errors.
			return fmt.Errorf("warehouse.url: not a PostgreSQL connection string: %w", err)
		}
		return nil
	}
	switch {
	case strings.TrimSpace(c.DataDir) == "":
		return fmt.Errorf("warehouse.data: %q: empty: set the folder of the managed PostgreSQL server, e.g. ./data/pg", c.DataDir)
	case strings.IndexByte(c.DataDir, 0) >= 0:
		return fmt.Errorf("warehouse.data: %q: contains a NUL byte", c.DataDir)
	}
	switch {
	case c.Database == "":
		return fmt.Errorf("warehouse.database: %q: empty: set the database name, e.g. jobpulse", c.Database)
	case len(c.Database) > maxIdentifier:
		return fmt.Errorf("warehouse.database: %q: longer than %d bytes", c.Database, maxIdentifier)
	case !utf8.ValidString(c.Database) || strings.IndexByte(c.Database, 0) >= 0:
		return fmt.Errorf("warehouse.database: %q: not valid UTF-8 text", c.Database)
	}
	return nil
}

// withDefaults fills empty fields of c from [DefaultConfig].
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.DataDir == "" {
		c.DataDir = d.DataDir
	}
	if c.Database == "" {
		c.Database = d.Database
	}
	return c
}
