import { expectFailure } from "@velaflows/testing";
import { startApiTokensHarness, type ApiTokensHarness } from "./test-harness";

let harness: ApiTokensHarness;
beforeAll(async () => {
  harness = await startApiTokensHarness();
});
afterAll(() => harness.stop());

test("one workspace never sees or changes another's tokens", async () => {
  const owner = harness.workspace();
  const intruder = harness.workspace();
  const { token, secret } = await owner.createApiToken({ name: "Private", scopes: ["tags:read"] });
  await intruder.createApiToken({ name: "Mine", scopes: ["tags:read"] });
  const id = token!.id;

  // Every route that names the token answers NOT_FOUND, exactly as for a token that does not exist.
  const attempts = {
    getApiToken: intruder.getApiToken({ id }),
    updateApiToken: intruder.updateApiToken({ id, token: { name: "Hijacked", scopes: ["*"] }, updateMask: ["name", "scopes"] }),
    revokeApiToken: intruder.revokeApiToken({ id }),
    rotateApiToken: intruder.rotateApiToken({ id }),
    deleteApiToken: intruder.deleteApiToken({ id }),
  };
  for (const [route, attempt] of Object.entries(attempts)) {
    const failure = await expectFailure(attempt);
    expect({ route, code: failure.code, resource: failure.resource }).toEqual({ route, code: "NOT_FOUND", resource: { type: "ApiToken", id } });
  }

  // Lists show only the caller's own tokens, whatever the search.
  expect((await intruder.listApiTokens({})).items.map((t) => t.name)).toEqual(["Mine"]);
  expect((await intruder.listApiTokens({ search: "Private" })).pagination!.total).toBe(0);
  expect((await intruder.listApiTokens({ search: token!.prefix })).pagination!.total).toBe(0);

  // And the owner's token is untouched and still works, in its own workspace only.
  expect((await owner.getApiToken({ id })).token).toEqual(token);
  expect(await harness.verify(secret)).toMatchObject({ valid: true, workspaceId: owner.workspaceId });
});
