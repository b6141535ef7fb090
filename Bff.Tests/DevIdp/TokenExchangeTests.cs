using System.Net;
using System.Text.Json;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

/// <summary>The DevIdp's standard token exchange (RFC 8693) and its refusals, as Keycloak 26 answers them.</summary>
public sealed class TokenExchangeTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    [Fact]
    public async Task A_users_token_is_exchanged_for_one_aimed_at_the_audience_with_the_same_user_and_session()
    {
        var user = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Alice);
        var original = CodeFlow.Payload(user.AccessToken!);

        var (status, body) = await ExchangeAsync(idp.Server, user.AccessToken!, TestClients.DownstreamApi);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(AccessTokenType, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString(), ignoreCase: true);
        Assert.False(body.TryGetProperty("refresh_token", out _), "Keycloak's standard exchange issues no refresh token by default.");
        var exchanged = CodeFlow.Payload(body.GetProperty("access_token").GetString()!);
        Assert.Equal(TestClients.DownstreamApi, Audiences(exchanged).Single());
        Assert.Equal("bff", exchanged.GetProperty("azp").GetString());
        Assert.Equal(TestUsers.Alice.Id, exchanged.GetProperty("sub").GetString());
        Assert.Equal(original.GetProperty("sid").GetString(), exchanged.GetProperty("sid").GetString());
        Assert.Equal("alice", exchanged.GetProperty("preferred_username").GetString());
    }

    [Fact]
    public async Task An_audience_the_requesters_scopes_do_not_reach_is_not_available()
    {
        // bff-admin-tool is an enabled client of the realm, but no mapper of bff's scopes names it and Alice holds
        // none of its roles: Keycloak refuses to widen the audience (downstream-api is reached by bff's audience mapper).
        var user = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Alice);
        Assert.DoesNotContain(TestClients.AdminTool.ClientId, Audiences(CodeFlow.Payload(user.AccessToken!)));

        var (status, body) = await ExchangeAsync(idp.Server, user.AccessToken!, TestClients.AdminTool.ClientId);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Equal("Requested audience not available: bff-admin-tool", body.GetProperty("error_description").GetString());
        Assert.False(body.TryGetProperty("access_token", out _), body.ToString());
    }

    [Fact]
    public async Task An_unknown_audience_is_invalid_client()
    {
        var user = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);

        var (status, body) = await ExchangeAsync(idp.Server, user.AccessToken!, "no-such-client");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Equal("Audience not found", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_refresh_token_cannot_be_requested()
    {
        var user = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);

        var (status, body) = await ExchangeAsync(idp.Server, user.AccessToken!, TestClients.DownstreamApi,
            requestedTokenType: "urn:ietf:params:oauth:token-type:refresh_token");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_token_that_is_not_a_valid_access_token_is_refused()
    {
        var (status, body) = await ExchangeAsync(idp.Server, "not-a-token", TestClients.DownstreamApi);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("error").GetString() is "invalid_request" or "invalid_grant" or "invalid_token", body.ToString());
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task A_client_without_the_opt_in_is_refused_as_Keycloak_does()
    {
        await using var server = await DevIdpFixture.StartAsync();
        server.ConfigureClient(TestClients.Realm, "bff", client => client.StandardTokenExchangeEnabled = false);
        var user = await CodeFlow.PasswordAsync(server, TestUsers.Alice);

        var (status, body) = await ExchangeAsync(server, user.AccessToken!, TestClients.DownstreamApi);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
        Assert.Equal("Standard token exchange is not enabled for the requested client", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task A_client_outside_the_subject_tokens_audience_is_access_denied()
    {
        await using var server = await DevIdpFixture.StartAsync();
        server.ConfigureClient(TestClients.Realm, TestClients.AdminTool.ClientId, client => client.StandardTokenExchangeEnabled = true);
        var user = await CodeFlow.PasswordAsync(server, TestUsers.Alice);
        Assert.DoesNotContain(TestClients.AdminTool.ClientId, Audiences(CodeFlow.Payload(user.AccessToken!)));

        var (status, body) = await ExchangeAsync(server, user.AccessToken!, TestClients.DownstreamApi, TestClients.AdminTool);

        Assert.True(status == HttpStatusCode.Forbidden, body.ToString());
        Assert.Equal("access_denied", body.GetProperty("error").GetString());
        Assert.Equal("Client is not within the token audience", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task The_token_of_an_ended_session_is_not_exchanged()
    {
        await using var server = await DevIdpFixture.StartAsync();
        var user = await CodeFlow.PasswordAsync(server, TestUsers.Bob);
        var admin = await CodeFlow.ClientCredentialsAsync(server, TestClients.AdminTool);
        using (var http = new HttpClient())
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", admin.AccessToken);
            var ended = await http.PostAsync(new Uri(server.BaseAddress, $"admin/realms/bff/users/{TestUsers.Bob.Id}/logout"), null);
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        var (status, body) = await ExchangeAsync(server, user.AccessToken!, TestClients.DownstreamApi);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.TryGetProperty("access_token", out _), body.ToString());
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(
        DevIdpServer server, string subjectToken, string audience, TestClient? client = null, string? requestedTokenType = null)
    {
        client ??= TestClients.Bff;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.Secret,
            ["subject_token"] = subjectToken,
            ["subject_token_type"] = AccessTokenType,
            ["audience"] = audience,
        };
        if (requestedTokenType is not null)
        {
            form["requested_token_type"] = requestedTokenType;
        }

        using var http = new HttpClient();
        using var response = await http.PostAsync(server.Endpoint("token"), new FormUrlEncodedContent(form));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static IEnumerable<string?> Audiences(JsonElement payload) =>
        payload.GetProperty("aud").ValueKind == JsonValueKind.Array
            ? payload.GetProperty("aud").EnumerateArray().Select(a => a.GetString())
            : [payload.GetProperty("aud").GetString()];
}
