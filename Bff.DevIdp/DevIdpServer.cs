using System.Globalization;
using Bff.DevIdp.Realms;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bff.DevIdp;

/// <summary>
/// The DevIdp running in-process on real loopback HTTP, for tests. Its state (keys, users, SSO sessions, refresh
/// tokens) survives <see cref="StopAsync"/> + <see cref="RestartAsync"/>, so a test can simulate an IdP outage.
/// </summary>
public sealed class DevIdpServer : IAsyncDisposable
{
    /// <summary>The SSO session cookie's name (scoped to <c>/realms/{realm}/</c>).</summary>
    public const string SessionCookieName = Login.SsoCookie.Name;

    private readonly DevIdpServerOptions _options;
    private readonly DevIdpState _state;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private WebApplication? _app;

    private DevIdpServer(DevIdpServerOptions options, DevIdpState state, Uri baseAddress)
    {
        _options = options;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, ending with <c>/</c>, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether the server is listening.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>Loads the realms and starts listening. Throws <see cref="DevIdpConfigurationException"/> for a bad realm file.</summary>
    public static async Task<DevIdpServer> StartAsync(DevIdpServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = DevIdpApplication.CreateState(BuildConfiguration(options), options.TimeProvider);
        try
        {
            var app = await LaunchAsync(options, state, options.Urls, cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DevIdpServer(options, state, new Uri(address.TrimEnd('/') + "/")) { _app = app };
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>The realms served when <see cref="DevIdpServerOptions.RealmsPath"/> is not set: the first <c>realm/</c> folder above the app holding <c>bff-realm.json</c>.</summary>
    public static string DefaultRealmsPath() => DevIdpApplication.FindDefaultRealmsPath();

    /// <summary>The realm's issuer and OIDC authority, <c>{base}realms/{realm}</c>.</summary>
    public Uri Authority(string realm = "bff") => new(BaseAddress, "realms/" + realm);

    /// <summary>
    /// The parameters of the newest authorization request the authorization endpoint handled (a pushed
    /// request as restored from its request_uri), so a test sees what a client really sent.
    /// </summary>
    public IReadOnlyDictionary<string, string> LastAuthorizationRequest => _state.LastAuthorizationRequest;

    /// <summary>How many token requests with this grant type arrived since start (failed ones included).</summary>
    public int TokenRequests(string grantType) => _state.TokenRequests(grantType);

    /// <summary>
    /// How many refresh_token grants presented a refresh token that rotation had already replaced
    /// (the realm's <c>revokeRefreshToken</c>): each was refused with invalid_grant, as Keycloak does.
    /// </summary>
    public int RefreshTokenReuses => _state.RefreshTokenReuses;

    /// <summary>
    /// A test hook making the token endpoint slow: every refresh_token grant waits this long before
    /// its refresh token is looked at (a client that disconnects meanwhile uses nothing up).
    /// <see cref="TimeSpan.Zero"/>, the default, turns it off.
    /// </summary>
    public TimeSpan RefreshDelay
    {
        get => _state.RefreshDelay;
        set => _state.RefreshDelay = value;
    }

    /// <summary>How many refresh_token grants <see cref="RefreshDelay"/> has held (counted when the wait begins).</summary>
    public int HeldRefreshes => _state.HeldRefreshes;

    /// <summary>How many pushed authorization requests (PAR, RFC 9126) arrived since start (failed ones included).</summary>
    public int PushedAuthorizationRequests => _state.PushedAuthorizationRequests;

    /// <summary>Changes a client at run time, e.g. its redirect URIs to the port the BFF under test got.</summary>
    public void ConfigureClient(string realm, string clientId, Action<DevIdpClient> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var client = _state.FindRealm(realm)?.FindClient(clientId)
            ?? throw new ArgumentException($"No client '{clientId}' in realm '{realm}'.", nameof(clientId));
        configure(client);
    }

    /// <summary>
    /// Lets a client redirect to an app at <paramref name="appRoot"/> as the BFF does: its
    /// <c>/signin-oidc</c> after login, its <c>/signout-callback-oidc</c> and its root after logout
    /// (added to the registered URIs, each once).
    /// </summary>
    public void AllowRedirectsTo(Uri appRoot, string realm = "bff", string clientId = "bff")
    {
        ArgumentNullException.ThrowIfNull(appRoot);
        var root = appRoot.GetLeftPart(UriPartial.Authority);
        ConfigureClient(realm, clientId, client =>
        {
            client.RedirectUris = [.. client.RedirectUris.Union([root + "/signin-oidc"], StringComparer.Ordinal)];
            client.PostLogoutRedirectUris = [.. client.PostLogoutRedirectUris.Union([root + "/signout-callback-oidc", root + "/"], StringComparer.Ordinal)];
        });
    }

    /// <summary>The number of SSO sessions of a user that are alive (not ended, not idle, not past max lifespan).</summary>
    public int ActiveSessions(string realm, string userId)
    {
        var found = _state.FindRealm(realm) ?? throw new ArgumentException($"No realm '{realm}'.", nameof(realm));
        return _state.Sessions.ForUser(realm, userId).Count(s => s.IsAlive(found, _state.Now));
    }

    /// <summary>Stops listening (connections are refused) but keeps every key, session and token.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_app is { } app)
            {
                _app = null;
                await app.StopAsync(cancellationToken);
                await app.DisposeAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Starts listening again on the same address with the same state (stopping first if running).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _app = await LaunchAsync(_options, _state, BaseAddress.GetLeftPart(UriPartial.Authority), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _state.Dispose();
        _lock.Dispose();
    }

    private static async Task<WebApplication> LaunchAsync(DevIdpServerOptions options, DevIdpState state, string urls, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DevIdpServer).Assembly.GetName().Name,
            EnvironmentName = "Development",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(BuildConfiguration(options).AsEnumerable());
        builder.WebHost.UseUrls(urls);
        var app = DevIdpApplication.Build(builder, state);
        await app.StartAsync(cancellationToken);
        return app;
    }

    private static IConfiguration BuildConfiguration(DevIdpServerOptions options)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Tests read the DevIdp through HTTP; its per-request logs would drown theirs.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Bff.DevIdp"] = "Information",
        };
        foreach (var (key, value) in options.Configuration)
        {
            values[key] = value;
        }

        if (options.RealmsPath is not null)
        {
            values[DevIdpApplication.RealmsPathKey] = options.RealmsPath;
        }

        if (options.AccessTokenLifespan is { } lifespan)
        {
            values[DevIdpApplication.AccessTokenLifespanKey] = ((int)Math.Max(1, lifespan.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
