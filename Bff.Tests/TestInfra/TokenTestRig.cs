using System.Text.Json;
using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.TestInfra;

/// <summary>
/// The whole token path on real loopback HTTP: the DevIdp serving <c>realm/</c>, the downstream
/// test API behind <c>/api/remote/</c>, and the BFF (Bff.Web as Program.cs builds it), with the
/// realm's <c>bff</c> client redirected to the BFF's port.
/// </summary>
public sealed class TokenTestRig : IAsyncDisposable
{
    private readonly BffTempFolder folder = new();

    private TokenTestRig()
    {
    }

    public DevIdpServer Idp { get; private set; } = null!;

    public DownstreamApiServer Downstream { get; private set; } = null!;

    public BffHost Bff { get; private set; } = null!;

    /// <summary>The BFF's session store, writes included (a test ends a session behind the BFF's back by deleting it).</summary>
    internal IInternalSessionStore Sessions => Bff.Services.GetRequiredService<IInternalSessionStore>();

    public int RefreshGrants => Idp.TokenRequests("refresh_token");

    /// <summary>
    /// Starts the stack. <paramref name="accessTokenLifespan"/> shortens the realm's access tokens;
    /// <paramref name="idpOptions"/> changes the DevIdp's options (another realm folder, for instance);
    /// <paramref name="environment"/> is the BFF's hosting environment.
    /// </summary>
    public static async Task<TokenTestRig> StartAsync(
        TimeSpan? accessTokenLifespan = null,
        IDictionary<string, string?>? bffSettings = null,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null,
        Action<DevIdpServerOptions>? idpOptions = null,
        string environment = "Production")
    {
        var stack = new TokenTestRig();
        try
        {
            var options = new DevIdpServerOptions { AccessTokenLifespan = accessTokenLifespan };
            idpOptions?.Invoke(options);
            stack.Idp = await DevIdpServer.StartAsync(options);
            stack.Downstream = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions
            {
                Authority = stack.Idp.Authority(),
                ClockSkew = TimeSpan.Zero,
            });
            var settings = BffTestSettings.For(stack.Idp.Authority(), TestClients.Bff, stack.folder.Path, stack.Downstream.BaseAddress);
            foreach (var (key, value) in bffSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            stack.Bff = await BffHost.StartAsync(settings, environment, configure);
            var bff = stack.Bff.BaseAddress;
            stack.Idp.ConfigureClient("bff", "bff", client =>
            {
                client.RedirectUris = [new Uri(bff, "signin-oidc").AbsoluteUri];
                client.PostLogoutRedirectUris = [new Uri(bff, "signout-callback-oidc").AbsoluteUri, bff.AbsoluteUri];
            });
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs a user in through the DevIdp's login form, landing on <c>/app</c>; returns the browser (dispose it).</summary>
    public Task<BrowserClient> SignInAsync(string userName = "alice", string? password = null) =>
        BrowserClient.SignedInAsync(Bff.BaseAddress, userName, password ?? userName + "-password", "/app");

    /// <summary>The server-side session of a signed-in user (the newest, when several).</summary>
    public Task<ServerSession> SessionOfAsync(string subject) => BffSessions.SessionOfAsync(Bff.Services, subject);

    /// <summary>Makes the BFF believe the session's access token has expired (the token itself stays valid at the IdP).</summary>
    public Task ExpireAccessTokenAsync(string subject) => BffSessions.ExpireAccessTokenAsync(Bff.Services, subject);

    /// <summary>A token response from the password grant (the realm's bff client allows direct access grants).</summary>
    public Task<JsonElement> PasswordGrantAsync(string userName, string? password = null, string clientId = "bff", string clientSecret = "bff-dev-secret") =>
        TokenEndpoint.PasswordGrantAsync(Idp.Authority(), new TestClient(clientId, clientSecret, null, [], null), userName, password ?? userName + "-password");

    public async ValueTask DisposeAsync()
    {
        if (Bff is not null)
        {
            await Bff.DisposeAsync();
        }

        if (Downstream is not null)
        {
            await Downstream.DisposeAsync();
        }

        if (Idp is not null)
        {
            await Idp.DisposeAsync();
        }

        folder.Dispose();
    }
}
