package main

import (
	"errors"
	"io"
	"os/exec"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// RunPlugin starts a plugin written in Node.js (a policy pack, or a provider/component)
// and streams its output and exit code back to the engine.
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, srv grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	opts := h.optionsOf(req.GetInfo())
	dir := programDirectory(req.GetInfo(), req.GetPwd())
	entry := "run-plugin"
	if req.GetKind() == "analyzer" {
		entry = "run-policy-pack"
	}
	entryPath, err := h.resolveSDKEntry(dir, entry)
	if err != nil {
		return err
	}

	// run-policy-pack takes <engine-address> <pack dir>; run-plugin takes <plugin dir>
	// followed by the plugin's own arguments (the engine address first).
	args := append(append([]string{}, opts.nodeArgs...), entryPath)
	if req.GetKind() == "analyzer" {
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}
	cmd := exec.CommandContext(srv.Context(), h.nodeBin, args...)
	// A plugin is its own package: @pulumi/policy, for one, reads ./package.json for the
	// pack's version.
	cmd.Dir = dir
	cmd.Env = opts.environ(req.GetEnv()...)

	send := &lockedSender{srv: srv}
	cmd.Stdout = streamWriter(func(b []byte) error {
		return send.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
	cmd.Stderr = streamWriter(func(b []byte) error {
		return send.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})

	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	return send.send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// lockedSender serialises sends: stdout and stderr are copied on separate goroutines.
type lockedSender struct {
	mu  sync.Mutex
	srv grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
}

func (s *lockedSender) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.srv.Send(msg)
}

// streamWriter adapts a send function to io.Writer, copying each chunk before sending.
type streamWriter func([]byte) error

func (w streamWriter) Write(p []byte) (int, error) {
	if err := w(append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

var _ io.Writer = streamWriter(nil)
