package warehouse

// SetPgLibDir replaces the folder searched for versioned PostgreSQL installs
// and returns a function that restores it.
func SetPgLibDir(dir string) (restore func()) {
	old := pgLibDir
	pgLibDir = dir
	return func() { pgLibDir = old }
}

// CleanKey exposes cleanKey to the tests.
var CleanKey = cleanKey

// NormalizeForTest is the normalizer LoadFromLake applies.
var NormalizeForTest = normalizePosting

// IncompleteLine is the error replay gives each source of a run without a
// manifest.
var IncompleteLine = incompleteLine
