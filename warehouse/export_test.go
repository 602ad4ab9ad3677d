package warehouse

import "github.com/jobpulse/jobpulse/internal/jobdata"

// CleanKey exposes cleanKey to the tests.
var CleanKey = cleanKey

// WithoutDeniedNames turns off the guard's refusal of names (see
// refuseNames), for the test that the report role alone holds, and returns
// a function that restores it.
func WithoutDeniedNames() (restore func()) {
	names, prefixes := deniedNames, deniedPrefixes
	deniedNames, deniedPrefixes = nil, nil
	return func() { deniedNames, deniedPrefixes = names, prefixes }
}

// ContentHash returns the content hash a load gives p, a clean posting.
func ContentHash(p jobdata.Posting) int64 {
	var c copyBuf
	return encodeHead(&c, [16]byte{}, &p)
}
