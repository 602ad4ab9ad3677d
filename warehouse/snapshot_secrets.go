package warehouse

import (
	"errors"
	"fmt"
	"strings"
)

// ErrForbidden is wrapped by the error of a query of a [Snapshot] (a build's
// content query) that named a catalog or function that exposes secrets or
// the server (see [refuseNames]), or that PostgreSQL refused for lack of
// privilege: report queries may read the warehouse's tables and views,
// nothing else.
var ErrForbidden = errors.New("report queries may read only the warehouse's tables and views")

// Content queries run as the role [ReportRole], which may read the
// warehouse's tables and views and nothing else, when the login is a member
// of it (see [buildSessionSQL]); PostgreSQL then refuses pg_authid,
// pg_read_file and the like by itself. A login that is not (an older
// warehouse, a database set up by hand) falls back to pg_read_all_data,
// which reads every table, catalogs included. So, whatever the role, the
// guard also refuses, before a query runs, every query that names what
// exposes secrets or the server: a defence in depth for the first case, the
// only one for the second.
//
// A name counts wherever it appears, in an identifier or in a string: a
// string can be a query that a function runs. The functions that run a query
// given as text (query_to_xml, ts_stat...), which could build a name from
// pieces, are refused themselves, as are Unicode escapes (U&"..."), which
// could spell a name without its letters.

// deniedNames maps each refused name to what it exposes.
var deniedNames = map[string]string{
	"pg_authid":              "role password hashes",
	"pg_shadow":              "role password hashes",
	"pg_user_mapping":        "passwords for foreign servers",
	"pg_user_mappings":       "passwords for foreign servers",
	"pg_subscription":        "subscription connection strings, with passwords",
	"pg_statistic":           "sampled values of every column, catalogs included",
	"pg_statistic_ext_data":  "sampled values of every column, catalogs included",
	"pg_stats":               "sampled values of every column the role reads",
	"pg_stats_ext":           "sampled values of every column the role reads",
	"pg_stats_ext_exprs":     "sampled values of every column the role reads",
	"pg_stat_activity":       "other sessions' queries",
	"pg_stat_get_activity":   "other sessions' queries",
	"pg_stat_statements":     "every role's queries",
	"pg_file_settings":       "the server's configuration files",
	"pg_hba_file_rules":      "the server's authentication rules",
	"pg_ident_file_mappings": "the server's authentication rules",
	"pg_largeobject":         "large objects",
	"pg_read_file":           "server files",
	"pg_read_binary_file":    "server files",
	"pg_stat_file":           "server files",
	"lo_import":              "server files",
	"lo_export":              "server files",
	"lo_get":                 "large objects",
	"lo_open":                "large objects",
	"loread":                 "large objects",
	"lo_from_bytea":          "large objects",
	"lo_put":                 "large objects",
	"ts_stat":                "a query given as text",
	"ts_rewrite":             "a query given as text",
	// Settings that hold passwords, commands or server paths.
	"primary_conninfo":        "a setting with the server's secrets",
	"ssl_passphrase_command":  "a setting with the server's secrets",
	"archive_command":         "a setting with the server's secrets",
	"restore_command":         "a setting with the server's secrets",
	"archive_cleanup_command": "a setting with the server's secrets",
	"recovery_end_command":    "a setting with the server's secrets",
	"ssl_key_file":            "a setting with the server's paths",
	"data_directory":          "a setting with the server's paths",
	"config_file":             "a setting with the server's paths",
	"hba_file":                "a setting with the server's paths",
	"ident_file":              "a setting with the server's paths",
}

// deniedPrefixes are the refused families of names, e.g. pg_ls_dir,
// pg_ls_logdir...
var deniedPrefixes = []struct{ prefix, why string }{
	{"pg_ls_", "server folders"},
	{"pg_file_", "server files"}, // adminpack's pg_file_write, pg_file_read...
	{"pg_stat_get_backend_", "other sessions' queries"},
	{"dblink", "connections to other servers"},
	{"query_to_xml", "a query given as text"},
	{"cursor_to_xml", "a query given as text"},
	{"table_to_xml", "a table named in text"},
	{"schema_to_xml", "every table of a schema"},
	{"database_to_xml", "every table of the database"},
}

// refuseNames returns an error wrapping [ErrForbidden] that names the first
// refused name sql holds, or nil.
func refuseNames(sql string) error {
	lower := strings.ToLower(sql)
	if strings.Contains(lower, `u&"`) || strings.Contains(lower, `u&'`) {
		return fmt.Errorf("%w: Unicode escapes (U&\"...\" or U&'...') are refused in report queries, "+
			"as they can spell a name the guard refuses; the query was not run", ErrForbidden)
	}
	for word := range strings.FieldsFuncSeq(lower, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '$' || r > 0x7f)
	}) {
		why, ok := deniedNames[word]
		for _, p := range deniedPrefixes {
			if !ok && strings.HasPrefix(word, p.prefix) {
				why, ok = p.why, true
			}
		}
		if ok {
			return fmt.Errorf("%w: the query names %s, which exposes %s; it was not run", ErrForbidden, word, why)
		}
	}
	return nil
}
