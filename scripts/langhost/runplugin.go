// Added to the Node.js language host of sdk/v3 v3.68.0 by scripts/engine.sh (go build -overlay),
// in place of its stub RunPlugin ("not supported"; see langhost/main.go.patch).
//
// RunPlugin is what the engine calls to start a plugin from a folder holding PulumiPlugin.yaml
// (runtime: nodejs). It does what current hosts do (sdk/nodejs/cmd/pulumi-language-nodejs,
// RunPlugin): run `node <@pulumi/pulumi/cmd/run-plugin> <plugin folder> <engine args…>`, the SDK's
// own entry resolved from the plugin's folder, in the engine's working directory with the
// engine's environment, and stream its stdout and stderr back. run-plugin `require`s the folder
// (its package.json "main"), which serves the provider and prints its port.
//
// The v3.68.0 protocol predates the request's `info` field (5: ProgramInfo, whose field 2 is the
// program directory), which is where today's engines put the plugin folder; it arrives as an
// unknown field and is read from there. Runtime options in PulumiPlugin.yaml (nodeargs,
// typescript) are not applied: run-plugin registers ts-node by itself.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/encoding/protowire"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const defaultRunPluginPath = "@pulumi/pulumi/cmd/run-plugin"

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	dir := pluginProgramDirectory(req)
	if dir == "" {
		return errors.New("RunPlugin: the request names no plugin directory")
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PLUGIN_PATH")
	if runPath == "" {
		runPath = defaultRunPluginPath
	}
	// Resolved from the plugin's folder: the @pulumi/pulumi the plugin depends on.
	resolve := exec.Command(nodeBin, "-e", fmt.Sprintf("console.log(require.resolve(%q))", runPath))
	resolve.Dir = dir
	out, err := resolve.Output()
	if err != nil {
		return fmt.Errorf("could not find %s from %s (has the plugin's npm install run?): %w", runPath, dir, err)
	}

	args := append([]string{strings.TrimSpace(string(out)), dir}, req.Args...)
	// Ended with the stream: when the engine closes the plugin, or is gone (killed outright), the
	// node process goes too, as the engine ends the plugins it starts itself: SIGINT, so that the
	// provider runs its cleanups (a portal session's logout), and a kill 5 s later.
	cmd := exec.CommandContext(server.Context(), nodeBin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	cmd.Dir = req.Pwd
	cmd.Env = req.Env
	var mu sync.Mutex // grpc streams take one Send at a time
	cmd.Stdout = streamWriter{&mu, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}, server}
	cmd.Stderr = streamWriter{&mu, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}, server}
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("Problem executing plugin program (could not run language executor): %w", err)
	}
	return nil
}

type streamWriter struct {
	mu     *sync.Mutex
	wrap   func([]byte) *pulumirpc.RunPluginResponse
	server pulumirpc.LanguageRuntime_RunPluginServer
}

func (w streamWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Send keeps the slice: hand it a copy.
	if err := w.server.Send(w.wrap(append([]byte(nil), b...))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// pluginProgramDirectory reads info.program_directory (fields 5 and 2) from the request's unknown
// fields, falling back to the deprecated `program` field that older engines set.
func pluginProgramDirectory(req *pulumirpc.RunPluginRequest) string {
	if info := field(req.ProtoReflect().GetUnknown(), 5); info != nil {
		if dir := field(info, 2); dir != nil {
			return string(dir)
		}
	}
	return req.Program
}

// field returns the last value of a length-delimited field in an encoded message, or nil.
func field(b []byte, num protowire.Number) []byte {
	var found []byte
	for len(b) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(b)
		if tagLen < 0 {
			return found
		}
		b = b[tagLen:]
		if n == num && typ == protowire.BytesType {
			v, l := protowire.ConsumeBytes(b)
			if l < 0 {
				return found
			}
			found = v
			b = b[l:]
			continue
		}
		l := protowire.ConsumeFieldValue(n, typ, b)
		if l < 0 {
			return found
		}
		b = b[l:]
	}
	return found
}
