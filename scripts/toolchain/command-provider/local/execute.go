package local

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/gobwas/glob"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// execute runs one command as the published provider does and records its outputs in out:
//   - through `interpreter` (default `/bin/sh -c`), in `dir` (default the working directory);
//   - with the provider's environment plus `environment`, and the previous run's outputs
//     as PULUMI_COMMAND_STDOUT/STDERR unless addPreviousOutputInEnv is false;
//   - each line of the streams `logging` selects becomes a status message of the resource;
//   - a failure returns `<exit error>: running "<command>":\n<stdout and stderr>`. Nothing
//     in that text is masked: keep secrets out of the command text and the output.
func execute(ctx context.Context, command string, in ExecutionInputs, out *ExecutionOutputs) error {
	args := []string{"/bin/sh", "-c"}
	if runtime.GOOS == "windows" {
		args = []string{"cmd", "/C"}
	}
	if in.Interpreter != nil && len(*in.Interpreter) > 0 {
		args = append([]string{}, *in.Interpreter...)
	}
	args = append(args, command)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)

	if in.Dir != nil {
		cmd.Dir = *in.Dir
	} else {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		cmd.Dir = wd
	}
	cmd.Env = append(os.Environ(), environmentLines(in.Environment)...)
	if in.AddPreviousOutputInEnv == nil || *in.AddPreviousOutputInEnv {
		if out.Stdout != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDOUT="+out.Stdout)
		}
		if out.Stderr != "" {
			cmd.Env = append(cmd.Env, "PULUMI_COMMAND_STDERR="+out.Stderr)
		}
	}
	if in.Stdin != nil && *in.Stdin != "" {
		cmd.Stdin = strings.NewReader(*in.Stdin)
	}

	var stdout, stderr bytes.Buffer
	combined := &lockedWriter{w: &bytes.Buffer{}}
	shown, shownDone := statusLines(ctx)
	stdoutTo := []io.Writer{&stdout, combined}
	if in.Logging.showsStdout() {
		stdoutTo = append(stdoutTo, shown)
	}
	stderrTo := []io.Writer{&stderr, combined}
	if in.Logging.showsStderr() {
		stderrTo = append(stderrTo, shown)
	}
	cmd.Stdout = io.MultiWriter(stdoutTo...)
	cmd.Stderr = io.MultiWriter(stderrTo...)

	err := cmd.Run()
	_ = shown.Close()
	<-shownDone
	if err != nil {
		return fmt.Errorf("%w: running %q:\n%s", err, command, combined.w.(*bytes.Buffer).String())
	}

	if in.AssetPaths != nil {
		assets, err := globAssets(cmd.Dir, *in.AssetPaths)
		if err != nil {
			return err
		}
		out.Assets = &assets
	}
	if in.ArchivePaths != nil {
		assets, err := globAssets(cmd.Dir, *in.ArchivePaths)
		if err != nil {
			return err
		}
		contents := make(map[string]any, len(assets))
		for file, asset := range assets {
			contents[file] = asset.Asset
		}
		archive, err := resource.NewAssetArchive(contents)
		if err != nil {
			return err
		}
		out.Archive = archive
	}
	out.Stdout = strings.TrimSuffix(stdout.String(), "\n")
	out.Stderr = strings.TrimSuffix(stderr.String(), "\n")
	return nil
}

// environmentLines renders `environment` in key order, so runs are reproducible.
func environmentLines(environment *map[string]string) []string {
	if environment == nil {
		return nil
	}
	keys := make([]string, 0, len(*environment))
	for key := range *environment {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, key := range keys {
		lines[i] = key + "=" + (*environment)[key]
	}
	return lines
}

// statusLines returns a writer whose lines become info status messages of the resource
// being worked on; the channel closes once the last line is sent.
func statusLines(ctx context.Context) (io.WriteCloser, <-chan struct{}) {
	reader, writer := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		lines := bufio.NewReader(reader)
		for {
			line, err := lines.ReadString('\n')
			if text := strings.TrimRight(line, "\r\n"); text != "" || err == nil {
				p.GetLogger(ctx).InfoStatus(text)
			}
			if err != nil {
				return
			}
		}
	}()
	return writer, done
}

// lockedWriter serialises the writes of the two streams into one buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// globAssets matches the globs against the files under dir; `!` globs remove matches.
func globAssets(dir string, globs []string) (map[string]*types.AssetOrArchive, error) {
	type rule struct {
		pattern glob.Glob
		exclude bool
	}
	rules := make([]rule, len(globs))
	for i, g := range globs {
		exclude := strings.HasPrefix(g, "!")
		compiled, err := glob.Compile(strings.TrimPrefix(g, "!"), '/')
		if err != nil {
			return nil, err
		}
		rules[i] = rule{compiled, exclude}
	}
	assets := map[string]*types.AssetOrArchive{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(file string, entry fs.DirEntry, err error) error {
		if err != nil || entry.IsDir() {
			return err
		}
		for _, r := range rules {
			if !r.pattern.Match(file) {
				continue
			}
			if r.exclude {
				delete(assets, file)
				continue
			}
			asset, err := resource.NewPathAsset(path.Join(dir, file))
			if err != nil {
				return err
			}
			assets[file] = &types.AssetOrArchive{Asset: asset}
		}
		return nil
	})
	return assets, err
}
