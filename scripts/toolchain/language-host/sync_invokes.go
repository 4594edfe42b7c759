package main

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"
)

// syncInvokes serves the SDK's synchronous invokes (`--sync DIR`): two FIFOs in DIR,
// invoke_req and invoke_res, each message a big-endian uint32 length and a protobuf
// ResourceInvokeRequest or ResourceInvokeResponse. gRPC has no synchronous calls, and
// node can read and write files synchronously.
type syncInvokes struct {
	dir string
	// done receives nil when the program closes its end, or the error that stopped serving.
	done chan error
}

func startSyncInvokes(ctx context.Context, monitor pulumirpc.ResourceMonitorClient) (*syncInvokes, error) {
	dir, err := os.MkdirTemp("", "pulumi-node-pipes")
	if err != nil {
		return nil, err
	}
	s := &syncInvokes{dir: dir, done: make(chan error, 1)}
	for _, name := range []string{"invoke_req", "invoke_res"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o600); err != nil {
			s.close()
			return nil, err
		}
	}
	go func() { s.done <- s.serve(ctx, monitor) }()
	return s, nil
}

// close removes the FIFOs; a goroutine still blocked opening one stays blocked until the
// process exits, as the program never connected.
func (s *syncInvokes) close() { _ = os.RemoveAll(s.dir) }

func (s *syncInvokes) serve(ctx context.Context, monitor pulumirpc.ResourceMonitorClient) error {
	requestsPath, responsesPath := filepath.Join(s.dir, "invoke_req"), filepath.Join(s.dir, "invoke_res")
	// Opening a FIFO blocks until the program opens the other end: it does so on its
	// first synchronous invoke, which may never come.
	requests, err := os.OpenFile(requestsPath, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer requests.Close()
	responses, err := os.OpenFile(responsesPath, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer responses.Close()

	for {
		var size uint32
		if err := binary.Read(requests, binary.BigEndian, &size); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(requests, body); err != nil {
			return err
		}
		var req pulumirpc.ResourceInvokeRequest
		if err := proto.Unmarshal(body, &req); err != nil {
			return err
		}
		res, err := monitor.Invoke(ctx, &req)
		if err != nil {
			// The SDK reports failures; a transport error becomes one.
			if res == nil {
				res = &pulumirpc.ResourceInvokeResponse{}
			}
			res.Failures = append(res.Failures, &pulumirpc.CheckFailure{Reason: err.Error()})
		}
		out, err := proto.Marshal(res)
		if err != nil {
			return err
		}
		if err := binary.Write(responses, binary.BigEndian, uint32(len(out))); err != nil {
			return err
		}
		if _, err := responses.Write(out); err != nil {
			return err
		}
	}
}
