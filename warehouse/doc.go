// Package warehouse keeps jobpulse's typed data in PostgreSQL: the runs, the
// postings they saw and every sighting of a posting by a run.
//
// [Open] connects to a configured server, or, with no URL, starts a PostgreSQL
// server of its own from the binaries installed on the machine (see
// [StartServer]). [Migrate] applies the schema embedded in the binary. [Load]
// writes one run and its postings in one transaction: a bulk COPY into a
// staging table, then a merge into the typed tables, so that loading the same
// run twice changes nothing.
//
// Callers use the [github.com/jackc/pgx/v5/pgxpool.Pool] directly for queries;
// this package does not wrap pgx.
package warehouse
