// pulumi-language-nodejs shim: a Node.js language host for the Pulumi CLI built from the Go module proxy.
//
// The module proxy serves the Node.js language host only as part of github.com/pulumi/pulumi/sdk/v3@v3.68.0
// (the standalone module .../sdk/nodejs/cmd/pulumi-language-nodejs/v3 answers 403). That host runs programs
// fine, but its RunPlugin RPC returns "not supported", and a v3.259 engine starts Node.js policy packs through
// RunPlugin on the `nodejs` language host (sdk/v3@v3.259.0 go/common/resource/plugin/analyzer_plugin.go,
// NewPolicyAnalyzer, and plugin.go, execPlugin). This program sits in front of the real v3.68 host:
//
//   - it starts the real host with our own arguments, reads the port it announces on the first line of
//     stdout, and announces its own port the same way (plugin.go newPlugin reads exactly one line);
//   - RunPlugin for analyzers (policy packs) is served here: `node <run-policy-pack> <engine> <pack>`;
//   - every other LanguageRuntime call is relayed byte for byte to the real host (a raw-frame gRPC proxy),
//     so program runs behave exactly as with the real host alone.
//
// See README.md for why and how to build it.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
)

// realHostEnv names the real language host binary; otherwise realHostSibling next to this executable is used.
const (
	realHostEnv     = "PULUMI_LANGUAGE_NODEJS_REAL"
	realHostSibling = "pulumi-language-nodejs-v3.68"
	// The method the engine calls to start a policy pack (pulumi/language.proto, service LanguageRuntime).
	runPluginMethod = "/pulumirpc.LanguageRuntime/RunPlugin"
	// The module Pulumi's Node.js SDK ships to host a policy pack (same as the legacy pulumi-analyzer-policy
	// script in sdk/v3@v3.68.0 nodejs/dist).
	runPolicyPackModule = "@pulumi/pulumi/cmd/run-policy-pack"
	// Pulumi's own message-size ceiling for plugin RPCs (sdk/v3 go/common/util/rpcutil: MaxRPCMessageSize).
	maxMsgSize = 1024 * 1024 * 400
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs shim: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	realHost, err := findRealHost()
	if err != nil {
		return err
	}

	// Start the real host with the engine's arguments and environment; its stderr is ours. It dies with the shim
	// (dieWithShim), on the thread that starts it.
	runtime.LockOSThread()
	child := exec.Command(realHost, os.Args[1:]...)
	dieWithShim(child)
	child.Stdin = os.Stdin
	child.Stderr = os.Stderr
	childOut, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", realHost, err)
	}
	stopChild := func() { _ = child.Process.Kill() }

	// Its first stdout line is its port; anything after that is passed through once ours is printed.
	childReader := bufio.NewReader(childOut)
	line, err := childReader.ReadString('\n')
	if err != nil {
		stopChild()
		return fmt.Errorf("%s did not print its port: %w", realHost, err)
	}
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		stopChild()
		return fmt.Errorf("%s printed %q instead of its port", realHost, strings.TrimSpace(line))
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMsgSize), grpc.MaxCallSendMsgSize(maxMsgSize)))
	if err != nil {
		stopChild()
		return err
	}

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		stopChild()
		return err
	}
	server := grpc.NewServer(
		grpc.ForceServerCodec(frameCodec{}),
		grpc.UnknownServiceHandler((&relay{conn: conn}).handle),
		grpc.MaxRecvMsgSize(maxMsgSize), grpc.MaxSendMsgSize(maxMsgSize))
	go func() { _ = server.Serve(lis) }()

	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)
	go func() { _, _ = io.Copy(os.Stdout, childReader) }()

	// Signals meant for the host go to the real host; we end when it ends, with its exit code.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range signals {
			_ = child.Process.Signal(s)
		}
	}()
	waitErr := child.Wait()
	server.Stop()
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		os.Exit(exit.ExitCode())
	}
	return waitErr
}

func findRealHost() (string, error) {
	if p := os.Getenv(realHostEnv); p != "" {
		return p, nil
	}
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	p := filepath.Join(filepath.Dir(self), realHostSibling)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("real Node.js language host not found: set %s or put %s next to %s",
			realHostEnv, realHostSibling, self)
	}
	return p, nil
}

// frame is one undecoded gRPC message, relayed as is.
type frame struct{ payload []byte }

// frameCodec passes frames through untouched and (un)marshals protobuf messages for the RunPlugin handler.
// It registers as "proto" so the content-type on the wire is the usual application/grpc+proto.
type frameCodec struct{}

func (frameCodec) Name() string { return "proto" }

func (frameCodec) Marshal(v any) ([]byte, error) {
	if f, ok := v.(*frame); ok {
		return f.payload, nil
	}
	return proto.Marshal(v.(proto.Message))
}

func (frameCodec) Unmarshal(data []byte, v any) error {
	if f, ok := v.(*frame); ok {
		f.payload = append([]byte(nil), data...)
		return nil
	}
	return proto.Unmarshal(data, v.(proto.Message))
}

// relay forwards any call to the real host, except RunPlugin which it serves itself.
type relay struct{ conn *grpc.ClientConn }

