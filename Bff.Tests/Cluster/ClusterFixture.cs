using System.Globalization;
using System.Text.Json.Nodes;
using Bff.Bench;
using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Tests.Logout;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;
using Microsoft.IdentityModel.Tokens;

namespace Bff.Tests.Cluster;

/// <summary>Every test class in this collection shares one <see cref="ClusterFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterTests : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Two BFF instances behind nginx";
}

/// <summary>
/// Several instances as a deployment runs them: two Bff.Web child processes (Production, configured
/// by environment variables) on one Redis (sessions, Data Protection keys, logout-token replay,
/// refresh leases) and one PostgreSQL database (users, notes), behind a real nginx balancing
/// round-robin, signing in at the in-process DevIdp, proxying to the downstream test API. Redis is
/// this fixture's own, so a test may stop and start it; instances keep their ports across restarts,
/// so nginx keeps reaching them.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Users <c>load-01</c> ... <c>load-50</c> (password: the name + <c>-password</c>), added to the test realm.</summary>
    public const int LoadUsers = 50;

    /// <summary>The access token's lifetime at the DevIdp.</summary>
    public static readonly TimeSpan AccessTokenLifespan = TimeSpan.FromSeconds(300);

    /// <summary>
    /// How early the BFF refreshes: an access token counts as due <see cref="TokenDueAfter"/> after it
    /// was issued, and a refreshed one is good as long again, so a burst of requests finishes on one refresh.
    /// </summary>
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(280);

    public static readonly TimeSpan TokenDueAfter = AccessTokenLifespan - RefreshBeforeExpiry;

    /// <summary>The refresh lease, short so that a killed holder's lease runs out within the test.</summary>
    public static readonly TimeSpan RefreshLeaseDuration = TimeSpan.FromSeconds(3);

    private readonly BffTempFolder _folder = new();
    private readonly RsaSecurityKey _logoutKey = LogoutTokens.NewKey("cluster-test-key");
    private string? _realmFolder;
    private string? _usersDatabase;

    public DevIdpServer Idp { get; private set; } = null!;

    public DownstreamApiServer Downstream { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public NginxServer Balancer { get; private set; } = null!;

    /// <summary>The two instances; their addresses stay the same across restarts.</summary>
    public IReadOnlyList<ClusterInstance> Instances { get; private set; } = [];

    /// <summary>Where browsers reach the cluster: nginx.</summary>
    public Uri Address => Balancer.Address;

    /// <summary>Logout tokens signed with a key every instance trusts (beside the DevIdp's own, through a merged JWKS).</summary>
    public LogoutTokens LogoutTokens { get; private set; } = null!;

    /// <summary>The shared PostgreSQL database of users and notes (else each instance has its own LiteDB), or null.</summary>
    public string? UsersDatabase => _usersDatabase;

    private MergedJwksServer Jwks { get; set; } = null!;

    public async Task InitializeAsync()
    {
        _realmFolder = RealmFiles.WriteEditedCopy(AddLoadUsers);
        Idp = await DevIdpServer.StartAsync(new DevIdpServerOptions { RealmsPath = _realmFolder, AccessTokenLifespan = AccessTokenLifespan });
        Downstream = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions { Authority = Idp.Authority(), ClockSkew = TimeSpan.Zero });
        Jwks = await MergedJwksServer.StartAsync(new Uri(Idp.Authority().AbsoluteUri + "/protocol/openid-connect/certs"), _logoutKey);
        LogoutTokens = new LogoutTokens(_logoutKey, Idp.Authority().AbsoluteUri.TrimEnd('/'), "bff", () => DateTimeOffset.UtcNow);
        Redis = await RedisServer.StartPrivateAsync();
        _usersDatabase = await SharedUsersDatabaseAsync();

        Instances = [new ClusterInstance("a", ServerProcess.FreePort(), Settings("a")), new ClusterInstance("b", ServerProcess.FreePort(), Settings("b"))];
        // One after the other: the first applies the database migrations, as a rolling deploy would.
        foreach (var instance in Instances)
        {
            await instance.StartAsync();
        }

        Balancer = await NginxServer.StartAsync([.. Instances.Select(i => i.Address)]);
        foreach (var root in Instances.Select(i => i.Address).Append(Balancer.Address))
        {
            Idp.AllowRedirectsTo(root);
        }
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (_usersDatabase is not null)
        {
            await (await PostgresServer.SharedAsync()).DropDatabaseAsync(_usersDatabase);
        }

        await DisposeIfStartedAsync(Jwks);
        await DisposeIfStartedAsync(Downstream);
        await DisposeIfStartedAsync(Idp);
        _folder.Dispose();
        if (_realmFolder is not null)
        {
            Directory.Delete(_realmFolder, recursive: true);
        }
    }

    /// <summary>Restarts both instances (one after the other, as a rolling deploy does).</summary>
    public async Task RestartAllAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.RestartAsync();
        }
    }

    /// <summary>A browser whose relative URIs go to <paramref name="root"/> (nginx unless told).</summary>
    public BrowserClient Browser(Uri? root = null) => new(root ?? Address);

    /// <summary>Signs a new browser in through <paramref name="root"/> (nginx unless told) and checks it worked.</summary>
    public async Task<BrowserClient> SignInAsync(TestUser user, Uri? root = null) =>
        await SignInAsync(user.Username, user.Password, root);

    public Task<BrowserClient> SignInAsync(string userName, string password, Uri? root = null) =>
        BrowserClient.SignedInAsync(root ?? Address, userName, password, "/Profile");

    /// <summary>Waits until an access token issued before <paramref name="issuedAt"/> (take it after the sign-in) is due for refresh.</summary>
    public static async Task WaitUntilDueAsync(DateTimeOffset issuedAt)
    {
        var due = issuedAt + TokenDueAfter + TimeSpan.FromSeconds(1);
        var wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>The load user's name: <c>load-01</c> ... <c>load-50</c>.</summary>
    public static string LoadUserName(int n) => "load-" + n.ToString("00", CultureInfo.InvariantCulture);

    private Dictionary<string, string?> Settings(string name)
    {
        var instanceFolder = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(instanceFolder);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Oidc:Authority"] = Idp.Authority().AbsoluteUri.TrimEnd('/'),
            ["Oidc:ClientId"] = TestClients.Bff.ClientId,
            ["Oidc:ClientSecret"] = TestClients.Bff.Secret,
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["Oidc:JwksUri"] = Jwks.JwksUri.AbsoluteUri,
            ["Bff:RefreshBeforeExpiry"] = RefreshBeforeExpiry.ToString("c", CultureInfo.InvariantCulture),
            ["Bff:RefreshLeaseDuration"] = RefreshLeaseDuration.ToString("c", CultureInfo.InvariantCulture),
            ["Bff:RefreshWaitTimeout"] = "00:00:40",
            ["Bff:RemoteApis:Remote:Path"] = "/api/remote",
            ["Bff:RemoteApis:Remote:Destination"] = Downstream.BaseAddress.AbsoluteUri,
            ["Bff:Storage:Sessions"] = "Redis",
            ["ConnectionStrings:Redis"] = Redis.Endpoint,
            // Per instance only what the shared engines make unused: the LiteDB file (users and
            // notes are in PostgreSQL, sessions in Redis) and the key folder (the key ring is in Redis).
            ["ConnectionStrings:Bff"] = "Filename=" + Path.Combine(instanceFolder, "bff.db"),
            ["DataProtection:KeysPath"] = Path.Combine(instanceFolder, "keys"),
            ["Logging:LogLevel:Default"] = "Warning",
            // Every test browser, and nginx, comes from 127.0.0.1: one client address, which the
            // per-address login limit would hold to 60 sign-ins a minute across all these users.
            ["Bff:Login:RateLimit:PermitLimit"] = "0",
        };
        if (_usersDatabase is not null)
        {
            settings["Bff:Storage:Users"] = "PostgreSql";
            settings["Bff:Storage:MigrateOnStartup"] = "true";
            settings["ConnectionStrings:Users"] = _usersDatabase;
        }

        return settings;
    }

    /// <summary>A fresh PostgreSQL database for the users and notes of both instances.</summary>
    private static async Task<string?> SharedUsersDatabaseAsync() =>
        await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("cluster");

    private static void AddLoadUsers(JsonObject realm)
    {
        var users = realm["users"]!.AsArray();
        for (var n = 1; n <= LoadUsers; n++)
        {
            var name = LoadUserName(n);
            users.Add(new JsonObject
            {
                ["id"] = $"00000000-0000-4000-8000-{n:000000000000}",
                ["username"] = name,
                ["enabled"] = true,
                ["email"] = name + "@example.com",
                ["emailVerified"] = true,
                ["firstName"] = "Load",
                ["lastName"] = n.ToString("00", CultureInfo.InvariantCulture),
                ["credentials"] = new JsonArray(new JsonObject { ["type"] = "password", ["value"] = name + "-password", ["temporary"] = false }),
                ["realmRoles"] = new JsonArray("user"),
            });
        }
    }

    private static async Task DisposeIfStartedAsync(IAsyncDisposable? disposable)
    {
        if (disposable is not null)
        {
            await disposable.DisposeAsync();
        }
    }
}

/// <summary>One Bff.Web child process of the cluster, on a port it keeps across restarts.</summary>
public sealed class ClusterInstance(string name, int port, IReadOnlyDictionary<string, string?> settings) : IAsyncDisposable
{
    private BffChildProcess? _process;

    public string Name { get; } = name;

    public Uri Address { get; } = new($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

    public bool IsRunning => _process is not null;

    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException($"Instance {Name} is running.");
        }

        _process = await BffChildProcess.StartAsync(
            Path.Combine(BffChildProcess.WebBinFolder(), "Bff.Web.dll"), ["--urls", Address.AbsoluteUri.TrimEnd('/')], settings, TimeSpan.FromSeconds(120));
    }

    /// <summary>Kills the instance with SIGKILL, as a crash would; <see cref="StartAsync"/> brings it back.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"Instance {Name} is not running.");
        _process = null;
        process.Kill();
        await process.DisposeAsync();
    }

    public async Task RestartAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }

        await StartAsync();
    }

    /// <summary>The instance's last lines of output, to explain a failure.</summary>
    public string RecentOutput() => _process?.RecentOutput() ?? "(not running)";

    public override string ToString() => $"{Name} ({Address})";

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }
}
