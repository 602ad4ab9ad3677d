package warehouse

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// buildAuthToken is auth.BuildAuthToken; tests wrap it.
var buildAuthToken = auth.BuildAuthToken

// IAMAuthBeforeConnect returns a pgxpool BeforeConnect hook that sets each
// new connection's password to a fresh Amazon RDS IAM authentication token
// for the connection's host:port and user, signed in region with creds. The
// token is made for the first host of the connection string: name one host.
// Tokens live 15 minutes and are made per connection, so a pool that opens
// connections for hours never uses an expired one. A token is a credential:
// it is never logged, and errors never carry it.
func IAMAuthBeforeConnect(region string, creds aws.CredentialsProvider) func(context.Context, *pgx.ConnConfig) error {
	return func(ctx context.Context, cc *pgx.ConnConfig) error {
		endpoint := net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
		token, err := buildAuthToken(ctx, endpoint, region, cc.User, creds)
		if err != nil {
			return fmt.Errorf("warehouse: rds iam auth: token for %s at %s: %w", cc.User, endpoint, err)
		}
		cc.Password = token // fallbacks (sslmode=prefer's plain retry) share it: same host
		return nil
	}
}

// newPool returns the pool for connString, with RDS IAM authentication when
// cfg.IAMAuth is set: credentials and, unless cfg.AWSRegion names one, the
// region come from the AWS SDK's standard chain.
func newPool(ctx context.Context, cfg Config, connString string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, err
	}
	if cfg.IAMAuth {
		var opts []func(*config.LoadOptions) error
		if cfg.AWSRegion != "" {
			opts = append(opts, config.WithRegion(cfg.AWSRegion))
		}
		awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("rds iam auth: load AWS configuration: %w", err)
		}
		if awsCfg.Region == "" {
			return nil, errors.New("rds iam auth: no AWS region: set warehouse.aws_region or AWS_REGION")
		}
		if awsCfg.Credentials == nil {
			return nil, errors.New("rds iam auth: no AWS credentials in the SDK's standard chain")
		}
		pc.BeforeConnect = IAMAuthBeforeConnect(awsCfg.Region, awsCfg.Credentials)
	}
	return pgxpool.NewWithConfig(ctx, pc)
}
