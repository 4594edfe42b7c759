// pulumi-language-nodejs runs Pulumi programs, policy packs and plugins written for
// Node.js. It is the engine's side of @pulumi/pulumi: every call spawns node with the
// SDK's own entry points (cmd/run, cmd/run-policy-pack, cmd/run-plugin), which then talk
// to the engine.
//
// It is built here because the official host's Go module is not on the module proxy. It
// starts node exactly as the official host does (Pulumi's sdk/nodejs/cmd/pulumi-language-nodejs):
// the same command-line flags, the same node argument order and environment, the same
// runtime options and the same error texts, so that a program or policy pack that works
// with it works with the official host too. test/integration/language-host.test.ts pins
// those points.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	runtimeName := flag.String("runtime", "nodejs",
		"Specify the runtime to use for running TypeScript programs, defaults to `nodejs`")
	showVersion := flag.Bool("version", false, "Print the current plugin version and exit")
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		os.Exit(0)
	}
	logging.InitLogging(false, 0, false)

	// The engine passes its own address as the only argument.
	engineAddress := ""
	if flag.NArg() > 0 {
		engineAddress = flag.Arg(0)
	}
	switch *runtimeName {
	case "nodejs":
	case "bun":
		cmdutil.Exit(fmt.Errorf("unsupported runtime: %s (this build of the host runs node only)", *runtimeName))
	default:
		cmdutil.Exit(fmt.Errorf("unsupported runtime: %s", *runtimeName))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancelled := make(chan bool)
	go func() {
		<-ctx.Done()
		stop()
		close(cancelled)
	}()
	// The host exits when the engine that started it goes away.
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelled,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, newNodeHost(engineAddress, *tracing))
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from the first line of output.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}
