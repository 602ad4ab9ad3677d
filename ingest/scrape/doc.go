// Package scrape is the source for job boards that publish HTML pages and no
// API: a crawler built on colly, driven by a declarative [Profile] that a user
// writes in the configuration (sources.<name>), so adding a board needs no code.
//
// A crawl starts at [Profile.URL], reads every posting ([Profile.Item]) of the
// list page, follows each posting's detail link ([Profile.Detail]) and the
// next-page link ([Profile.Next]), and hands every response to the lake before
// it follows that response's links. It is polite: robots.txt is honoured by
// default, requests to the host are serialised and spaced by [Profile.Delay],
// the User-Agent names jobpulse and a contact URL, and 429 and 5xx answers are
// retried with backoff honouring Retry-After: colly's client makes its
// requests through [ingest.Transport], the API sources' transport, which
// records every response and takes turns at the host with the run's other
// sources (see [WithLimiter]). It never requests a URL outside
// the start URL's scheme, host and port; absolute links on the board's original
// address ([Profile.Origin]) are mapped onto the start URL's base first.
//
// Pages are named so that [Source.Parse] finds them again in the lake without
// the network: list pages page-0001.html, page-0002.html, ... in crawl order,
// detail pages [DetailPageName] of the link as written in the list page, the
// host's robots.txt as robots.txt, and a failed attempt before a retry with
// ".attempt-N" before the extension.
//
// [FakeJobs] is the built-in profile of Real Python's static practice board.
package scrape
