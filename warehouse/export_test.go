package warehouse

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
