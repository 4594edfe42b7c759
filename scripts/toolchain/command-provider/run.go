package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
)

// commandResult is what a finished command leaves behind as outputs.
type commandResult struct {
	stdout, stderr string
}

// lineLogger receives each line the command prints, already redacted.
type lineLogger func(line string)

// runCommand runs one command the way @pulumi/command does: through the interpreter
// (default `/bin/sh -c`), in `dir` (default the provider's working directory, which is
// the program's), with the provider's environment plus `environment`, and with the
// previous run's outputs as PULUMI_COMMAND_STDOUT / PULUMI_COMMAND_STDERR.
func runCommand(ctx context.Context, command string, in commandInputs, previous commandResult, logLine lineLogger) (commandResult, error) {
	args := append([]string{}, in.interpreter...)
	if len(args) == 0 {
		args = []string{"/bin/sh", "-c"}
	}
	args = append(args, command)

	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if in.dir != nil {
		cmd.Dir = *in.dir
	}
	cmd.Env = append(os.Environ(), sortedEnvironment(in.environment)...)
	if in.addPreviousOutput {
		if previous.stdout != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDOUT="+previous.stdout)
		}
		if previous.stderr != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDERR="+previous.stderr)
		}
	}
	if in.stdin != nil && *in.stdin != "" {
		cmd.Stdin = strings.NewReader(*in.stdin)
	}

	var stdout, stderr bytes.Buffer
	// Both streams interleaved, in the order they arrived, for logs and for the error.
	combined := &lockedBuffer{}
	logStdout := (in.logging == "stdout" || in.logging == "stdoutAndStderr") && !in.secretOutputs
	stdoutLines, stdoutDone := lineWriter(logStdout, logLine, in.secrets)
	stderrLines, stderrDone := lineWriter(in.logging == "stderr" || in.logging == "stdoutAndStderr", logLine, in.secrets)
	cmd.Stdout = io.MultiWriter(&stdout, combined, stdoutLines)
	cmd.Stderr = io.MultiWriter(&stderr, combined, stderrLines)

	err := cmd.Run()
	stdoutLines.Close()
	stderrLines.Close()
	<-stdoutDone
	<-stderrDone

	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("cancelled (%v)", ctx.Err())
		}
		message := fmt.Sprintf("%v: running %q:\n%s", err, command, combined.String())
		return commandResult{}, fmt.Errorf("%s", redact(message, in.secrets))
	}
	return commandResult{
		stdout: strings.TrimSuffix(stdout.String(), "\n"),
		stderr: strings.TrimSuffix(stderr.String(), "\n"),
	}, nil
}

// sortedEnvironment renders the map in key order so runs are reproducible.
func sortedEnvironment(environment map[string]string) []string {
	keys := make([]string, 0, len(environment))
	for key := range environment {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, key := range keys {
		out = append(out, key+"="+environment[key])
	}
	return out
}

// lineWriter forwards complete lines to logLine when enabled; reading ends when the
// writer is closed.
func lineWriter(enabled bool, logLine lineLogger, secrets []string) (*io.PipeWriter, <-chan struct{}) {
	reader, writer := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if !enabled || logLine == nil {
			_, _ = io.Copy(io.Discard, reader)
			return
		}
		scanner := bufio.NewScanner(reader)
		scanner.Buffer(make([]byte, 64*1024), 1024*1024)
		for scanner.Scan() {
			logLine(redact(scanner.Text(), secrets))
		}
		_, _ = io.Copy(io.Discard, reader)
	}()
	return writer, done
}

// redact replaces every secret input's plaintext, longest first, so a secret never
// reaches the engine's log or an error message.
func redact(text string, secrets []string) string {
	ordered := append([]string{}, secrets...)
	sort.Slice(ordered, func(i, j int) bool { return len(ordered[i]) > len(ordered[j]) })
	for _, secret := range ordered {
		text = strings.ReplaceAll(text, secret, "[secret]")
	}
	return text
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
