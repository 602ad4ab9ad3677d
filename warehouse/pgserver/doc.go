// Package pgserver runs the warehouse's managed PostgreSQL server: a server
// jobpulse starts itself from the PostgreSQL binaries installed on the
// machine, with its data in one folder (warehouse.data), listening on
// 127.0.0.1 only. It is what the warehouse opens when no DATABASE_URL is
// configured, and what the tests start.
//
// It supervises a process and knows nothing of the warehouse's schema:
// [Start] creates the folder with initdb on first use or reuses a running
// server, [Server.Close] stops it when no other jobpulse process still uses
// it, and a server started by someone else is never stopped.
package pgserver
