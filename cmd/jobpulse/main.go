// Command jobpulse collects job offers into a lake and a PostgreSQL
// warehouse, builds a report site from SQL, and publishes it.
//
// Run "jobpulse --help" for the commands and their configuration.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCommand().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "jobpulse: "+termSafe(oneLine(err.Error())))
		os.Exit(1)
	}
}
