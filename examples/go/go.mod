module ventus-axway-go

go 1.25

require (
	github.com/pulumi-ventus-axway/pulumi-ventus-axway/sdk/go v0.0.0-00010101000000-000000000000
	github.com/pulumi/pulumi/sdk/v3 v3.259.0
)

// The generated SDK of this repository; outside it, `go get` the module instead.
replace github.com/pulumi-ventus-axway/pulumi-ventus-axway/sdk/go => ../../sdk/go
