// What the package's commands decrypt of a stack's configuration (gitops/stackConfig.ts, used by
// export and recover): the configuration is listed with secrets masked, and only the secret
// settings asked for are decrypted, each with its own `pulumi config get`, through the real CLI.
import { runPulumi, stackConfig } from "../../gitops/stackConfig";
import { secretSettingKeys } from "../../gitops/undeclared";
import { TestStack } from "./harness";

test("only the passwords of the services asked for are decrypted; other secrets stay sealed", async () => {
  const stack = await TestStack.create("stack-config", "", {
    config: { "axway:url": "https://portal.example.test", "axway:username": "apiadmin" },
    secrets: { "axway:password": "portal-secret", "ventus:password": "ventus-secret", "team:apiKey": "unrelated-secret" },
  });
  const env = stack.environment() as Record<string, string>;
  const commands: string[] = [];
  const cli = (args: string[]) => {
    commands.push(args.join(" "));
    return runPulumi([...args, "--stack", "test"], stack.dir, env);
  };

  const portalOnly = await stackConfig(cli, secretSettingKeys("axway"));
  expect(portalOnly).toEqual({
    "axway:url": "https://portal.example.test",
    "axway:username": "apiadmin",
    "axway:password": "portal-secret",
  });
  expect(commands.sort()).toEqual(["config --json", "config get axway:password"]);

  // A YAML stack's settings through the plugin (`ventus-axway:*`): the Ventus password alone.
  commands.length = 0;
  const plugin = await TestStack.create("stack-config-yaml", "", {
    secrets: { "ventus-axway:ventusPassword": "plugin-ventus-secret", "ventus-axway:axwayPassword": "plugin-portal-secret" },
  });
  const pluginCli = (args: string[]) => {
    commands.push(args.join(" "));
    return runPulumi([...args, "--stack", "test"], plugin.dir, plugin.environment() as Record<string, string>);
  };
  expect(await stackConfig(pluginCli, secretSettingKeys("ventus"))).toEqual({ "ventus-axway:ventusPassword": "plugin-ventus-secret" });
  expect(commands.sort()).toEqual(["config --json", "config get ventus-axway:ventusPassword"]);

  commands.length = 0;
  const none = await stackConfig(cli, new Set());
  expect(Object.values(none)).not.toContain("portal-secret");
  expect(commands).toEqual(["config --json"]);
});
