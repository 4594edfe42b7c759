package main

import (
	"fmt"
	"os/exec"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// InstallDependencies runs the project's package manager in its directory, streaming the
// output to the engine (`pulumi install`, `pulumi new`).
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	srv grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	opts := h.optionsOf(req.GetInfo())
	switch opts.packageManager {
	case "npm", "yarn", "pnpm", "bun":
	default:
		return fmt.Errorf("unsupported packagemanager %q (npm, yarn, pnpm or bun)", opts.packageManager)
	}
	bin, err := exec.LookPath(opts.packageManager)
	if err != nil {
		return fmt.Errorf("%s is not on the PATH", opts.packageManager)
	}
	cmd := exec.CommandContext(srv.Context(), bin, "install")
	cmd.Dir = programDirectory(req.GetInfo(), req.GetDirectory())
	cmd.Env = opts.environ()

	var mu sync.Mutex
	send := func(msg *pulumirpc.InstallDependenciesResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return srv.Send(msg)
	}
	cmd.Stdout = streamWriter(func(b []byte) error {
		return send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	})
	cmd.Stderr = streamWriter(func(b []byte) error {
		return send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	})
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s install failed in %s: %w", opts.packageManager, cmd.Dir, err)
	}
	return nil
}
