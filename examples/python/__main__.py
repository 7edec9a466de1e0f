"""A Ventus project and a partner organization on the Axway portal, with access to one API found by
name and a registration code: examples/yaml's program in Python, on the generated SDK
(sdk/python/pulumi_ventus_axway) and the ventus-axway plugin that Pulumi.yaml names. Settings are
the plugin's, ``ventus-axway:*`` (``pulumi config set ventus-axway:axwayUrl ...``).
"""

import pulumi
import pulumi_ventus_axway as va

config = pulumi.Config()
partner_name = config.get("partnerName") or "Acme Partner"
api_name = config.get("apiName") or "Petstore"

# Functions run in the provider, with its settings; their results are objects (``.apis``).
apis = va.get_portal_apis(name=api_name).apis
if not apis:
    raise Exception(f"getPortalApis: no frontend API named {api_name!r} on the portal")

web = va.VentusProject("web", region="vienna", name="partner-portal-web")
partner = va.PortalOrganization(
    "partner",
    name=partner_name,
    email="api-support@acme.example",
    development=True,
)
api_access = va.OrganizationApiAccess("apiAccess", organization_id=partner.id, api_id=apis[0].id)
# Times are ISO 8601 text or epoch milliseconds (there is no Date outside TypeScript).
onboarding = va.RegistrationToken(
    "onboarding",
    organization_id=partner.id,
    user_quota=5,
    expiry="2031-01-01T00:00:00Z",
)

pulumi.export("projectId", web.id)
pulumi.export("projectRegion", web.region_name)
pulumi.export("organizationId", partner.id)
pulumi.export("organizationDn", partner.dn)
pulumi.export("grantState", api_access.state)
# Secret: shown as [secret] unless asked for with --show-secrets.
pulumi.export("registrationCode", onboarding.token)
