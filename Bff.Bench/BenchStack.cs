using System.Diagnostics;
using System.Security.Claims;
using Bff.Claims;
using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Web;
using Bff.Web.Api;
using Bff.Web.Api.Notes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace Bff.Bench;

/// <summary>
/// The DevIdp (the repository's realm), the downstream test API behind <c>/api/remote/</c> and the
/// BFF (built by <see cref="BffWebApp"/> as Program.cs builds it), all on loopback, with the data of
/// the BFF in a temporary folder deleted at the end.
/// </summary>
internal sealed class BenchStack : IAsyncDisposable
{
    /// <summary>The anonymous twin of <c>GET /api/notes</c> mapped for the baseline of row 1.</summary>
    public const string AnonymousNotesPath = "/bench/anonymous-notes";

    /// <summary>
    /// A bare YARP forward to the downstream API on the same pipeline, for row 2's reference: no
    /// session, no token lookup, the client's own bearer header passed through.
    /// </summary>
    public const string BareProxyPath = "/bench/bare-proxy";

    private BenchStack(string folder) => Folder = folder;

    public string Folder { get; }

    public DevIdpServer Idp { get; private set; } = null!;

    public DownstreamApiServer Downstream { get; private set; } = null!;

    public WebApplication Bff { get; private set; } = null!;

    public Uri BffAddress { get; private set; } = null!;

    /// <summary>From the BFF's CreateBuilder to the first 200 of <c>/health/ready</c>.</summary>
    public TimeSpan StartToReady { get; private set; }

    /// <summary>
    /// The local user id whose notes the anonymous twin lists (set to the signed-in user's), as if
    /// authentication had put it on the principal.
    /// </summary>
    public string AnonymousNotesOwner { get; set; } = "";

    public static async Task<BenchStack> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bff-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var stack = new BenchStack(folder);
        try
        {
            stack.Idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());
            stack.Downstream = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions { Authority = stack.Idp.Authority() });
            await stack.StartBffAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The BFF's settings, as a deployment would give them, with data under <paramref name="dataFolder"/>.</summary>
    public Dictionary<string, string?> Settings(string dataFolder) => new(StringComparer.Ordinal)
    {
        ["Oidc:Authority"] = Idp.Authority().AbsoluteUri.TrimEnd('/'),
        ["Oidc:ClientId"] = "bff",
        ["Oidc:ClientSecret"] = "bff-dev-secret",
        ["Oidc:RequireHttpsMetadata"] = "false",
        ["ConnectionStrings:Bff"] = $"Filename={Path.Combine(dataFolder, "bff.db")}",
        ["DataProtection:KeysPath"] = Path.Combine(dataFolder, "keys"),
        ["Bff:RemoteApis:Remote:Path"] = "/api/remote",
        ["Bff:RemoteApis:Remote:Destination"] = Downstream.BaseAddress.AbsoluteUri,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public async ValueTask DisposeAsync()
    {
        if (Bff is not null)
        {
            await Bff.StopAsync();
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

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left to the temp cleaner; the figures are already printed.
        }
    }

    private async Task StartBffAsync()
    {
        var clock = Stopwatch.StartNew();
        var builder = BffWebApp.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Production"]);
        builder.Configuration.AddInMemoryCollection(Settings(Path.Combine(Folder, "bff")));
        Bff = await BffWebApp.BuildAsync(builder);

        // The same handler as GET /api/notes (the same LiteDB query and JSON), without cookie,
        // session or CSRF check: the owner claim authentication would have set is set here.
        Bff.MapGet(AnonymousNotesPath, (HttpContext context, INoteStore notes) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(BffClaimTypes.UserId, AnonymousNotesOwner)]));
            return NotesApi.ListAsync(context, notes);
        }).AllowAnonymous();
        Bff.MapForwarder(BareProxyPath + "/{**rest}", Downstream.BaseAddress.AbsoluteUri, transforms => transforms.AddPathRemovePrefix(BareProxyPath)).AllowAnonymous();
        await Bff.StartAsync();
        var address = Bff.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BffAddress = new Uri(address.TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = BffAddress };
        while ((await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode != System.Net.HttpStatusCode.OK)
        {
            await Task.Delay(5);
        }

        StartToReady = clock.Elapsed;
        Idp.AllowRedirectsTo(BffAddress);
    }
}
