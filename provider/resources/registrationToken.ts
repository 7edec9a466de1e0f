// RegistrationToken: a registration code that lets people join an organization. The code
// itself is a secret: it is the output `token` (made secret by the SDK), it never appears
// in the resource id (ids are stored in plain text), in errors or in logs.
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { axwayClient } from "../clients";
import type { RegistrationToken } from "../clients/axway/schemas";
import { compact, diffByRules, failure, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { bool, count, epochMillis, id, sha256 } from "../rules";

export const RegistrationTokenInputs = z.object({
  organizationId: id(),
  userQuota: count().optional(),
  expiry: epochMillis().optional(),
  enabled: bool().default(true),
  /** An existing code: secret, so no failure ever prints it. */
  importId: id().optional(),
});

export type RegistrationTokenInputs = z.output<typeof RegistrationTokenInputs>;
export type RegistrationTokenOutputs = RegistrationTokenInputs & {
  token: string;
  maxUsers?: number;
  remainingUsers?: number;
  createdOn?: number;
  createdBy?: string;
};

/** What the SDK passes as undefined inputs, to be read back as outputs. */
const OUTPUTS = ["token", "maxUsers", "remainingUsers", "createdOn", "createdBy"];
const SECRET = ["importId"];

export const registrationToken = {
  /**
   * An expiry already past is an input error when a code is created or its expiry changed.
   * A declared code whose expiry has since passed is not: it stays as it is.
   */
  async check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    now: () => number = Date.now,
  ): Promise<CheckResult<RegistrationTokenInputs>> {
    const result = validate(RegistrationTokenInputs, news, { outputs: OUTPUTS, secret: SECRET });
    if (result.failures?.length) return result;
    const inputs = result.inputs!;
    const expiry = inputs.expiry;
    const creating = Object.keys(olds).length === 0;
    if (typeof expiry === "number" && (creating || olds.expiry !== expiry) && expiry <= now()) {
      const reason = `expiry: must be in the future when a code is created or its expiry changed (got ${new Date(expiry).toISOString()})`;
      return { inputs, failures: [failure(news, "expiry", reason)] };
    }
    const failures = settingsFailures(() => axwayClient(), news);
    return failures.length ? { inputs, failures } : { inputs };
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, {
      replaceOn: ["organizationId"],
      updateOn: ["userQuota", "expiry", "enabled"],
      // Left out, the portal chooses the quota and expiry; declared, they are kept as declared.
      ignoreWhenUndeclared: ["userQuota", "expiry"],
    });
  },

  async create(inputs) {
    const client = axwayClient();
    const org = String(inputs.organizationId);
    const want = wanted(inputs);
    let code: RegistrationToken;
    if (typeof inputs.importId === "string") {
      const found = await client.getToken(org, inputs.importId);
      if (!found) throw new Error(`importId: organization ${org} has no such registration code`);
      const quotaChanged = want.userQuota !== undefined && limitOf(found) !== want.userQuota;
      code = quotaChanged || differs(found, want) ? await client.updateToken(org, found.token, onlyChanged(want, quotaChanged)) : found;
    } else {
      code = await client.createToken(org, want);
      // Expiry and enabled must be as declared; the quota is the portal's to cap (the seed asks 15, gets 10).
      if (differs(code, want)) code = await client.updateToken(org, code.token, onlyChanged(want, false));
    }
    return { id: idOf(code.token), outs: outputs(org, code, inputs.userQuota, inputs.importId) };
  },

  /**
   * The portal's `userQuota` is the number of people who may still join (Axway's Swagger;
   * `maxUsers` is the limit): it falls with every registration, so it is reported as
   * `remainingUsers` and never compared. The declared quota is compared with the limit, and
   * only when the limit changed since this provider last saw it: a portal that caps the
   * quota it is asked for is not drift, a limit changed by hand is.
   */
  async read(id, props: Partial<RegistrationTokenOutputs> = {}) {
    const org = String(props.organizationId);
    const client = axwayClient();
    // An import knows the organization and the id only: the code is the one whose id it is.
    const token = props.token !== undefined ? String(props.token) : (await client.listTokens(org)).find((c) => idOf(c.token) === id)?.token;
    if (token === undefined) return {};
    const code = await client.readToken(
      org,
      token,
      (listed) =>
        limitOf(listed) === props.maxUsers && (listed.expiry ?? undefined) === props.expiry && (listed.enabled ?? true) === props.enabled,
    );
    if (!code) return {};
    const limit = limitOf(code);
    const declared = props.userQuota === undefined || limit === props.maxUsers ? props.userQuota : limit;
    const outs = outputs(org, code, declared, props.importId);
    return readResult(
      id,
      outs,
      compact({ organizationId: org, userQuota: declared, expiry: outs.expiry, enabled: outs.enabled, importId: props.importId }),
    );
  },

  async update(_id, olds, news) {
    const org = String(news.organizationId);
    // The quota is sent only when it changes: on a portal where a PUT sets the remaining
    // count, re-sending it would hand out the places already taken once more.
    const quotaChanged = news.userQuota !== undefined && news.userQuota !== olds.userQuota;
    const code = await axwayClient().updateToken(org, String(olds.token), onlyChanged(wanted(news), quotaChanged));
    return { outs: outputs(org, { ...code, token: String(olds.token) }, news.userQuota, news.importId) };
  },

  async delete(_id, props) {
    await axwayClient().deleteToken(String(props.organizationId), String(props.token));
  },
} satisfies ResourceProvider<RegistrationTokenInputs, RegistrationTokenOutputs>;

/** A stable id that reveals nothing of the code. */
function idOf(token: string): string {
  return `regcode-${sha256(token).slice(0, 20)}`;
}

function wanted(p: RegistrationTokenInputs): { userQuota?: number; expiry?: number; enabled: boolean } {
  return compact({ userQuota: p.userQuota, expiry: p.expiry, enabled: p.enabled !== false });
}

function onlyChanged(want: ReturnType<typeof wanted>, quotaChanged: boolean): ReturnType<typeof wanted> {
  return quotaChanged ? want : { ...want, userQuota: undefined };
}

/** How many people the code admits in all: `maxUsers`, or `userQuota` from a portal that sends no limit. */
function limitOf(code: RegistrationToken): number | undefined {
  return code.maxUsers ?? code.userQuota;
}

/** Whether the code's expiry or state differ from the declaration (the quota is compared apart). */
function differs(code: RegistrationToken, want: ReturnType<typeof wanted>): boolean {
  return (want.expiry !== undefined && code.expiry !== want.expiry) || (code.enabled ?? true) !== want.enabled;
}

function outputs(
  organizationId: string,
  code: RegistrationToken,
  declaredQuota: number | undefined,
  importId: string | undefined,
): RegistrationTokenOutputs {
  return compact({
    organizationId,
    token: code.token,
    // The declared quota as last applied; left undeclared, the limit the portal chose.
    userQuota: declaredQuota ?? limitOf(code),
    maxUsers: limitOf(code),
    remainingUsers: code.userQuota,
    expiry: code.expiry ?? undefined,
    enabled: code.enabled ?? true,
    createdOn: code.createdOn,
    createdBy: code.createdBy,
    importId,
  });
}
