import { describe, expect, test } from "bun:test";
import { secretResources } from "../../src/cli/secret-flags.ts";
import { secretValues } from "../../src/ui/mask.ts";

describe("--secret NAME/KEY=VALUE", () => {
  test("makes one Secret per name, its keys from the flags", () => {
    const secrets = secretResources([
      "api/token=abc=def",
      "api/user=bot",
      "db/password=pw/with/slashes",
    ]);
    expect(
      secrets.map((secret) => (secret.kind === "Secret" ? [secret.name, secret.data] : [])),
    ).toEqual([
      ["api", { token: "abc=def", user: "bot" }],
      ["db", { password: "pw/with/slashes" }],
    ]);
    expect(secretValues(secrets)).toEqual(["abc=def", "bot", "pw/with/slashes"]);
  });

  test.each(["token=abc", "api/=abc", "/token=abc", "api/token"])("%s is a usage error", (flag) => {
    expect(() => secretResources([flag])).toThrow("expected NAME/KEY=VALUE");
  });
});
