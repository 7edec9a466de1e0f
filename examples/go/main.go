// A Ventus project and a partner organization on the Axway portal, with access to one API found by
// name and a registration code: examples/yaml's program in Go, on the generated SDK
// (sdk/go/ventusaxway) and the ventus-axway plugin that Pulumi.yaml names. Settings are the
// plugin's, `ventus-axway:*` (pulumi config set ventus-axway:axwayUrl …).
package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/pulumi-ventus-axway/pulumi-ventus-axway/sdk/go/ventusaxway"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		partnerName := cfg.Get("partnerName")
		if partnerName == "" {
			partnerName = "Acme Partner"
		}
		apiName := cfg.Get("apiName")
		if apiName == "" {
			apiName = "Petstore"
		}

		// Functions run in the provider, with its settings; their results are objects (`Apis`).
		apis, err := ventusaxway.GetPortalApis(ctx, &ventusaxway.GetPortalApisArgs{Name: pulumi.StringRef(apiName)})
		if err != nil {
			return err
		}
		if len(apis.Apis) == 0 {
			return fmt.Errorf("getPortalApis: no frontend API named %q on the portal", apiName)
		}

		web, err := ventusaxway.NewVentusProject(ctx, "web", &ventusaxway.VentusProjectArgs{
			Region: pulumi.String("vienna"),
			Name:   pulumi.String("partner-portal-web"),
		})
		if err != nil {
			return err
		}
		partner, err := ventusaxway.NewPortalOrganization(ctx, "partner", &ventusaxway.PortalOrganizationArgs{
			Name:        pulumi.String(partnerName),
			Email:       pulumi.String("api-support@acme.example"),
			Development: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		apiAccess, err := ventusaxway.NewOrganizationApiAccess(ctx, "apiAccess", &ventusaxway.OrganizationApiAccessArgs{
			OrganizationId: partner.ID().ToStringOutput(),
			ApiId:          pulumi.String(apis.Apis[0].Id),
		})
		if err != nil {
			return err
		}
		// Times are ISO 8601 text or epoch milliseconds (there is no Date outside TypeScript).
		onboarding, err := ventusaxway.NewRegistrationToken(ctx, "onboarding", &ventusaxway.RegistrationTokenArgs{
			OrganizationId: partner.ID().ToStringOutput(),
			UserQuota:      pulumi.Int(5),
			Expiry:         pulumi.String("2031-01-01T00:00:00Z"),
		})
		if err != nil {
			return err
		}

		ctx.Export("projectId", web.ID())
		ctx.Export("projectRegion", web.RegionName)
		ctx.Export("organizationId", partner.ID())
		ctx.Export("organizationDn", partner.Dn)
		ctx.Export("grantState", apiAccess.State)
		// Secret: shown as [secret] unless asked for with --show-secrets.
		ctx.Export("registrationCode", onboarding.Token)
		return nil
	})
}
