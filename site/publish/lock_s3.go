package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/jobpulse/jobpulse/internal/objstore"
)

// lock takes the publish lock of a bucket target: the object lockKey under
// the prefix, created with If-None-Match: * so that of two publishes only
// one creates it, and holding who took it and until when (see
// [LockLease]). An expired lock object (its publish died) is taken
// over with If-Match on the ETag read, so that of two publishes taking it
// over only one succeeds. While held, the lock is renewed every third of
// the lease, with If-Match on its own ETag; a renewal refused because
// another publish took the lock over calls req.lost, which ends the publish.
// Release deletes the object with If-Match on its ETag.
func (t *bucketTarget) lock(ctx context.Context, req lockRequest) (func(context.Context) error, error) {
	me := req.me
	var etag string
	_, err := acquireLock(ctx, t.String(), req, func(ctx context.Context) (func(context.Context) error, *LockHolder, error) {
		var holder *LockHolder
		var err error
		etag, holder, err = t.tryLock(ctx, me)
		return nil, holder, err
	})
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex // guards etag against the renewals
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(LockLease / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			mu.Lock()
			next, err := t.putLock(ctx, me, "", etag)
			if err == nil {
				etag = next
			}
			mu.Unlock()
			if isPrecondition(err) {
				req.lost(fmt.Errorf("site: publish to %s: the publish lock was taken over by another publish: %w", t, ErrLocked))
				return
			}
			// Another error (the network): the next renewal tries again,
			// well within the lease.
		}
	}()
	release := func(ctx context.Context) error {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		_, err := t.client.DeleteObject(ctx, &s3.DeleteObjectInput{
			Bucket: aws.String(t.bucket), Key: t.key(lockKey), IfMatch: aws.String(etag),
		})
		switch {
		case err == nil:
			return nil
		case isPrecondition(err) || httpStatusOf(err) == http.StatusNotFound:
			return fmt.Errorf("site: release the publish lock of %s: another publish took it over: %w", t, ErrLocked)
		default:
			return fmt.Errorf("site: release the publish lock of %s: delete %s: %w", t, lockKey, err)
		}
	}
	return release, nil
}

// tryLock makes one attempt at the lock object; it returns the ETag of the
// lock it took.
func (t *bucketTarget) tryLock(ctx context.Context, me LockHolder) (string, *LockHolder, error) {
	etag, err := t.putLock(ctx, me, "*", "")
	if err == nil {
		return etag, nil, nil
	}
	if !isPrecondition(err) {
		if isConflict(err) {
			return "", nil, errLockRace // another conditional write in flight
		}
		return "", nil, fmt.Errorf("create %s (If-None-Match: *): %w", lockKey, err)
	}
	body, out, err := objstore.ReadObject(ctx, t.client, &s3.GetObjectInput{Bucket: aws.String(t.bucket), Key: t.key(lockKey)})
	if err != nil {
		if httpStatusOf(err) == http.StatusNotFound {
			return "", nil, errLockRace // released since
		}
		return "", nil, fmt.Errorf("read %s: %w", lockKey, err)
	}
	holder := parseLockHolder(body)
	expires := aws.ToTime(out.LastModified).Add(LockLease) // a lock that does not say
	if holder != nil {
		expires = holder.Expires
	}
	if time.Now().Before(expires) {
		return "", holder, ErrLocked
	}
	// Stale: its publish died. Take it over, if it is still that object.
	etag, err = t.putLock(ctx, me, "", unquote(aws.ToString(out.ETag)))
	switch {
	case err == nil:
		return etag, nil, nil
	case isPrecondition(err) || isConflict(err) || httpStatusOf(err) == http.StatusNotFound:
		return "", nil, errLockRace // taken over, renewed or released by another
	default:
		return "", nil, fmt.Errorf("take over the expired %s of %s: %w", lockKey, holder, err)
	}
}

// putLock writes the lock object for me, valid for the lease, with
// If-None-Match: ifNoneMatch or If-Match: ifMatch, and returns its ETag.
func (t *bucketTarget) putLock(ctx context.Context, me LockHolder, ifNoneMatch, ifMatch string) (string, error) {
	me.Since = time.Now()
	me.Expires = me.Since.Add(LockLease)
	body, err := json.Marshal(me)
	if err != nil {
		return "", err
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(t.bucket),
		Key:           t.key(lockKey),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
		ContentType:   aws.String("application/json"),
		CacheControl:  aws.String(cacheNever),
	}
	if ifNoneMatch != "" {
		in.IfNoneMatch = aws.String(ifNoneMatch)
	}
	if ifMatch != "" {
		in.IfMatch = aws.String(`"` + ifMatch + `"`)
	}
	out, err := t.client.PutObject(ctx, in)
	if err != nil {
		return "", err
	}
	return unquote(aws.ToString(out.ETag)), nil
}

// httpStatusOf returns the HTTP status of an S3 error, or 0.
func httpStatusOf(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// isPrecondition reports whether err is S3's 412 Precondition Failed: a
// conditional write or delete found another object, or none.
func isPrecondition(err error) bool {
	var ae smithy.APIError
	return httpStatusOf(err) == http.StatusPreconditionFailed || (errors.As(err, &ae) && ae.ErrorCode() == "PreconditionFailed")
}

// isConflict reports whether err is S3's 409 ConditionalRequestConflict:
// another conditional write of the key was in flight.
func isConflict(err error) bool {
	return httpStatusOf(err) == http.StatusConflict
}

func (t *bucketTarget) close() error { return nil }
