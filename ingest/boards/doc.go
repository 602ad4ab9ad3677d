// Package boards reads companies' own job boards: the public job board APIs
// of applicant tracking systems (Greenhouse, Lever, Ashby, SmartRecruiters,
// Recruitee, Workable, Personio), one board per company.
//
// A user lists the boards to read, one "kind board" per line ([ParseList]),
// in the configuration or in a file it names ([Config]); each board is an
// [ingest.Source] of its own ([New]), named "<kind>-<board>"
// ([Board.Source]), so that it has its own partition in the lake, its own
// row in run_sources and its own line on the Sources page. A board that
// answers 404 fails with an error wrapping [ingest.ErrGone]: the company
// left that system, which the run records as gone, not as a failure.
//
// Each kind's parser turns one response into postings with the fields the
// normalizer reads: title, company, the posting's page, the description as
// HTML, the location text (with the board's remote or hybrid flag where it
// gives one), the department as category, the employment type, a salary
// range where the API publishes one, and the publication time.
package boards
