package graph

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	khttp "github.com/microsoft/kiota-http-go"
)

// maxAnswerBytes caps one answer's body: Graph's largest pages of this
// provider's reads are well under a megabyte, so a longer answer is not
// Graph's, and reading it whole would only exhaust memory.
const maxAnswerBytes = 32 << 20

// maxPages caps one list: 10,000 pages is a million users at Graph's page
// size of 100, beyond any tenant this provider reads whole.
const maxPages = 10000

// answerGuard is a kiota middleware that lets only a 2xx answer count as
// success. kiota's adapter raises errors for 4xx and 5xx alone, so a 3xx
// would pass for success; Go's HTTP client would follow it, turning a
// DELETE into a GET of another address. The client follows no redirect
// (New), and this turns a 1xx or 3xx answer into an error naming the status
// and the request; 4xx and 5xx stay kiota's and the retry handler's. Bodies
// are capped.
type answerGuard struct{}

var _ khttp.Middleware = answerGuard{}

func (answerGuard) Intercept(p khttp.Pipeline, index int, req *http.Request) (*http.Response, error) {
	resp, err := p.Next(req, index)
	if err != nil || resp == nil {
		return resp, err
	}
	if resp.StatusCode < 200 || (resp.StatusCode >= 300 && resp.StatusCode < 400) {
		resp.Body.Close()
		return nil, &Error{StatusCode: resp.StatusCode, Message: fmt.Sprintf(
			"Graph answered %s to %s %s: only a 2xx answer is success, and redirects are not followed", resp.Status, req.Method, req.URL.Path)}
	}
	resp.Body = &cappedBody{r: resp.Body, left: maxAnswerBytes, what: req.Method + " " + req.URL.Path}
	return resp, nil
}

// cappedBody fails a read past its limit rather than truncating silently.
type cappedBody struct {
	r    io.ReadCloser
	left int64
	what string
}

// errAnswerTooLarge marks an answer over maxAnswerBytes.
var errAnswerTooLarge = errors.New("answer too large")

func (b *cappedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte more tells a body of exactly the cap from a longer one
	}
	n, err := b.r.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return 0, fmt.Errorf("%w: the answer to %s is longer than %d MiB", errAnswerTooLarge, b.what, maxAnswerBytes>>20)
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.r.Close() }

// noRedirects is the HTTP client's CheckRedirect: the 3xx answer itself
// comes back, for answerGuard to refuse.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
