using Bff.DevIdp;
using Xunit;

namespace Bff.Testing;

/// <summary>
/// The DevIdp (Bff.DevIdp, a Keycloak-compatible identity provider on OpenIddict) in-process on a free
/// loopback port, serving a Keycloak realm export, with that realm's users; shared by a test class
/// (<c>IClassFixture&lt;DevIdpFixture&gt;</c>) or a collection. Point the app under test at
/// <see cref="Authority"/> and call <see cref="AllowRedirectsTo"/> with the app's address.
/// </summary>
/// <remarks>
/// The parameterless fixture serves the DevIdp's default realms (the first <c>realm/</c> folder above the
/// test binaries holding <c>bff-realm.json</c>). To serve another realm file, derive a fixture that
/// passes its path: <c>public sealed class MyIdp() : DevIdpFixture("realm/my-realm.json");</c> (relative to the test binaries: copy the file to the output).
/// Tests that stop the server or need other options start their own with <see cref="StartAsync"/>.
/// </remarks>
public class DevIdpFixture : IAsyncLifetime
{
    private DevIdpServer? _server;
    private IReadOnlyDictionary<string, IReadOnlyList<TestUser>>? _users;

    /// <summary>A fixture serving the DevIdp's default realms.</summary>
    public DevIdpFixture()
        : this(null)
    {
    }

    /// <summary>A fixture serving <paramref name="realmsPath"/>: a realm file or a folder of them (a relative path is taken from the test binaries' folder).</summary>
    protected DevIdpFixture(string? realmsPath)
    {
        RealmsPath = realmsPath is null ? null : Path.GetFullPath(realmsPath, AppContext.BaseDirectory);
    }

    /// <summary>The realm file or folder served; null for the DevIdp's default.</summary>
    public string? RealmsPath { get; }

    /// <summary>The running server.</summary>
    public DevIdpServer Server => _server ?? throw new InvalidOperationException("The DevIdp has not started.");

    /// <summary>The realm <see cref="Authority"/> and <see cref="Users"/> speak of: the only one served, or <c>bff</c> when there are several.</summary>
    public string Realm => RealmUsersByName().Count == 1 ? RealmUsersByName().Keys.Single() : "bff";

    /// <summary>The realm's issuer and OIDC authority, e.g. <c>http://127.0.0.1:40001/realms/bff</c>.</summary>
    public Uri Authority => Server.Authority(Realm);

    /// <summary>The users of <see cref="Realm"/> that have a plain-text password in the realm file.</summary>
    public IReadOnlyList<TestUser> Users => UsersOf(Realm);

    /// <summary>The users of a realm served.</summary>
    public IReadOnlyList<TestUser> UsersOf(string realm) =>
        RealmUsersByName().TryGetValue(realm, out var users) ? users : throw new ArgumentException($"No realm '{realm}' is served.", nameof(realm));

    /// <summary>The user of <see cref="Realm"/> with this user name.</summary>
    public TestUser User(string username) =>
        Users.FirstOrDefault(u => u.Username == username) ?? throw new ArgumentException($"No user '{username}' with a password in realm '{Realm}'.", nameof(username));

    /// <summary>The realm's OIDC endpoint <paramref name="name"/> (auth, token, userinfo, logout, certs, revoke, token/introspect).</summary>
    public Uri Endpoint(string name, string? realm = null) => Server.Endpoint(name, realm ?? Realm);

    /// <summary>Lets <paramref name="clientId"/> redirect to an app at <paramref name="appRoot"/> (its /signin-oidc, /signout-callback-oidc and root).</summary>
    public void AllowRedirectsTo(Uri appRoot, string clientId = "bff") => Server.AllowRedirectsTo(appRoot, Realm, clientId);

    /// <summary>Starts a DevIdp of its own (dispose it), with options changed by <paramref name="configure"/>.</summary>
    public static Task<DevIdpServer> StartAsync(Action<DevIdpServerOptions>? configure = null)
    {
        var options = new DevIdpServerOptions();
        configure?.Invoke(options);
        return DevIdpServer.StartAsync(options);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await StartAsync(options =>
        {
            options.RealmsPath = RealmsPath ?? options.RealmsPath;
            Configure(options);
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Changes the DevIdp's options before it starts (a derived fixture's hook: shorter token lifespans, other settings).</summary>
    protected virtual void Configure(DevIdpServerOptions options)
    {
    }

    private IReadOnlyDictionary<string, IReadOnlyList<TestUser>> RealmUsersByName() =>
        _users ??= RealmUsers.Load(RealmsPath ?? DevIdpServer.DefaultRealmsPath());
}

/// <summary>URLs of a running DevIdp.</summary>
public static class DevIdpServerExtensions
{
    /// <summary>The realm's OIDC endpoint <paramref name="name"/> (auth, token, userinfo, logout, certs, revoke, token/introspect).</summary>
    public static Uri Endpoint(this DevIdpServer server, string name, string realm = "bff")
    {
        ArgumentNullException.ThrowIfNull(server);
        return new Uri($"{server.Authority(realm)}/protocol/openid-connect/{name}");
    }
}
