// Package publish puts a built site on its target, a folder or an S3
// website bucket, and serves a built folder as that bucket would.
//
// [Publish] plans from one listing of the target and the manifest the
// previous publish left there ([MarkerKey]), uploads only what changed with
// the headers a website needs (assets, then data, then pages, then the entry
// pages), and deletes what the build no longer has last, only when
// everything else succeeded. It holds the target's lock while it works, and
// may invalidate the changed paths of a CloudFront distribution. [Handler]
// serves a built folder with the same types and Cache-Control headers, for
// `jobpulse serve`.
//
// It knows nothing of how a site is built: the page engine (package site)
// imports it for [MarkerKey] alone. It reaches S3 through
// internal/objstore.
package publish
