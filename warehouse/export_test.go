package warehouse

// CleanKey exposes cleanKey to the tests.
var CleanKey = cleanKey
