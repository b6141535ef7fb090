using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bff.Tests.TestInfra;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bff.Tests.Api;

/// <summary>
/// Keycloak adds <c>aud: bff</c> to the tokens of any client of the realm whenever the user holds
/// <c>bff</c> client roles (audience resolution), so the audience alone does not say the caller may
/// use the BFF's API: the authorized party (<c>azp</c>) must be on <c>Bff:Api:AllowedBearerClients</c>.
/// </summary>
public sealed class BearerClientAllowListTests
{
    private const string OtherClient = "other-app";

    /// <summary>The realm with one more confidential client that may use the password grant, as many realms have.</summary>
    private static void AddOtherClient(Bff.DevIdp.DevIdpServerOptions options) =>
        options.RealmsPath = RealmFiles.WriteEditedCopy(realm => realm["clients"]!.AsArray().Add(new JsonObject
        {
            ["clientId"] = OtherClient,
            ["enabled"] = true,
            ["protocol"] = "openid-connect",
            ["publicClient"] = false,
            ["clientAuthenticatorType"] = "client-secret",
            ["secret"] = "other-secret",
            ["standardFlowEnabled"] = false,
            ["directAccessGrantsEnabled"] = true,
            ["redirectUris"] = new JsonArray(),
            ["defaultClientScopes"] = new JsonArray("acr", "basic", "profile", "roles", "email"),
        }));

    private static async Task<HttpStatusCode> CallAsync(TokenTestRig rig, string path, string token)
    {
        using var http = new HttpClient { BaseAddress = rig.Bff.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        return response.StatusCode;
    }

    [Fact]
    public async Task Another_client_s_token_with_aud_bff_is_refused_by_default()
    {
        await using var rig = await TokenTestRig.StartAsync(idpOptions: AddOtherClient);
        var token = (await rig.PasswordGrantAsync("alice", clientId: OtherClient, clientSecret: "other-secret")).GetProperty("access_token").GetString()!;
        var jwt = new JsonWebToken(token);
        Assert.Contains("bff", jwt.Audiences); // audience resolution: it passes the audience check
        Assert.Equal(OtherClient, jwt.GetPayloadValue<string>("azp"));

        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(rig, "/api/notes", token));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(rig, "/bff/sessions", token));

        var own = (await rig.PasswordGrantAsync("alice")).GetProperty("access_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await CallAsync(rig, "/api/notes", own));
    }

    [Fact]
    public async Task A_client_on_the_allow_list_may_call_and_the_list_replaces_the_default()
    {
        await using var rig = await TokenTestRig.StartAsync(
            idpOptions: AddOtherClient,
            bffSettings: new Dictionary<string, string?> { ["Bff:Api:AllowedBearerClients:0"] = OtherClient });
        var other = (await rig.PasswordGrantAsync("alice", clientId: OtherClient, clientSecret: "other-secret")).GetProperty("access_token").GetString()!;
        var own = (await rig.PasswordGrantAsync("alice")).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, await CallAsync(rig, "/api/notes", other));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(rig, "/api/notes", own));
    }
}
