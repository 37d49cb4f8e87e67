//go:build linux

package main

import (
	"os/exec"
	"syscall"
)

// dieWithShim makes the kernel kill the real host when the shim dies, however it dies: the engine kills a plugin
// it is done with (SIGKILL after its grace period), which the shim cannot forward, and a host left behind lives on
// reparented to init. Linux sends the signal when the thread that started the child exits, so run() keeps the
// main goroutine on that thread (runtime.LockOSThread) until the child has exited.
func dieWithShim(c *exec.Cmd) {
	c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
