package local

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/infer/types"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// LifecycleInputs are the commands of a Command resource and what replaces it.
type LifecycleInputs struct {
	Triggers *[]any  `pulumi:"triggers,optional" provider:"replaceOnChanges"`
	Create   *string `pulumi:"create,optional"`
	Update   *string `pulumi:"update,optional"`
	Delete   *string `pulumi:"delete,optional"`
}

func (c *LifecycleInputs) Annotate(a infer.Annotator) {
	a.Describe(&c.Triggers, "Values of any type; when one changes, the resource is replaced (its delete, then its create run again).")
	a.Describe(&c.Create, "The command run when the resource is created, and on an update when `update` is not set.\n\n"+
		"It does not run again while the inputs stay the same; `local.runOutput` runs a command on every deployment.")
	a.Describe(&c.Update, "The command run when an input other than `triggers` changes; `create` runs instead when this is not set.\n\n"+
		"PULUMI_COMMAND_STDOUT and PULUMI_COMMAND_STDERR hold the outputs of the previous create or update.")
	a.Describe(&c.Delete, "The command run when the resource is deleted.\n\n"+
		"PULUMI_COMMAND_STDOUT and PULUMI_COMMAND_STDERR hold the outputs of the previous create or update.")
}

// ExecutionInputs say how every command of the resource (or the run function) is executed.
type ExecutionInputs struct {
	Stdin                  *string            `pulumi:"stdin,optional"`
	Logging                *Logging           `pulumi:"logging,optional"`
	Interpreter            *[]string          `pulumi:"interpreter,optional"`
	Dir                    *string            `pulumi:"dir,optional"`
	Environment            *map[string]string `pulumi:"environment,optional"`
	AssetPaths             *[]string          `pulumi:"assetPaths,optional"`
	ArchivePaths           *[]string          `pulumi:"archivePaths,optional"`
	AddPreviousOutputInEnv *bool              `pulumi:"addPreviousOutputInEnv,optional"`
}

const globRules = "Globs are matched against the files (not directories) under the working directory, with `/` " +
	"as the separator on every platform: `*` matches within one path segment, `**` across segments, and a " +
	"pattern starting with `!` removes what earlier patterns matched (rules apply in order). Paths are relative " +
	"to the working directory, without a leading `./`. The syntax is that of github.com/gobwas/glob."

func (c *ExecutionInputs) Annotate(a infer.Annotator) {
	a.Describe(&c.Stdin, "Text passed to the command's standard input.")
	a.Describe(&c.Logging, "Which of the command's streams are shown in Pulumi's output while it runs; both by default. "+
		"Outputs capture both streams whatever this says: when the output may hold a secret, log less here and "+
		"mark the outputs secret with `additionalSecretOutputs`.")
	a.Describe(&c.Interpreter, "The program and arguments that run the command text.\n"+
		"Default: `[\"/bin/sh\", \"-c\"]` on Linux and macOS, `[\"cmd\", \"/C\"]` on Windows.")
	a.Describe(&c.Dir, "The working directory of the command; it must exist. Default: the directory Pulumi runs in.")
	a.Describe(&c.Environment, "Variables added to the command's environment.")
	a.Describe(&c.AssetPaths, "Globs of files to read after the command finishes, returned as `assets`.\n\n"+globRules)
	a.Describe(&c.ArchivePaths, "Globs of files to collect after the command finishes into one `archive`.\n\n"+globRules)
	a.Describe(&c.AddPreviousOutputInEnv, "Whether the stdout and stderr of the previous create or update are given to the next "+
		"command as PULUMI_COMMAND_STDOUT and PULUMI_COMMAND_STDERR. Default: true.")
}

// ExecutionOutputs are what a finished command leaves behind.
type ExecutionOutputs struct {
	Stdout  string                            `pulumi:"stdout"`
	Stderr  string                            `pulumi:"stderr"`
	Assets  *map[string]*types.AssetOrArchive `pulumi:"assets,optional"`
	Archive *resource.Archive                 `pulumi:"archive,optional"`
}

func (c *ExecutionOutputs) Annotate(a infer.Annotator) {
	a.Describe(&c.Stdout, "What the command printed on standard output, without one trailing newline.")
	a.Describe(&c.Stderr, "What the command printed on standard error, without one trailing newline.")
	a.Describe(&c.Assets, "The files `assetPaths` matched, by path relative to the working directory.")
	a.Describe(&c.Archive, "An archive of the files `archivePaths` matched.")
}
