using System.Net;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public class PasswordGrantTests(DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Password_grant_for_alice_has_username_admin_role_and_groups()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Alice);

        Assert.False(tokens.IsError, tokens.Error);
        var claims = CodeFlow.Payload(tokens.AccessToken!);
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
        Assert.Contains("admin", claims.GetProperty("realm_access").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["/staff", "/staff/engineering"], claims.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
    }

    [Fact]
    public async Task Disabled_user_cannot_get_tokens()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Carol);

        Assert.Equal(HttpStatusCode.BadRequest, tokens.HttpStatusCode);
        Assert.Equal("invalid_grant", tokens.Error);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task Wrong_password_is_invalid_grant()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob with { Password = "wrong" });

        Assert.Equal("invalid_grant", tokens.Error);
    }

    [Fact]
    public async Task Password_grant_is_refused_for_a_client_without_direct_access_grants()
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(idp.Endpoint("token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "alice",
            ["password"] = "alice-password",
            ["client_id"] = TestClients.AdminTool.ClientId,
            ["client_secret"] = TestClients.AdminTool.Secret,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unauthorized_client", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_credentials_give_the_service_account_roles_and_no_refresh_token()
    {
        var tokens = await CodeFlow.ClientCredentialsAsync(idp.Server, TestClients.AdminTool);

        Assert.False(tokens.IsError, tokens.Error);
        Assert.Null(tokens.RefreshToken);
        var claims = CodeFlow.Payload(tokens.AccessToken!);
        Assert.Equal("service-account-bff-admin-tool", claims.GetProperty("preferred_username").GetString());
        Assert.Contains("admin", claims.GetProperty("realm_access").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("manage-users", claims.GetProperty("resource_access").GetProperty("realm-management").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Client_credentials_are_refused_without_a_service_account()
    {
        await using var server = await DevIdpFixture.StartAsync();
        server.ConfigureClient(TestClients.Realm, TestClients.Bff.ClientId, client => client.ServiceAccountsEnabled = false);

        var tokens = await CodeFlow.ClientCredentialsAsync(server, TestClients.Bff);

        Assert.Equal("unauthorized_client", tokens.Error);
    }

    [Fact]
    public async Task The_bffs_own_client_credentials_token_is_its_service_accounts()
    {
        var tokens = await CodeFlow.ClientCredentialsAsync(idp.Server, TestClients.Bff);

        Assert.False(tokens.IsError, tokens.Error);
        Assert.Null(tokens.RefreshToken);
        var claims = CodeFlow.Payload(tokens.AccessToken!);
        Assert.Equal("service-account-bff", claims.GetProperty("preferred_username").GetString());
        Assert.Equal("bff", claims.GetProperty("azp").GetString());
        Assert.Equal("bff", claims.GetProperty("client_id").GetString());
        Assert.False(claims.TryGetProperty("sid", out _));
    }

    [Fact]
    public async Task Introspection_reports_active_access_tokens_and_inactive_garbage()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);

        var active = await CodeFlow.IntrospectAsync(idp.Server, tokens.AccessToken!);
        var garbage = await CodeFlow.IntrospectAsync(idp.Server, "not-a-token");

        Assert.True(active.GetProperty("active").GetBoolean());
        Assert.Equal(TestUsers.Bob.Id, active.GetProperty("sub").GetString());
        Assert.False(garbage.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Revoked_refresh_token_stops_working()
    {
        var tokens = await CodeFlow.PasswordAsync(idp.Server, TestUsers.Bob);
        using var http = new HttpClient();

        var revocation = await Duende.IdentityModel.Client.HttpClientTokenRevocationExtensions.RevokeTokenAsync(http, new Duende.IdentityModel.Client.TokenRevocationRequest
        {
            Address = idp.Endpoint("revoke").AbsoluteUri,
            ClientId = TestClients.Bff.ClientId,
            ClientSecret = TestClients.Bff.Secret,
            Token = tokens.RefreshToken!,
            TokenTypeHint = "refresh_token",
        });

        Assert.False(revocation.IsError, revocation.Error);
        var refresh = await CodeFlow.RefreshAsync(idp.Server, tokens.RefreshToken!);
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.False((await CodeFlow.IntrospectAsync(idp.Server, tokens.RefreshToken!)).GetProperty("active").GetBoolean());
    }
}
