// pva-codegen writes the Go and Python SDKs of the ventus-axway plugin from its schema, with the
// code generators of the Pulumi engine itself (github.com/pulumi/pulumi/pkg/v3/codegen), at the
// engine's version. It stands in for `pulumi package gen-sdk`, which asks each language host to
// generate and which the hosts built here cannot (they predate GeneratePackage).
//
//	pva-codegen -schema schema.json [-go DIR] [-python DIR]
//
// Each DIR is emptied and filled with exactly what the generator returns.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The name the generated files give as their generator.
const tool = "pulumi-ventus-axway (scripts/gensdks.sh)"

// noPackages answers every request for another package with an error: the schema references none,
// and BindSpec and the Python generator need a loader all the same.
type noPackages struct{}

var errNoPackage = errors.New("the ventus-axway schema references no other package")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errNoPackage
}

func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errNoPackage
}

func (noPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errNoPackage
}

func (noPackages) LoadPackageReferenceV2(context.Context, *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, errNoPackage
}

func main() {
	schemaFile := flag.String("schema", "", "the package schema (JSON)")
	goDir := flag.String("go", "", "folder for the Go SDK (its go.mod; the package in a subfolder)")
	pyDir := flag.String("python", "", "folder for the Python SDK (pyproject.toml; the package in a subfolder)")
	flag.Parse()
	if *schemaFile == "" || (*goDir == "" && *pyDir == "") {
		fmt.Fprintln(os.Stderr, "usage: pva-codegen -schema FILE [-go DIR] [-python DIR]")
		os.Exit(2)
	}
	if err := run(*schemaFile, *goDir, *pyDir); err != nil {
		fmt.Fprintf(os.Stderr, "pva-codegen: %v\n", err)
		os.Exit(1)
	}
}

// bind reads and binds the schema; a fresh Package each time, since every generator imports its
// own language's section into it.
func bind(schemaFile string) (*schema.Package, error) {
	raw, err := os.ReadFile(schemaFile)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaFile, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", schemaFile, diags.Error())
	}
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "pva-codegen: warning: %s\n", d.Error())
	}
	return pkg, nil
}

func run(schemaFile, goDir, pyDir string) error {
	if goDir != "" {
		pkg, err := bind(schemaFile)
		if err != nil {
			return err
		}
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return fmt.Errorf("go: %w", err)
		}
		if err := write(goDir, files); err != nil {
			return err
		}
	}
	if pyDir != "" {
		pkg, err := bind(schemaFile)
		if err != nil {
			return err
		}
		files, err := pygen.GeneratePackage(tool, pkg, nil, noPackages{})
		if err != nil {
			return fmt.Errorf("python: %w", err)
		}
		if err := write(pyDir, files); err != nil {
			return err
		}
	}
	return nil
}

// write replaces dir's content with files, in a stable order.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "pva-codegen: %d files in %s\n", len(files), dir)
	return nil
}
