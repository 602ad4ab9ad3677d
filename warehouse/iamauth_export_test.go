package warehouse

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
)

// WrapBuildAuthToken replaces the IAM token builder with wrap(the real one)
// and returns a function that restores it.
func WrapBuildAuthToken(wrap func(real func(ctx context.Context, endpoint, region, user string, creds aws.CredentialsProvider, opts ...func(*auth.BuildAuthTokenOptions)) (string, error)) func(ctx context.Context, endpoint, region, user string, creds aws.CredentialsProvider, opts ...func(*auth.BuildAuthTokenOptions)) (string, error)) (restore func()) {
	old := buildAuthToken
	buildAuthToken = wrap(old)
	return func() { buildAuthToken = old }
}
