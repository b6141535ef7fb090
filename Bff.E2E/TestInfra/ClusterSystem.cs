using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Tests.TestInfra.Servers;
using Microsoft.AspNetCore.Builder;

namespace Bff.E2E.TestInfra;

/// <summary>
/// Two instances of the real app behind a real nginx, as a scaled-out deployment runs them: both on
/// one Redis (sessions, the Data Protection key ring, refresh leases, logout-token replay) under a
/// key prefix of their own and one PostgreSQL database (users, notes), nginx balancing round-robin,
/// the browser reaching only nginx. The DevIdp's access tokens live <see cref="AccessTokenLifespan"/>,
/// so a journey crosses a refresh.
/// </summary>
/// <remarks>
/// The two apps run in this test process (each its own host, services, memory cache and Redis
/// connection: nothing of a session passes between them except through Redis and PostgreSQL), which
/// keeps Playwright's view and the apps' services in one place; the child-process cluster of Bff.Tests
/// covers kills and restarts.
/// </remarks>
public sealed class ClusterSystem : IAsyncLifetime
{
    /// <summary>The DevIdp's access token lifespan: short, so a journey sees one expire.</summary>
    public static readonly TimeSpan AccessTokenLifespan = TimeSpan.FromSeconds(8);

    private readonly List<string> _dataFolders = [];
    private string? _usersDatabase;

    /// <summary>The DevIdp.</summary>
    public DevIdpServer Idp { get; private set; } = null!;

    /// <summary>The downstream API both instances proxy <c>/api/remote/</c> to.</summary>
    public DownstreamApiServer Downstream { get; private set; } = null!;

    /// <summary>The two instances, each an app of its own.</summary>
    public IReadOnlyList<(WebApplication App, Uri Address)> Instances { get; private set; } = [];

    /// <summary>nginx in front of both.</summary>
    public NginxServer Balancer { get; private set; } = null!;

    /// <summary>Where the browser goes: nginx.</summary>
    public Uri Address => Balancer.Address;

    /// <summary>An absolute URL through nginx.</summary>
    public string Url(string relative) => new Uri(Address, relative.TrimStart('/')).ToString();

    /// <summary>The services of instance <paramref name="n"/> (0 or 1); the session store of either sees every session.</summary>
    public IServiceProvider Services(int n) => Instances[n].App.Services;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Idp = await DevIdpServer.StartAsync(new DevIdpServerOptions { AccessTokenLifespan = AccessTokenLifespan });
        var authority = new UriBuilder(Idp.Authority("bff")) { Host = "localhost" }.Uri;
        Downstream = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions { Authority = authority, ClockSkew = TimeSpan.Zero });
        var redis = await RedisServer.SharedAsync();
        _usersDatabase = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("e2ecluster");
        var shared = new Dictionary<string, string?>
        {
            ["Bff:Storage:Sessions"] = "Redis",
            ["Bff:Storage:RedisKeyPrefix"] = RedisServer.NewKeyPrefix(),
            ["ConnectionStrings:Redis"] = redis.Endpoint,
            ["Bff:Storage:Users"] = "PostgreSql",
            ["Bff:Storage:MigrateOnStartup"] = "true",
            ["ConnectionStrings:Users"] = _usersDatabase,
            ["Bff:RefreshBeforeExpiry"] = "00:00:01",
        };

        // One after the other: the first applies the database migrations, as a rolling deploy would.
        var instances = new List<(WebApplication, Uri)>();
        for (var n = 0; n < 2; n++)
        {
            var folder = BffSystem.NewDataFolder();
            _dataFolders.Add(folder);
            instances.Add(await BffSystem.StartAppAsync(BffSystem.AppSettings(authority, Downstream, folder, shared)));
        }

        Instances = instances;
        Balancer = await NginxServer.StartAsync([.. Instances.Select(i => i.Address)]);
        Idp.AllowRedirectsTo(Address);
        Idp.ConfigureClient("bff", "bff", client => client.BackchannelLogoutUrl = new Uri(Address, "bff/backchannel"));
    }

    /// <summary>nginx's access log so far: one line per request, <c>"GET /path HTTP/1.1" 200 upstream=127.0.0.1:port</c>.</summary>
    public async Task<IReadOnlyList<string>> AccessLogAsync()
    {
        // nginx writes each line when the request ends; shared reading, as nginx keeps the file open.
        await using var stream = new FileStream(Balancer.AccessLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        foreach (var (app, _) in Instances)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (_usersDatabase is not null)
        {
            await (await PostgresServer.SharedAsync()).DropDatabaseAsync(_usersDatabase);
        }

        if (Downstream is not null)
        {
            await Downstream.DisposeAsync();
        }

        if (Idp is not null)
        {
            await Idp.DisposeAsync();
        }

        foreach (var folder in _dataFolders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a host that is shutting down; the temp folder is cleaned eventually.
            }
        }
    }
}
