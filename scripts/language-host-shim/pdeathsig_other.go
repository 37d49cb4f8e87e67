//go:build !linux

package main

import "os/exec"

// dieWithShim: no parent-death signal outside Linux; the engine's own shutdown (SIGINT, forwarded) stops the host.
func dieWithShim(c *exec.Cmd) {}
