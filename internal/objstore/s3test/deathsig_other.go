//go:build !linux

package s3test

import "os/exec"

// setParentDeathSignal does nothing where there is no parent death signal:
// call [Main] from TestMain to stop the server.
func setParentDeathSignal(*exec.Cmd) {}
