// Package jobdata declares the data that ingest hands to the warehouse: a
// run and what each of its sources did ([Run], the JSON of a run's manifest
// in the lake), the postings it read ([Posting], with its normalized
// [Location] and [Salary]), the records it could not read ([Reject]), and the
// names readers may type for the values the normalizer writes ([Name]).
//
// It is a leaf: plain types and the few functions that belong to them, no
// I/O. ingest fills these values (its Posting and Reject are these types);
// the warehouse stores them and knows nothing else of ingest, the lake, the
// sources or S3.
package jobdata
