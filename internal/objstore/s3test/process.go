package s3test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// dirPrefix starts the name of every server folder, followed by the test
// process's pid, so that a later run can remove folders left by a process
// that did not stop its server.
const dirPrefix = "jobpulse-s3test-"

// process is a running versitygw and what it logged.
type process struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed when the process has exited
	err     error         // how it exited; read after done is closed
}

// spawn starts bin with args in dir, its stdout and stderr going to logPath.
//
// The process is started from a goroutine locked to its OS thread, which
// stays alive as long as the process does: on Linux the process is asked to
// receive SIGKILL when that thread dies, that is when the test process exits,
// so a test binary that never calls [Stop] leaves no server behind.
func spawn(bin string, args []string, dir, logPath string) (*process, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create server log: %w", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.Env = serverEnv()
	setParentDeathSignal(cmd)

	p := &process{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		err := cmd.Start()
		started <- err
		if err != nil {
			logFile.Close()
			return
		}
		p.err = cmd.Wait()
		logFile.Close()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	return p, nil
}

// serverEnv is the test process's environment without the variables that
// configure versitygw (VGW_*, ROOT_*), so that a developer's settings cannot
// change the test server.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "VGW_") || strings.HasPrefix(kv, "ROOT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// alive returns nil while the process runs, and how it exited afterwards.
func (p *process) alive() error {
	select {
	case <-p.done:
		if p.err == nil {
			return errors.New("exited with status 0")
		}
		return p.err
	default:
		return nil
	}
}

// stop asks the process to terminate, and kills it if it has not exited
// after a few seconds.
func (p *process) stop() {
	if p.alive() != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// sweepStale removes the server folders of test processes that are gone.
func sweepStale() {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), dirPrefix)
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || processExists(pid) {
			continue
		}
		os.RemoveAll(m)
	}
}

// processExists reports whether a process with pid runs.
func processExists(pid int) bool {
	proc, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = proc.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
