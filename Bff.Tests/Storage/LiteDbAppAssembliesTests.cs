using System.Net;
using System.Net.Http.Json;
using Bff.Bench;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Storage;

/// <summary>
/// An app on the default storage (LiteDB) does not load the assemblies only Redis storage or PostgreSQL
/// storage (EF Core, Npgsql) needs: they would cost its memory and start-up for nothing. Read from the operating system's list of the files
/// mapped into Bff.Web running as a child process (<c>/proc/&lt;pid&gt;/maps</c>), after it started and
/// served a sign-in, the user endpoint and the notes API.
/// </summary>
public sealed class LiteDbAppAssembliesTests : IAsyncLifetime
{
    /// <summary>The assemblies of Redis storage: the client, the distributed cache on it and the key ring on it.</summary>
    private static readonly string[] RedisOnly =
    [
        "StackExchange.Redis.dll",
        "Microsoft.Extensions.Caching.StackExchangeRedis.dll",
        "Microsoft.AspNetCore.DataProtection.StackExchangeRedis.dll",
    ];

    /// <summary>The name prefixes of PostgreSQL storage's assemblies: EF Core (with its relational layer and provider) and the Npgsql driver.</summary>
    private static readonly string[] PostgreSqlOnly = ["Microsoft.EntityFrameworkCore", "Npgsql"];

    private readonly BffTempFolder folder = new();
    private DevIdpServer idp = null!;

    public async Task InitializeAsync() => idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());

    public async Task DisposeAsync()
    {
        await idp.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task A_LiteDB_app_that_signed_a_user_in_has_not_loaded_Redis_or_PostgreSQL_storage()
    {
        await using var bff = await BffChildProcess.StartAsync(BffHost.Settings(folder, idp.Authority("bff")), TimeSpan.FromSeconds(90));
        idp.AllowRedirectsTo(bff.Address);
        using (var browser = new BrowserClient(bff.Address))
        {
            using var landed = await browser.SignInAsync(bff.Address, "alice", "alice-password", "/app");
            using var user = await browser.GetApiAsync("/bff/user");
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            using var created = await browser.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "t", text = "x" }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var notes = await browser.GetApiAsync("/api/notes");
            Assert.Equal(HttpStatusCode.OK, notes.StatusCode);
        }

        var mapped = MappedFileNames(bff.Id);

        // The check itself: the app's own assemblies show in the list, so an empty one cannot pass.
        Assert.Contains("Bff.Core.dll", mapped);
        Assert.Contains("LiteDB.dll", mapped);
        Assert.Equal([], RedisOnly.Intersect(mapped));
        Assert.Equal([], mapped.Where(name => PostgreSqlOnly.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))).Order(StringComparer.Ordinal));
    }

    /// <summary>The names of the files mapped into process <paramref name="pid"/> (Linux).</summary>
    private static HashSet<string> MappedFileNames(int pid)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
        {
            // address, permissions, offset, device, inode, then the path: the only field with a slash.
            var path = line.IndexOf('/', StringComparison.Ordinal);
            if (path >= 0)
            {
                names.Add(Path.GetFileName(line[path..].TrimEnd()));
            }
        }

        return names;
    }
}
