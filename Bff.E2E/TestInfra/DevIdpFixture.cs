using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bff.DevIdp;

namespace Bff.E2E.TestInfra;

/// <summary>One in-process Bff.DevIdp on a free loopback port, serving the repository's realm/.</summary>
public sealed class DevIdpFixture : IAsyncLifetime
{
    private DevIdpServer? _server;

    /// <summary>The running DevIdp.</summary>
    public DevIdpServer Server => _server ?? throw new InvalidOperationException("The DevIdp has not started.");

    /// <summary>The realm <c>bff</c>'s issuer.</summary>
    public Uri Authority => Server.Authority("bff");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await DevIdpServer.StartAsync(new DevIdpServerOptions());

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Redeems an authorization code as the confidential client <c>bff</c> would.</summary>
    public async Task<JsonElement> RedeemAsync(string code, AuthorizationRequest request, Uri redirectUri)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri.ToString(),
            ["code_verifier"] = request.Verifier,
            ["client_id"] = "bff",
            ["client_secret"] = "bff-dev-secret",
        });
        using var response = await http.PostAsync(new Uri(Authority + "/protocol/openid-connect/token"), form);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"token endpoint answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>The payload of a JWT (no validation: the DevIdp's own tests prove the signatures).</summary>
    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement.Clone();
    }
}
