// RegistrationToken: a registration code that lets people join an organization. The code
// itself is a secret: it is the output `token` (made secret by the SDK), it never appears
// in the resource id (ids are stored in plain text), in errors or in logs.
import { z } from "zod";
import type { RegistrationToken } from "../clients/axway/schemas";
import { registrationCodeId } from "../clients/axway/codeId";
import { compact, diffByRules, failure, readResult, settingsFailures, validate, type CheckResult } from "./common";
import { defineResource, field, replaceOn, secretFields, updateOn, type ResourceOperations } from "./descriptor";
import type { ProviderContext } from "../context";
import { TIME_INPUT, bool, count, epochMillis, id } from "../rules";

export const RegistrationTokenInputs = z.object({
  organizationId: field(id(), "Organization the code lets people join.", { onChange: "replace" }),
  userQuota: field(
    count().optional(),
    "How many people may join with the code in all, 0 or more. Left out, the portal decides. It is compared with the portal's limit (`maxUsers`) only when that limit changed since last seen: a portal that caps the quota asked for plans nothing.",
  ),
  expiry: field(
    epochMillis().optional(),
    `When the code stops working: ${TIME_INPUT}. Must be in the future when the code is created or this value changed; a declared expiry that has since passed is left as it is.`,
    { outputType: "integer" },
  ),
  enabled: field(bool().default(true), "Whether the code admits anyone. Default true."),
  importId: field(
    id().optional(),
    "Adopt an existing registration code: the code itself, kept secret. Prefer the `import` resource option with the code's resource id, which keeps the code out of the program.",
    { onChange: "none", secret: true },
  ),
});

const RegistrationTokenOutputFields = z.object({
  token: field(z.string(), "The code people type to join. Always secret.", { secret: true }),
  maxUsers: field(
    z.number().int().optional(),
    "How many people the code admits in all, as the portal reports it (it may cap the quota asked for).",
  ),
  remainingUsers: field(
    z.number().int().optional(),
    "How many more people may join with the code: falls with every registration, never drift.",
  ),
  createdOn: field(z.number().int().optional(), "When the code was created (epoch milliseconds)."),
  createdBy: field(z.string().optional(), "Id of the portal user who created the code."),
});

export type RegistrationTokenInputs = z.output<typeof RegistrationTokenInputs>;
export type RegistrationTokenOutputs = RegistrationTokenInputs & {
  token: string;
  maxUsers?: number;
  remainingUsers?: number;
  createdOn?: number;
  createdBy?: string;
};

const operations: ResourceOperations<RegistrationTokenInputs, RegistrationTokenOutputs> & {
  check(
    ctx: ProviderContext,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    now?: () => number,
  ): Promise<CheckResult<RegistrationTokenInputs>>;
} = {
  /**
   * An expiry already past is an input error when a code is created or its expiry changed.
   * A declared code whose expiry has since passed is not: it stays as it is.
   */
  async check(ctx, olds, news, now: () => number = Date.now): Promise<CheckResult<RegistrationTokenInputs>> {
    const result = validate(RegistrationTokenInputs, news, {
      outputs: Object.keys(RegistrationTokenOutputFields.shape),
      secret: secretFields(registrationToken),
    });
    if (result.failures?.length) return result;
    const inputs = result.inputs!;
    const expiry = inputs.expiry;
    const creating = Object.keys(olds).length === 0;
    if (typeof expiry === "number" && (creating || olds.expiry !== expiry) && expiry <= now()) {
      const reason = `expiry: must be in the future when a code is created or its expiry changed (got ${new Date(expiry).toISOString()})`;
      return { inputs, failures: [failure(news, "expiry", reason)] };
    }
    const failures = settingsFailures(() => ctx.axway(), news);
    return failures.length ? { inputs, failures } : { inputs };
  },

  async diff(_id, olds, news) {
    return diffByRules(olds, news, {
      replaceOn: replaceOn(registrationToken),
      updateOn: updateOn(registrationToken),
      // Left out, the portal chooses the quota and expiry; declared, they are kept as declared.
      ignoreWhenUndeclared: ["userQuota", "expiry"],
    });
  },

  async create(ctx, inputs) {
    const client = ctx.axway();
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
    return { id: registrationCodeId(code.token), outs: outputs(org, code, inputs.userQuota, inputs.importId) };
  },

  /**
   * The portal's `userQuota` is the number of people who may still join (Axway's Swagger;
   * `maxUsers` is the limit): it falls with every registration, so it is reported as
   * `remainingUsers` and never compared. The declared quota is compared with the limit, and
   * only when the limit changed since this provider last saw it: a portal that caps the
   * quota it is asked for is not drift, a limit changed by hand is.
   */
  async read(ctx, id, props: Partial<RegistrationTokenOutputs> = {}) {
    const org = String(props.organizationId);
    const client = ctx.axway();
    // An import knows the organization and the id only: the code is the one whose id it is.
    const token =
      props.token !== undefined
        ? String(props.token)
        : (await client.listTokens(org)).find((c) => registrationCodeId(c.token) === id)?.token;
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

  async update(ctx, _id, olds, news) {
    const org = String(news.organizationId);
    // The quota is sent only when it changes: on a portal where a PUT sets the remaining
    // count, re-sending it would hand out the places already taken once more.
    const quotaChanged = news.userQuota !== undefined && news.userQuota !== olds.userQuota;
    const code = await ctx.axway().updateToken(org, String(olds.token), onlyChanged(wanted(news), quotaChanged));
    return { outs: outputs(org, { ...code, token: String(olds.token) }, news.userQuota, news.importId) };
  },

  async delete(ctx, _id, props) {
    await ctx.axway().deleteToken(String(props.organizationId), String(props.token));
  },
};

// Defined beside the portal's codes (codeId.ts), which record their listings for drift by it.
export { registrationCodeId };
const CODE_ID = /^regcode-[0-9a-f]{20}$/;

export const registrationToken = defineResource({
  name: "RegistrationToken",
  kind: "registrationToken",
  service: "axway",
  description:
    "A registration code with which people join a portal organization. The code is the output `token`, always secret; the resource id (`regcode-` and the first 20 hex digits of the code's SHA-256) reveals nothing of it.",
  inputs: RegistrationTokenInputs,
  outputs: RegistrationTokenOutputFields,
  importId: {
    // Never the code itself: an import id is kept in plain text (in state, with the `import` option).
    form: "<organizationId>/regcode-<first 20 hex digits of the code's SHA-256>",
    parse(importId) {
      const parts = importId.split("/");
      return parts.length === 2 && parts[0] && CODE_ID.test(parts[1]) ? { id: parts[1], props: { organizationId: parts[0] } } : undefined;
    },
    of: (id, outputs) => `${String(outputs.organizationId)}/${id}`,
  },
  recovery: {
    describe: (i) => `registration code of organization ${String(i.organizationId)}`,
    key: (i) => String(i.organizationId),
    // Codes have no name: every code of the organization (or the adopted one), by its resource id;
    // one whose expiry or state differs from the declaration is not the create's.
    async find(i, ctx) {
      const codes = await ctx.axway().listTokens(String(i.organizationId));
      return codes
        .filter((c) => !i.importId || c.token === i.importId)
        .map((c) => {
          const differs: string[] = [];
          if (i.expiry !== undefined && i.expiry !== (c.expiry ?? undefined)) differs.push("expiry");
          if (i.enabled !== undefined && i.enabled !== (c.enabled ?? true)) differs.push("enabled");
          const id = registrationCodeId(String(c.token));
          return differs.length ? { id, differs } : { id };
        });
    },
  },
  operations,
});

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
