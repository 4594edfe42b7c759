package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// exitAfterReportedError is the exit code @pulumi/pulumi's cmd/run uses when it has
// already shown the user an actionable message: the engine then adds nothing further.
const exitAfterReportedError = 32

// Run starts `node [nodeargs] <@pulumi/pulumi/cmd/run> [flags] <entry point> [args]` in the
// program's environment and reports how it ended.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if h.engine() == "" {
		return nil, errors.New("when debugging or running explicitly, must call Handshake before Run")
	}
	conn, err := grpc.NewClient(req.GetMonitorAddress(),
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	monitor := pulumirpc.NewResourceMonitorClient(conn)

	stopProxy := make(chan bool)
	defer func() {
		stopProxy <- true
		close(stopProxy)
	}()
	proxy, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stopProxy,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceMonitorServer(srv, &monitorProxy{target: monitor})
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	sync, err := startSyncInvokes(ctx, monitor)
	if err != nil {
		return nil, err
	}
	defer sync.close()

	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %s", err.Error())}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err = locateModule(ctx, runPath, req.GetInfo().GetProgramDirectory(), nodeBin, false)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	finished := make(chan *pulumirpc.RunResponse, 1)
	go func() {
		finished <- h.runNode(ctx, req, nodeBin, runPath, fmt.Sprintf("127.0.0.1:%d", proxy.Port), sync.dir)
	}()
	for {
		select {
		case err := <-proxy.Done:
			if err != nil {
				return &pulumirpc.RunResponse{Error: err.Error()}, nil
			}
		case err := <-sync.done:
			if err != nil {
				return &pulumirpc.RunResponse{Error: err.Error()}, nil
			}
		case response := <-finished:
			return response, nil
		}
	}
}

func (h *nodeHost) runNode(
	ctx context.Context, req *pulumirpc.RunRequest, nodeBin, runPath, monitorAddress, syncDir string,
) *pulumirpc.RunResponse {
	configJSON, err := programConfig(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize configuration: %v", err)}
	}
	secretKeys := req.GetConfigSecretKeys()
	secretKeysJSON := []byte("[]")
	if secretKeys != nil {
		if secretKeysJSON, err = json.Marshal(secretKeys); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize configuration secret keys: %v", err)}
		}
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+configJSON, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))

	opts, err := parseOptions(req.GetInfo().GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}
	}
	env = append(env, opts.typescriptEnvironment()...)
	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}
	}
	if req.GetAttachDebugger() {
		return &pulumirpc.RunResponse{Error: "attaching a debugger is not supported by this build of pulumi-language-nodejs"}
	}
	args = append(args, h.runArguments(req, runPath, monitorAddress, syncDir)...)
	logging.V(5).Infoln("Language host launching process: ", nodeBin, strings.Join(args, " "))

	// Either the engine's Cancel or the end of this request stops node: SIGINT first, so
	// the SDK can report what it was doing, then SIGKILL after five seconds.
	runCtx, stop := context.WithCancel(h.cancelled)
	defer stop()
	context.AfterFunc(ctx, stop)
	cmd := exec.CommandContext(runCtx, nodeBin, args...)
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = env
	// node may switch its stdio to non-blocking mode; never hand it our own descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	stderrReader, stderrWriter := io.Pipe()
	cmd.Stderr = stderrWriter
	oom := watchForOutOfMemory(io.TeeReader(stderrReader, os.Stderr))

	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	_ = stderrWriter.Close()
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err)}
	}
	switch code := exit.ExitCode(); code {
	case 0:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exit)}
	case exitAfterReportedError:
		return &pulumirpc.RunResponse{Bail: true}
	default:
		message := fmt.Sprintf("Program exited with non-zero exit code: %d", code)
		if oom.detected() {
			message += ". " + outOfMemoryAdvice
		}
		return &pulumirpc.RunResponse{Error: message}
	}
}

// runArguments are the arguments of the SDK's run script, in the official host's order.
func (h *nodeHost) runArguments(req *pulumirpc.RunRequest, runPath, monitorAddress, syncDir string) []string {
	args := []string{runPath}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", monitorAddress)
	flag("engine", h.engine())
	flag("sync", syncDir)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("tracing", h.tracing)
	args = append(args, req.GetInfo().GetEntryPoint())
	return append(args, req.GetArgs()...)
}

// programConfig is PULUMI_CONFIG: the stack's configuration as a JSON object with keys in
// the `<namespace>:config:<name>` form every @pulumi/pulumi version reads; `{}` when empty.
func programConfig(values map[string]string) (string, error) {
	if values == nil {
		return "{}", nil
	}
	transformed := make(map[string]string, len(values))
	for key, value := range values {
		parsed, err := config.ParseKey(key)
		if err != nil {
			return "", err
		}
		transformed[parsed.Namespace()+":config:"+parsed.Name()] = value
	}
	out, err := json.Marshal(transformed)
	return string(out), err
}

const outOfMemoryAdvice = "Detected a possible out of memory error. Consider increasing the memory available to the nodejs process " +
	"by setting the `nodeargs` runtime option in Pulumi.yaml to `nodeargs: --max-old-space-size=<size>` where " +
	"`<size>` is the maximum memory in megabytes that can be allocated to nodejs. " +
	"See https://www.pulumi.com/docs/concepts/projects/project-file/#runtime-options"

// outOfMemoryWatch scans node's stderr for V8's out-of-memory report.
type outOfMemoryWatch struct {
	seen     chan struct{}
	finished chan struct{}
}

func watchForOutOfMemory(stderr io.Reader) *outOfMemoryWatch {
	w := &outOfMemoryWatch{seen: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(w.finished)
		scanner := bufio.NewScanner(stderr)
		found := false
		for scanner.Scan() {
			line := scanner.Text()
			if !found && (strings.Contains(line, "<--- Last few GCs --->") ||
				strings.Contains(line, "Check failed: needs_context && current_scope_ == closure_scope_")) {
				found = true
				close(w.seen)
			}
		}
	}()
	return w
}

// detected waits until the report is seen, stderr ends, or 15 s pass.
func (w *outOfMemoryWatch) detected() bool {
	select {
	case <-w.seen:
		return true
	case <-w.finished:
		select {
		case <-w.seen:
			return true
		default:
			return false
		}
	case <-time.After(15 * time.Second):
		return false
	}
}
