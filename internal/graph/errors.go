package graph

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error answer from Graph: its HTTP status and the code and
// message of its OData error body.
type Error struct {
	StatusCode int
	Code       string
	Message    string
}

func (e *Error) Error() string {
	if e.Code == "" && e.Message != "" {
		return fmt.Sprintf("Microsoft Graph returned HTTP %d: %s", e.StatusCode, e.Message)
	}
	if e.Message == "" {
		return fmt.Sprintf("Microsoft Graph returned HTTP %d %s", e.StatusCode, e.Code)
	}
	return fmt.Sprintf("Microsoft Graph returned HTTP %d (%s): %s", e.StatusCode, e.Code, e.Message)
}

// IsNotFound reports whether err is Graph's 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsThrottled reports whether err is a 429 that outlasted the retry budget.
func IsThrottled(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsBadRequest reports whether Graph refused the request as invalid; the
// error's Message then says why, in Graph's words.
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

func hasStatus(err error, status int) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.StatusCode == status
}

// MaybeDone reports whether a request that failed with err may nonetheless
// have been carried out: no answer came (a reset, a timeout), or a server or
// gateway error did, which a gateway can send after Graph committed the
// change. A 4xx, a 429 included, means Graph did not act.
func MaybeDone(err error) bool {
	if err == nil {
		return false
	}
	var ge *Error
	if errors.As(err, &ge) {
		return ge.StatusCode >= 500
	}
	return true
}
