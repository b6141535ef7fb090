using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Logout;

/// <summary>
/// A JWKS endpoint on loopback serving the DevIdp's keys plus one public key whose private half the test
/// holds, as a provider in the middle of a key rotation would. Given to the BFF as <c>Oidc:JwksUri</c>
/// (the configuration contract's JWKS override), it lets a test sign logout tokens the BFF must judge
/// on their claims, while logins keep working with the DevIdp's own key.
/// </summary>
public sealed class MergedJwksServer : IAsyncDisposable
{
    private readonly LoopbackSite _site;

    private MergedJwksServer(LoopbackSite site, Uri jwksUri)
    {
        _site = site;
        JwksUri = jwksUri;
    }

    public Uri JwksUri { get; }

    public static async Task<MergedJwksServer> StartAsync(Uri idpCertsEndpoint, RsaSecurityKey testKey)
    {
        var parameters = testKey.Rsa.ExportParameters(includePrivateParameters: false);
        var extra = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = testKey.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };

        var site = await LoopbackSite.StartAsync(app => app.MapGet("/jwks", async () =>
        {
            using var http = new HttpClient();
            var jwks = JsonNode.Parse(await http.GetStringAsync(idpCertsEndpoint))!;
            jwks["keys"]!.AsArray().Add(extra.DeepClone());
            return Results.Text(jwks.ToJsonString(), "application/json");
        }));
        return new MergedJwksServer(site, new Uri(site.BaseAddress, "jwks"));
    }

    public ValueTask DisposeAsync() => _site.DisposeAsync();
}
