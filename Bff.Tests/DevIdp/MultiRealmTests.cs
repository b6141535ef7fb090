using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.DevIdp;

public sealed class MultiRealmTests : IAsyncLifetime
{
    private DevIdpServer _idp = null!;

    public async Task InitializeAsync()
    {
        // Two realm files in one folder: the bff realm and a copy named "other".
        var folder = RealmFiles.WriteEditedCopy(_ => { });
        var other = RealmFiles.LoadBffRealm();
        other["realm"] = "other";
        other["id"] = "other";
        await File.WriteAllTextAsync(Path.Combine(folder, "other-realm.json"), other.ToJsonString());
        _idp = await DevIdpFixture.StartAsync(o => o.RealmsPath = folder);
    }

    public async Task DisposeAsync() => await _idp.DisposeAsync();

    [Fact]
    public async Task Every_realm_file_is_served_with_its_own_issuer_and_endpoints()
    {
        foreach (var realm in new[] { "bff", "other" })
        {
            var document = await CodeFlow.GetJsonAsync(new Uri(_idp.Authority(realm) + "/.well-known/openid-configuration"));
            Assert.Equal($"{_idp.BaseAddress}realms/{realm}", document.GetProperty("issuer").GetString());
            Assert.Equal($"{_idp.BaseAddress}realms/{realm}/protocol/openid-connect/token", document.GetProperty("token_endpoint").GetString());
        }
    }

    [Fact]
    public async Task Tokens_of_one_realm_are_refused_by_another()
    {
        var tokens = await CodeFlow.PasswordAsync(_idp, TestUsers.Bob);
        using var http = new HttpClient();

        var refresh = await Duende.IdentityModel.Client.HttpClientTokenRequestExtensions.RequestRefreshTokenAsync(http, new Duende.IdentityModel.Client.RefreshTokenRequest
        {
            Address = _idp.Endpoint("token", "other").AbsoluteUri,
            ClientId = TestClients.Bff.ClientId,
            ClientSecret = TestClients.Bff.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        var userInfo = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, _idp.Endpoint("userinfo", "other"))
        {
            Headers = { Authorization = new("Bearer", tokens.AccessToken) },
        });

        Assert.Equal("invalid_grant", refresh.Error);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, userInfo.StatusCode);
    }
}
