package pgserver

// SetPgLibDir replaces the folder searched for versioned PostgreSQL installs
// and returns a function that restores it.
func SetPgLibDir(dir string) (restore func()) {
	old := pgLibDir
	pgLibDir = dir
	return func() { pgLibDir = old }
}
