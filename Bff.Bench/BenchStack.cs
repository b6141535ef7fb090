using System.Globalization;
using Bff.Testing;
using Bff.Testing.Hosting;

namespace Bff.Bench;

/// <summary>
/// The servers of the benchmark, each a child process on loopback (<see cref="BffChildProcess"/>),
/// pinned to <see cref="CpuPlan.Servers"/>: the DevIdp (the repository's realm), the downstream test
/// API, the BFF (<c>Bff.Bench serve bff</c>: built by <c>BffWebApp</c> as Program.cs builds it, plus
/// the baselines of rows 1 and 2) and the peer host (Bff.Bench.Peer), with their data in a temporary
/// folder deleted at the end.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private BenchStack(string folder, CpuPlan cpus, string? redisEndpoint)
    {
        Folder = folder;
        Cpus = cpus;
        RedisEndpoint = redisEndpoint;
    }

    /// <summary>
    /// The realm's client <c>bff</c>, as the BFF and the password grants of the bench use it (Bff.Tests'
    /// TestClients is not compiled here: Bff.Tests references this assembly, and two public copies would clash).
    /// </summary>
    public static TestClient Client { get; } = new("bff", "bff-dev-secret", null, [], null);

    public string Folder { get; }

    public CpuPlan Cpus { get; }

    public BffChildProcess Idp { get; private set; } = null!;

    public BffChildProcess Downstream { get; private set; } = null!;

    public BffChildProcess Bff { get; private set; } = null!;

    /// <summary>A second BFF, the same but for its sessions in Redis, when the run has a Redis server.</summary>
    public BffChildProcess? BffOnRedis { get; private set; }

    /// <summary>The Redis server of the Redis rows (host:port), if any.</summary>
    public string? RedisEndpoint { get; }

    public BffChildProcess Peer { get; private set; } = null!;

    /// <summary>The realm's issuer and OIDC authority.</summary>
    public Uri Authority => new(Idp.Address, "realms/bff");

    public Uri BffAddress => Bff.Address;

    public static async Task<BenchStack> StartAsync(CpuPlan cpus, string? redisEndpoint, TextWriter progress)
    {
        var folder = Path.Combine(Path.GetTempPath(), "bff-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var stack = new BenchStack(folder, cpus, redisEndpoint);
        try
        {
            var bench = BenchAssembly();
            var quiet = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Logging:LogLevel:Default"] = "Warning" };
            await progress.WriteLineAsync("  DevIdp...");
            stack.Idp = await BffChildProcess.StartAsync(bench, ["serve", "idp"], quiet, StartTimeout, cpus.Servers, "/realms/bff/.well-known/openid-configuration");
            await progress.WriteLineAsync("  downstream API...");
            stack.Downstream = await BffChildProcess.StartAsync(bench, ["serve", "downstream", stack.Authority.AbsoluteUri], quiet, StartTimeout, cpus.Servers, readyPath: null);
            await progress.WriteLineAsync("  BFF...");
            stack.Bff = await stack.StartBffAsync(stack.Settings(Path.Combine(folder, "bff")));
            await stack.AllowRedirectsToAsync(stack.Bff.Address);
            if (redisEndpoint is not null)
            {
                await progress.WriteLineAsync("  BFF on Redis sessions...");
                stack.BffOnRedis = await stack.StartBffAsync(stack.Settings(Path.Combine(folder, "bff-redis"), onRedis: true));
                await stack.AllowRedirectsToAsync(stack.BffOnRedis.Address);
            }

            await progress.WriteLineAsync("  peer...");
            var peer = Path.Combine(BffChildProcess.ProjectBinFolder("Bff.Bench.Peer"), "Bff.Bench.Peer.dll");
            stack.Peer = await BffChildProcess.StartAsync(
                peer,
                [
                    "--urls", LoopbackApp.Urls,
                    "--Peer:Authority", stack.Authority.AbsoluteUri,
                    "--Peer:Downstream", stack.Downstream.Address.AbsoluteUri,
                    "--Peer:KeysPath", Path.Combine(folder, "peer-keys"),
                ],
                quiet,
                StartTimeout,
                cpus.Servers);
            await stack.AllowRedirectsToAsync(stack.Peer.Address);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts a BFF (<c>Bff.Bench serve bff</c>) on <paramref name="settings"/> (<see cref="Settings"/>),
    /// on the servers' CPUs, and waits until it is ready; the caller disposes it.
    /// </summary>
    public Task<BffChildProcess> StartBffAsync(IReadOnlyDictionary<string, string?> settings) =>
        BffChildProcess.StartAsync(BenchAssembly(), ["serve", "bff"], settings, StartTimeout, Cpus.Servers);

    /// <summary>
    /// The BFF's settings, as a deployment would give them, with data under <paramref name="dataFolder"/>;
    /// <paramref name="onRedis"/>: the sessions (and with them the key ring) in the run's Redis, under
    /// a key prefix no other BFF of the run uses (users and notes stay in the LiteDB file).
    /// </summary>
    public Dictionary<string, string?> Settings(string dataFolder, bool onRedis = false)
    {
        var settings = LiteDbSettings(dataFolder);
        if (onRedis)
        {
            settings["Bff:Storage:Sessions"] = "Redis";
            settings["ConnectionStrings:Redis"] = RedisEndpoint ?? throw new InvalidOperationException("This run has no Redis server (--redis host:port).");
            settings["Bff:Storage:RedisKeyPrefix"] = $"bench-{Guid.NewGuid():N}"[..18] + ":";
        }

        return settings;
    }

    private static string BenchAssembly() => Path.Combine(BffChildProcess.ProjectBinFolder("Bff.Bench"), "Bff.Bench.dll");

    private Dictionary<string, string?> LiteDbSettings(string dataFolder)
    {
        var settings = BffTestSettings.For(Authority, Client, dataFolder, Downstream.Address);

        // The in-process seeding apps log to this process's stdout, where the table goes; their keys
        // are unencrypted on purpose (a temp folder), so that warning is noise here.
        settings["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error";
        return settings;
    }

    /// <summary>Lets the client <c>bff</c> redirect to an app at <paramref name="appRoot"/> (sign-in and sign-out).</summary>
    public async Task AllowRedirectsToAsync(Uri appRoot) => Expect("ok", await Idp.CommandAsync("allow " + appRoot.AbsoluteUri));

    /// <summary>Token requests of this grant type the DevIdp has had so far.</summary>
    public async Task<int> TokenRequestsAsync(string grantType) =>
        int.Parse(await Idp.CommandAsync("count " + grantType), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Sets whose notes the BFF's anonymous twin of <c>GET /api/notes</c> lists.</summary>
    public async Task SetAnonymousNotesOwnerAsync(string subject) => Expect("ok", await Bff.CommandAsync("owner " + subject));

    /// <summary>Marks the access token of the user's newest session in <paramref name="bff"/> expired.</summary>
    public static async Task ExpireAccessTokenAsync(BffChildProcess bff, string subject) => Expect("ok", await bff.CommandAsync("expire " + subject));

    public async ValueTask DisposeAsync()
    {
        foreach (var child in new[] { Peer, BffOnRedis, Bff, Downstream, Idp })
        {
            if (child is not null)
            {
                await child.DisposeAsync();
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left to the temp cleaner; the figures are already printed.
        }
    }

    private static void Expect(string expected, string answer)
    {
        if (!string.Equals(expected, answer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A bench server answered: " + answer);
        }
    }
}
