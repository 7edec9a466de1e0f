// One line per service failure: the operation, the service's answer, what to check.
import { ApiError, ResponseShapeError, failureKind, oneLine } from "../../../provider/http/errors";
import { NeedsApiAdministratorError } from "../../../provider/clients/axway/errors";
import { ServiceFailure, failureLine, withServiceFailures } from "../../../provider/failures";
import { providerContext } from "../../../provider/context";
import { providerConfigSource } from "../../../provider/plugin/settings";

/** The TypeScript SDK's names for settings, and the plugin's. */
const sdk = providerContext(undefined);
const plugin = providerContext(providerConfigSource({}));

const axway = (d: Partial<ConstructorParameters<typeof ApiError>[0]>) =>
  new ApiError({ service: "axway", method: "GET", path: "/proxies", ...d });
const ventus = (d: Partial<ConstructorParameters<typeof ApiError>[0]>) =>
  new ApiError({ service: "ventus", method: "GET", path: "/get-tokens", ...d });

describe("failureLine", () => {
  test.each([
    [
      "401 from the portal",
      axway({ status: 401, serverMessage: "Invalid username or password" }),
      "getPortalApis: axway: GET /proxies failed with HTTP 401: Invalid username or password; check axway:username (or AXWAY_USERNAME) and axway:password (or AXWAY_PASSWORD)",
    ],
    [
      "401 from Ventus' token service",
      ventus({ status: 401, serverMessage: "Invalid credentials" }),
      "getPortalApis: ventus: GET /get-tokens failed with HTTP 401: Invalid credentials; check ventus:username (or VENTUS_USERNAME) and ventus:password (or VENTUS_PASSWORD)",
    ],
    [
      "403 from Ventus",
      ventus({ path: "/v1.0/invoke/x/method/org/projects", status: 403, serverMessage: "Access to this organization is forbidden" }),
      "getPortalApis: ventus: GET /v1.0/invoke/x/method/org/projects failed with HTTP 403: Access to this organization is forbidden; check the organization (organizationId, else ventus:organizationId (or VENTUS_ORGANIZATION_ID)) and that ventus:username (or VENTUS_USERNAME) belongs to it",
    ],
    [
      "connection refused by the token service",
      ventus({ code: "ECONNREFUSED", serverMessage: "connect ECONNREFUSED 127.0.0.1:9", attempts: 7 }),
      "getPortalApis: ventus: GET /get-tokens failed without a response (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9 after 7 attempts; check ventus:authUrl (or VENTUS_AUTH_URL)",
    ],
    [
      "a host name that resolves nowhere (DNS)",
      ventus({ path: "/v1.0/invoke/x", code: "ENOTFOUND", serverMessage: "getaddrinfo ENOTFOUND api.example.invalid", attempts: 7 }),
      "getPortalApis: ventus: GET /v1.0/invoke/x failed without a response (ENOTFOUND): getaddrinfo ENOTFOUND api.example.invalid after 7 attempts; check ventus:apiUrl (or VENTUS_API_URL)",
    ],
    [
      "TLS: a self-signed certificate",
      axway({
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
        serverMessage: "self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca",
      }),
      "getPortalApis: axway: GET /proxies failed without a response (DEPTH_ZERO_SELF_SIGNED_CERT): self-signed certificate; check axway:url (or AXWAY_URL) (https:// to a port that serves https), and axway:caCertPath (or AXWAY_CA_CERT_PATH) or axway:insecureSkipVerify (or AXWAY_INSECURE_SKIP_VERIFY) for a certificate this machine does not trust",
    ],
    [
      "5xx after retries: the answer, nothing to check",
      axway({ status: 503, serverMessage: "Service Unavailable", attempts: 7 }),
      "getPortalApis: axway: GET /proxies failed with HTTP 503: Service Unavailable after 7 attempts",
    ],
    [
      "404: the answer",
      axway({ status: 404, serverMessage: "Not found" }),
      "getPortalApis: axway: GET /proxies failed with HTTP 404: Not found",
    ],
    [
      "a body of the wrong shape",
      new ResponseShapeError("axway", "GET", "/proxies", "(body): expected array"),
      "getPortalApis: axway: GET /proxies answered with an unexpected body: (body): expected array",
    ],
  ])("%s", (_what, err, line) => {
    expect(failureLine("getPortalApis", err, sdk)).toBe(line);
  });

  test("the plugin names its own settings", () => {
    expect(failureLine("getPortalApis", axway({ status: 401 }), plugin)).toBe(
      "getPortalApis: axway: GET /proxies failed with HTTP 401; check ventus-axway:axwayUsername (or AXWAY_USERNAME) and ventus-axway:axwayPassword (or AXWAY_PASSWORD)",
    );
  });

  test("an administrator-only refusal keeps its own advice only", () => {
    const err = new NeedsApiAdministratorError(
      axway({ method: "POST", path: "/organizations", status: 403, serverMessage: "Only API administrators may create" }),
    );
    expect(failureLine("PortalOrganization create", err, sdk)).toBe(`PortalOrganization create: ${err.message}`);
  });

  test("OpenSSL's error queue comes out as its reason; a server's HTML on one line of at most 300 characters", () => {
    const err = axway({
      code: "ERR_SSL_WRONG_VERSION_NUMBER",
      serverMessage:
        "403D6619ED7F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:\n",
    });
    expect(failureKind(err)).toBe("tls");
    expect(err.message).toBe("axway: GET /proxies failed without a response (ERR_SSL_WRONG_VERSION_NUMBER): SSL: wrong version number");
    expect(failureKind(axway({ code: "EPROTO" }))).toBe("tls");
    expect(oneLine(`<html>\n<body>${"x".repeat(500)}</body>`)).toHaveLength(301);
    expect(oneLine("a\u001b[31mb\r\nc")).toBe("a [31mb c");
  });
});

describe("withServiceFailures", () => {
  const provider = {
    async read(_ctx: unknown, id: string): Promise<{ id: string }> {
      if (id === "bad") throw axway({ status: 401 });
      if (id === "bug") throw new TypeError("x is undefined");
      return { id };
    },
  };
  const wrapped = withServiceFailures("PortalOrganization", provider);

  test("a service failure becomes one line naming the resource and the operation, whose stack is the line", async () => {
    const err = (await wrapped.read(sdk, "bad").catch((e: unknown) => e)) as ServiceFailure;
    expect(err).toBeInstanceOf(ServiceFailure);
    expect(err.message).toMatch(/^PortalOrganization read: axway: GET \/proxies failed with HTTP 401; check axway:username/);
    // The settings as the calling face names them: the context is the operation's first argument.
    const viaPlugin = (await wrapped.read(plugin, "bad").catch((e: unknown) => e)) as ServiceFailure;
    expect(viaPlugin.message).toContain("check ventus-axway:axwayUsername (or AXWAY_USERNAME) and ventus-axway:axwayPassword");
    // @pulumi/pulumi's dynamic provider prints `${e}: ${e.stack}` for a failed read, diff or delete.
    expect(`${err}`).toBe(err.message);
    expect(err.stack).toBe(err.message);
  });

  test("other errors and answers pass unchanged", async () => {
    expect(await wrapped.read(sdk, "ok")).toEqual({ id: "ok" });
    await expect(wrapped.read(sdk, "bug")).rejects.toBeInstanceOf(TypeError);
  });
});
