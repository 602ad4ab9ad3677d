// Package warehouse keeps jobpulse's typed data in PostgreSQL: the runs, the
// distinct postings they saw with their normalized and raw fields, the
// listings (source records) behind each posting, every sighting of a posting
// by a run, and the records that could not be parsed.
//
// [Open] connects to a configured server, or, with no URL, starts a PostgreSQL
// server of its own from the binaries installed on the machine (see
// [pgserver.Start]). [Migrate] applies the schema embedded in the binary; the
// model (identity, history, integrity) is documented in
// migrations/0001_init.sql.
//
// A run is loaded in one transaction by a [Loader]: [BeginLoad] takes the load
// lock and reads the little state it compares, [Loader.Copy] streams postings
// with binary COPY straight into their tables (memory stays flat), and
// [Loader.Commit] merges what changed and commits. Loading the same run again
// changes nothing; an older run loaded after newer ones never overwrites their
// content. [LoadStream] loads a [RunStream] (a run that ingest reads back
// from the lake: what an ingest does after fetching), and [Replay] loads such
// runs one after another. [Load] is the in-memory shortcut.
//
// The warehouse knows nothing of the lake, the sources or S3: what it shares
// with ingest is the data types of internal/jobdata. A site build reads one
// [Snapshot] of the warehouse ([BeginSnapshot]): a read-only transaction
// whose every query is guarded.
//
// Callers use the [github.com/jackc/pgx/v5/pgxpool.Pool] directly for queries;
// this package does not wrap pgx.
package warehouse
