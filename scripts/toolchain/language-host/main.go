// pulumi-language-nodejs runs Pulumi programs, policy packs and plugins written for
// Node.js. It is the engine's side of @pulumi/pulumi: every call spawns node with the
// SDK's own entry points (cmd/run, cmd/run-policy-pack, cmd/run-plugin), which then talk
// to the engine directly.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is stamped at link time with the Pulumi release this host is built with.
var version = "0.0.0-dev"

func main() {
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint")
	flag.String("root", "", "project root (the engine sends it again with each request)")
	typescript := flag.Bool("typescript", true, "load TypeScript programs through ts-node unless the project says otherwise")
	flag.Parse()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: could not find node on the PATH")
		os.Exit(1)
	}

	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}
	host := &nodeHost{
		nodeBin:           nodeBin,
		engineAddress:     engineAddress,
		tracing:           *tracing,
		typescriptDefault: *typescript,
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
		os.Exit(1)
	}
}
