package local

import "github.com/pulumi/pulumi-go-provider/infer"

// Logging chooses the streams shown in Pulumi's output while a command runs.
type Logging string

const (
	LogStdout          Logging = "stdout"
	LogStderr          Logging = "stderr"
	LogStdoutAndStderr Logging = "stdoutAndStderr"
	NoLogging          Logging = "none"
)

func (Logging) Values() []infer.EnumValue[Logging] {
	return []infer.EnumValue[Logging]{
		{Name: string(LogStdout), Value: LogStdout, Description: "Show stdout, not stderr"},
		{Name: string(LogStderr), Value: LogStderr, Description: "Show stderr, not stdout"},
		{Name: string(LogStdoutAndStderr), Value: LogStdoutAndStderr, Description: "Show stdout and stderr"},
		{Name: string(NoLogging), Value: NoLogging, Description: "Show neither"},
	}
}

// Unset means both streams.
func (l *Logging) showsStdout() bool { return l == nil || *l == LogStdout || *l == LogStdoutAndStderr }
func (l *Logging) showsStderr() bool { return l == nil || *l == LogStderr || *l == LogStdoutAndStderr }
