using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Health;

/// <summary>
/// A discovery document on a free loopback port that a test can shape (drop end_session_endpoint,
/// announce another issuer...) and switch off. The DevIdp always serves a complete, correct
/// document, so the configuration check's warnings need this stand-in to be provoked at all.
/// </summary>
public sealed class DiscoveryStandIn : IAsyncDisposable
{
    private LoopbackSite _site = null!;

    private DiscoveryStandIn()
    {
    }

    /// <summary>The server root, ending with '/'.</summary>
    public Uri BaseAddress => _site.BaseAddress;

    /// <summary>The realm URL, which is also the issuer unless <see cref="Shape"/> says otherwise.</summary>
    public string Authority => BaseAddress + "realms/bff";

    /// <summary>Changes the document before it is served.</summary>
    public Action<JsonObject> Shape { get; set; } = _ => { };

    /// <summary>How many times the document was fetched.</summary>
    public int Requests { get; private set; }

    /// <summary>Starts the stand-in, serving a complete Keycloak-like document for realm <c>bff</c>.</summary>
    public static async Task<DiscoveryStandIn> StartAsync()
    {
        var self = new DiscoveryStandIn();
        self._site = await LoopbackSite.StartAsync(app =>
        {
            app.MapGet("/realms/bff/.well-known/openid-configuration", () => Results.Text(self.Document().ToJsonString(), "application/json"));
            app.MapGet("/realms/bff/protocol/openid-connect/certs", () => Results.Text(Jwks.Value, "application/json"));

            // Answers an empty POST the way a BFF back-channel endpoint does (400 JSON), for the
            // start-up check's reachability test.
            app.MapPost("/bff/backchannel", () => Results.Json(new { error = "invalid_request" }, statusCode: 400));
        });
        return self;
    }

    // One RS256 public key, so that the JWKS the discovery document names is a real one.
    private static readonly Lazy<string> Jwks = new(() =>
    {
        using var rsa = RSA.Create(2048);
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = "stand-in",
                ["n"] = Base64UrlEncoder.Encode(key.Modulus),
                ["e"] = Base64UrlEncoder.Encode(key.Exponent),
            }),
        }.ToJsonString();
    });

    private JsonObject Document()
    {
        Requests++;
        var endpoints = Authority + "/protocol/openid-connect/";
        var document = new JsonObject
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = endpoints + "auth",
            ["token_endpoint"] = endpoints + "token",
            ["userinfo_endpoint"] = endpoints + "userinfo",
            ["end_session_endpoint"] = endpoints + "logout",
            ["jwks_uri"] = endpoints + "certs",
            ["revocation_endpoint"] = endpoints + "revoke",
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["backchannel_logout_supported"] = true,
            ["backchannel_logout_session_supported"] = true,
        };
        Shape(document);
        return document;
    }

    /// <summary>Stops answering: the identity provider went away.</summary>
    public Task StopAsync() => _site.StopAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _site.DisposeAsync();
}
