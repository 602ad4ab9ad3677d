package objstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// StepStatus says what one set-up step found or did.
type StepStatus string

// What a set-up step can report.
const (
	// StepCreated: the setting (or the bucket) did not exist and was made.
	StepCreated StepStatus = "created"
	// StepOK: it was already as wanted; nothing was sent.
	StepOK StepStatus = "ok"
	// StepChanged: it existed but differed, and was set as wanted.
	StepChanged StepStatus = "changed"
	// StepNotSupported: the server does not implement the call; the step was
	// skipped and the others went on.
	StepNotSupported StepStatus = "not supported"
)

// Step is the outcome of one set-up step on one bucket.
type Step struct {
	Role   string     `json:"role"`   // "lake" or "site"
	Bucket string     `json:"bucket"` // bucket name
	Name   string     `json:"step"`   // e.g. "bucket", "versioning", "policy"
	Status StepStatus `json:"status"`
	Detail string     `json:"detail,omitempty"` // what differed, or what the server answered
}

// Errors of bucket set-up, checked with [errors.Is].
var (
	// ErrNotOwned: the bucket exists but belongs to another account, or these
	// credentials may not reach it.
	ErrNotOwned = errors.New("bucket exists and is owned by another account, or these credentials may not use it")
	// ErrAccessDenied: the server refused a call for lack of permission.
	ErrAccessDenied = errors.New("access denied")
)

// check is one idempotent set-up step: read the current state, and write
// the wanted one when it differs.
type check struct {
	name string
	// action is the IAM action the write needs, named in access errors.
	action string
	// hint, when set, is added to an access error: another likely cause.
	hint string
	// read returns whether a setting exists, whether it is as wanted, and a
	// description of what differs.
	read func(ctx context.Context) (found, same bool, detail string, err error)
	// write sets the wanted state.
	write func(ctx context.Context) error
}

// bucketRun runs the checks of one bucket in order and collects their steps.
type bucketRun struct {
	client *s3.Client
	role   string
	bucket string
	logger *slog.Logger
	steps  []Step
}

func (r *bucketRun) add(name string, status StepStatus, detail string) {
	r.steps = append(r.steps, Step{Role: r.role, Bucket: r.bucket, Name: name, Status: status, Detail: detail})
	r.logger.Info("bootstrap step", "role", r.role, "bucket", r.bucket, "step", name, "status", string(status), "detail", detail)
}

// fail wraps err as the error of step name: it names the role, the bucket
// and the step, and the IAM action on an access error.
func (r *bucketRun) fail(name, action, hint string, err error) error {
	if isAccessDenied(err) {
		if hint != "" {
			hint = "; " + hint
		}
		return fmt.Errorf("bootstrap: %s bucket %s: %s: %w (the credentials need %s on arn:aws:s3:::%s%s): %w",
			r.role, r.bucket, name, ErrAccessDenied, action, r.bucket, hint, err)
	}
	return fmt.Errorf("bootstrap: %s bucket %s: %s: %w", r.role, r.bucket, name, err)
}

// run performs c: reads, then writes if needed. A call the server does not
// implement makes the step "not supported"; any other error stops.
func (r *bucketRun) run(ctx context.Context, c check) error {
	found, same, detail, err := c.read(ctx)
	unreadable := false
	switch {
	case err == nil && same:
		r.add(c.name, StepOK, detail)
		return nil
	case err != nil && isNotSupported(err):
		unreadable = true // try the write: some servers set what they cannot read back
	case err != nil:
		return r.fail(c.name+": read", c.action, c.hint, err)
	}
	if err := c.write(ctx); err != nil {
		if isNotSupported(err) {
			r.add(c.name, StepNotSupported, "the server does not implement "+opName(err)+": "+apiMessage(err))
			return nil
		}
		return r.fail(c.name, c.action, c.hint, err)
	}
	switch {
	case unreadable:
		r.add(c.name, StepChanged, "set; the server cannot read it back")
	case found:
		r.add(c.name, StepChanged, detail)
	default:
		r.add(c.name, StepCreated, detail)
	}
	return nil
}

// ensureBucket checks that the bucket exists and is ours, creating it in the
// client's region when it does not exist.
func (r *bucketRun) ensureBucket(ctx context.Context) error {
	const name = "bucket"
	_, err := r.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &r.bucket})
	switch {
	case err == nil:
		r.add(name, StepOK, "")
		return nil
	case httpStatus(err) == http.StatusForbidden:
		return fmt.Errorf("bootstrap: %s bucket %s: %s: %w: %w", r.role, r.bucket, name, ErrNotOwned, err)
	case httpStatus(err) != http.StatusNotFound:
		return r.fail(name+": read", "s3:ListBucket", "", err)
	}
	in := &s3.CreateBucketInput{Bucket: &r.bucket}
	if region := r.client.Options().Region; region != "" && region != DefaultRegion {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraint(region),
		}
	}
	_, err = r.client.CreateBucket(ctx, in)
	switch code := apiCode(err); {
	case err == nil:
		r.add(name, StepCreated, "in region "+r.client.Options().Region)
	case code == "BucketAlreadyOwnedByYou":
		r.add(name, StepOK, "")
	case code == "BucketAlreadyExists":
		return fmt.Errorf("bootstrap: %s bucket %s: create: %w: %w", r.role, r.bucket, ErrNotOwned, err)
	default:
		return r.fail("create", "s3:CreateBucket", "", err)
	}
	return nil
}

// isNotSupported reports whether err is a server's answer that it does not
// implement a call: 501 Not Implemented, or versitygw's
// VersioningNotConfigured (a gateway started without versioning).
func isNotSupported(err error) bool {
	switch apiCode(err) {
	case "NotImplemented", "VersioningNotConfigured":
		return true
	}
	return httpStatus(err) == http.StatusNotImplemented
}

func isAccessDenied(err error) bool {
	return apiCode(err) == "AccessDenied" || httpStatus(err) == http.StatusForbidden
}

// apiCode returns the S3 error code of err ("NoSuchBucketPolicy"), or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// apiMessage returns the S3 error code and message of err.
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if m := ae.ErrorMessage(); m != "" {
			return ae.ErrorCode() + ": " + m
		}
		return ae.ErrorCode()
	}
	return err.Error()
}

// opName returns the S3 operation that err came from ("PutBucketEncryption").
func opName(err error) string {
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		return oe.OperationName
	}
	return "the call"
}

// httpStatus returns the HTTP status of the response behind err, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}
