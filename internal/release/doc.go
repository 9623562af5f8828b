// Package release tests the release artifacts as they are shipped: the zips
// `make release-snapshot` leaves in dist/ (see release_test.go and
// `make release-test`).
package release
