package warehouse

// CleanKey exposes cleanKey to the tests.
var CleanKey = cleanKey

// NormalizeForTest is the normalizer LoadFromLake applies.
var NormalizeForTest = normalizePosting

// IncompleteLine is the error replay gives each source of a run without a
// manifest.
var IncompleteLine = incompleteLine
