package s3test

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal asks Linux to kill the server when the thread that
// started it dies (see spawn).
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
