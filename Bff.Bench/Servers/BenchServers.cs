using System.Security.Claims;
using Bff.Claims;
using Bff.DevIdp;
using Bff.DevIdp.Downstream;
using Bff.Sessions;
using Bff.Testing.Hosting;
using Bff.Users;
using Bff.Web;
using Bff.Web.Api;
using Bff.Web.Api.Notes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms;

namespace Bff.Bench.Servers;

/// <summary>
/// <c>Bff.Bench serve idp|downstream|bff</c>: one of the bench's servers in a process of its own,
/// listening on a free loopback port, commanded through <see cref="ServerCommandLoop"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>idp</c>: the DevIdp on the repository's realm. Commands: <c>allow &lt;app root&gt;</c>
/// (its sign-in and sign-out redirect URIs for the client <c>bff</c>), <c>count &lt;grant type&gt;</c>
/// (token requests so far).</item>
/// <item><c>downstream &lt;authority&gt;</c>: the downstream test API (<c>GET /whoami</c>).</item>
/// <item><c>bff</c>: the BFF exactly as <see cref="BffWebApp"/> builds it, configured by environment
/// variables, plus the baselines of rows 1 and 2 on the same pipeline (<see cref="AnonymousNotesPath"/>,
/// <see cref="BareProxyPath"/>). Commands: <c>owner &lt;subject&gt;</c> (whose notes the anonymous
/// twin lists), <c>expire &lt;subject&gt;</c> (marks the access token of the user's newest session
/// expired, for the refresh storm).</item>
/// </list>
/// </remarks>
internal static class BenchServers
{
    /// <summary>The anonymous twin of <c>GET /api/notes</c>, row 1's baseline.</summary>
    public const string AnonymousNotesPath = "/bench/anonymous-notes";

    /// <summary>
    /// A bare YARP forward to the downstream API on the same pipeline, row 2's reference: no session,
    /// no token lookup, the client's own bearer header passed through.
    /// </summary>
    public const string BareProxyPath = "/bench/bare-proxy";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        switch (args.Count > 0 ? args[0] : "")
        {
            case "idp":
                await ServeIdpAsync();
                return 0;
            case "downstream" when args.Count == 2:
                await ServeDownstreamAsync(new Uri(args[1]));
                return 0;
            case "bff":
                await ServeBffAsync();
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: Bff.Bench serve idp | downstream <authority> | bff");
                return 2;
        }
    }

    private static async Task ServeIdpAsync()
    {
        // Access tokens live an hour here (the realm says 5 minutes): wrk replays one fixed cookie, so
        // the peer, whose tokens are in that cookie, would redeem its refresh token on every request
        // once the token neared expiry. Refresh is measured on its own, in the storm row.
        await using var idp = await DevIdpServer.StartAsync(new DevIdpServerOptions { AccessTokenLifespan = TimeSpan.FromHours(1) });
        ServerCommandLoop.AnnounceListening(idp.BaseAddress.AbsoluteUri);
        await ServerCommandLoop.RunAsync((command, words) => Task.FromResult(command switch
        {
            "allow" when words.Length == 1 => Allow(idp, new Uri(words[0])),
            "count" when words.Length == 1 => idp.TokenRequests(words[0]).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        }));
    }

    private static string Allow(DevIdpServer idp, Uri appRoot)
    {
        idp.AllowRedirectsTo(appRoot);
        return "ok";
    }

    private static async Task ServeDownstreamAsync(Uri authority)
    {
        await using var api = await DownstreamApiServer.StartAsync(new DownstreamApiServerOptions { Authority = authority });
        ServerCommandLoop.AnnounceListening(api.BaseAddress.AbsoluteUri);
        await ServerCommandLoop.RunAsync((_, _) => Task.FromResult<string?>(null));
    }

    private static async Task ServeBffAsync()
    {
        var builder = BffWebApp.CreateBuilder(["--urls", LoopbackApp.Urls]);
        var downstream = builder.Configuration["Bff:RemoteApis:Remote:Destination"]
            ?? throw new InvalidOperationException("Bff:RemoteApis:Remote:Destination is not set.");
        await using var app = await BffWebApp.BuildAsync(builder);
        var owner = "";

        // The same handler as GET /api/notes (the same LiteDB query and JSON), without cookie,
        // session or CSRF check: the owner claim authentication would have set is set here.
        app.MapGet(AnonymousNotesPath, (HttpContext context, INoteStore notes) =>
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(BffClaimTypes.UserId, Volatile.Read(ref owner))]));
            return NotesApi.ListAsync(context, notes);
        }).AllowAnonymous();
        app.MapForwarder(BareProxyPath + "/{**rest}", downstream, transforms => transforms.AddPathRemovePrefix(BareProxyPath)).AllowAnonymous();
        ServerCommandLoop.AnnounceListening((await app.StartOnLoopbackAsync()).AbsoluteUri);

        var authority = app.Configuration["Oidc:Authority"] ?? "";
        await ServerCommandLoop.RunAsync(async (command, words) =>
        {
            switch (command)
            {
                case "owner" when words.Length == 1:
                    var user = await app.Services.GetRequiredService<IUserStore>().FindBySubjectAsync(authority, words[0])
                        ?? throw new InvalidOperationException($"No local user for subject {words[0]}.");
                    Volatile.Write(ref owner, user.Id.ToString("D"));
                    return "ok";
                case "expire" when words.Length == 1:
                    var sessions = app.Services.GetRequiredService<IServerSessionStore>();
                    var session = (await sessions.FindAsync(new SessionFilter(Subject: words[0]))).OrderByDescending(s => s.Created).FirstOrDefault()
                        ?? throw new InvalidOperationException($"No session of subject {words[0]}.");
                    return await sessions.UpdateTokensAsync(session.Key, session.Tokens! with { AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) })
                        ? "ok"
                        : throw new InvalidOperationException("The session went away.");
                default:
                    return null;
            }
        });
        await app.StopAsync();
    }
}