func (r *relay) handle(_ any, in grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(in)
	if method == runPluginMethod {
		return runPlugin(in)
	}

	ctx, cancel := context.WithCancel(in.Context())
	defer cancel()
	if md, ok := metadata.FromIncomingContext(in.Context()); ok {
		out := metadata.MD{}
		for k, v := range md {
			// Transport-level headers are set again by the client side of this relay.
			if strings.HasPrefix(k, ":") || k == "content-type" || k == "user-agent" {
				continue
			}
			out[k] = v
		}
		ctx = metadata.NewOutgoingContext(ctx, out)
	}
	// One stream description covers unary and streaming methods alike: frames are pumped both ways.
	upstream, err := r.conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true},
		method, grpc.ForceCodec(frameCodec{}))
	if err != nil {
		return err
	}

	go func() {
		for {
			f := &frame{}
			if err := in.RecvMsg(f); err != nil {
				if errors.Is(err, io.EOF) {
					_ = upstream.CloseSend()
				} else {
					cancel()
				}
				return
			}
			if err := upstream.SendMsg(f); err != nil {
				return // the receive loop below reports the upstream error
			}
		}
	}()

	sentHeader := false
	for {
		f := &frame{}
		err := upstream.RecvMsg(f)
		if !sentHeader {
			if h, herr := upstream.Header(); herr == nil && len(h) > 0 {
				_ = in.SendHeader(h)
			}
			sentHeader = true
		}
		if err != nil {
			in.SetTrailer(upstream.Trailer())
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err // a status error keeps its code and message
		}
		if err := in.SendMsg(f); err != nil {
			return err
		}
	}
}

// runPlugin starts a Node.js policy pack the way the legacy pulumi-analyzer-policy script and today's
// Node.js host do: `node [nodeargs] <require.resolve(run-policy-pack)> <engine address> <policy pack directory>`
// with the request's environment, streaming its output back. The working directory is the pack's directory,
// not the request's: @pulumi/policy reads the pack's version from `${process.cwd()}/package.json`
// (@pulumi/policy policy.js, PolicyPack constructor), and the engine's legacy path set pwd to the pack for the
// same reason (sdk/v3@v3.259.0 analyzer_plugin.go NewPolicyAnalyzer; pulumi/pulumi
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin does the same for kind "analyzer").
func runPlugin(stream grpc.ServerStream) error {
	req := &pulumirpc.RunPluginRequest{}
	if err := stream.RecvMsg(req); err != nil {
		return err
	}
	if req.GetKind() != "analyzer" {
		return fmt.Errorf("not supported: this shim runs only Node.js policy packs (plugin kind %q)", req.GetKind())
	}
	info := req.GetInfo()
	if info == nil || info.GetProgramDirectory() == "" {
		return errors.New("RunPlugin request names no policy pack directory (info.program_directory)")
	}
	packDir := info.GetProgramDirectory()
	program := filepath.Join(packDir, info.GetEntryPoint())

	send := newSender(stream)

	node, err := lookPath("node", req.GetEnv())
	if err != nil {
		return send.fail(err.Error())
	}
	// Resolve the module from the pack's directory so the pack's own @pulumi/pulumi is used.
	resolve := exec.CommandContext(stream.Context(), node, "-e",
		"try { process.stdout.write(require.resolve("+strconv.Quote(runPolicyPackModule)+")) }"+
			" catch (e) { process.stderr.write(String(e.message).split('\\n')[0]); process.exit(1) }")
	resolve.Dir = packDir
	resolve.Env = req.GetEnv()
	var resolveErr strings.Builder
	resolve.Stderr = &resolveErr
	script, err := resolve.Output()
	if err != nil {
		// One line, no stack: "Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'" makes the engine
		// tell the user to install the pack's dependencies (sdk/v3@v3.259.0 plugin.go newPlugin).
		msg := strings.TrimSpace(resolveErr.String())
		if msg == "" {
			msg = fmt.Sprintf("resolving %s from %s: %v", runPolicyPackModule, packDir, err)
		}
		return send.fail(msg)
	}

	// `runtime.options.nodeargs` in PulumiPolicy.yaml: extra node flags, split on white space (no quoting).
	var args []string
	if nodeargs, ok := info.GetOptions().AsMap()["nodeargs"].(string); ok {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, string(script))
	args = append(args, req.GetArgs()...) // the engine address
	args = append(args, program)

	cmd := exec.CommandContext(stream.Context(), node, args...)
	cmd.Dir = packDir
	cmd.Env = req.GetEnv()
	cmd.Stdout = send.writer(false)
	cmd.Stderr = send.writer(true)
	// exec waits for both writers to be drained before Run returns, so the exit code is the last message.
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return send.fail(fmt.Sprintf("running %s: %v", node, err))
		}
		return send.exit(int32(exit.ExitCode()))
	}
	return send.exit(0)
}

// lookPath finds a program on the PATH of the request's environment (the engine's), falling back to ours.
func lookPath(name string, env []string) (string, error) {
	for i := len(env) - 1; i >= 0; i-- {
		if p, ok := strings.CutPrefix(env[i], "PATH="); ok {
			for _, dir := range filepath.SplitList(p) {
				candidate := filepath.Join(dir, name)
				if st, err := os.Stat(candidate); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
					return candidate, nil
				}
			}
			break
		}
	}
	return exec.LookPath(name)
}

// sender serialises RunPluginResponse messages: a gRPC stream allows one SendMsg at a time.
type sender struct {
	mu     sync.Mutex
	stream grpc.ServerStream
}

func newSender(stream grpc.ServerStream) *sender { return &sender{stream: stream} }

func (s *sender) send(resp *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stream.SendMsg(resp)
}

func (s *sender) exit(code int32) error {
	return s.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// fail reports a start-up problem as the plugin's stderr and a non-zero exit, which the engine shows the user.
func (s *sender) fail(msg string) error {
	if err := s.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: []byte(msg + "\n")},
	}); err != nil {
		return err
	}
	return s.exit(1)
}

func (s *sender) writer(stderr bool) io.Writer { return chunkWriter{s: s, stderr: stderr} }

type chunkWriter struct {
	s      *sender
	stderr bool
}

func (w chunkWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
	if w.stderr {
		resp.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}
	}
	if err := w.s.send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}
