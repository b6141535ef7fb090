using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Health;

/// <summary>
/// A discovery document on a free loopback port that a test can shape (drop end_session_endpoint,
/// announce another issuer...) and switch off. The DevIdp always serves a complete, correct
/// document, so the configuration check's warnings need this stand-in to be provoked at all.
/// </summary>
public sealed class DiscoveryStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private DiscoveryStandIn(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server root, ending with '/'.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The realm URL, which is also the issuer unless <see cref="Shape"/> says otherwise.</summary>
    public string Authority => BaseAddress + "realms/bff";

    /// <summary>Changes the document before it is served.</summary>
    public Action<JsonObject> Shape { get; set; } = _ => { };

    /// <summary>How many times the document was fetched.</summary>
    public int Requests { get; private set; }

    /// <summary>Starts the stand-in, serving a complete Keycloak-like document for realm <c>bff</c>.</summary>
    public static async Task<DiscoveryStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        DiscoveryStandIn? self = null;
        app.MapGet("/realms/bff/.well-known/openid-configuration", () => Results.Text(self!.Document().ToJsonString(), "application/json"));
        app.MapGet("/realms/bff/protocol/openid-connect/certs", () => Results.Text(Jwks.Value, "application/json"));
        // Answers an empty POST the way a BFF back-channel endpoint does (400 JSON), for the
        // start-up check's reachability test.
        app.MapPost("/bff/backchannel", () => Results.Json(new { error = "invalid_request" }, statusCode: 400));
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        self = new DiscoveryStandIn(app, new Uri(bound, "/"));
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
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
