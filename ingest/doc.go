// Package ingest fetches raw pages from job sources, keeps every page in the
// lake before it is parsed, and turns pages into [Posting] values.
//
// Every request goes through one recording [net/http.RoundTripper], [Transport]:
// the API sources' through [Fetcher], the crawler's under colly. A run
// fetches its sources side by side ([FetchWith]), each host taking turns and
// keeping its pace at a [HostLimiter] that the sources share.
//
// The lake is the [Lake] interface with two implementations: [FolderLake] for a
// folder and [S3Lake] for an S3 bucket. Raw objects are immutable and laid out in
// Hive-style partitions (see [RawKey]), so any engine that reads such partitions
// can query the lake directly.
//
// ingest is the lake's one owner: raw keys, runs and their manifests
// ([WriteManifest], [Replay]), and reading a run back ([ReadRun]): a
// [RunReader] parses and normalizes the run's pages into a stream of postings
// and rejects, which the warehouse loads without knowing where they came
// from. What the two share is the data types of internal/jobdata.
package ingest
