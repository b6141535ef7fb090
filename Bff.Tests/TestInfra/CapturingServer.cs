using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bff.Tests.TestInfra;

/// <summary>A request a <see cref="CapturingServer"/> received.</summary>
public sealed record CapturedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A tiny Kestrel app on a free loopback port that records every request (e.g. a back-channel logout receiver
/// or a downstream API) and answers with <see cref="StatusCode"/>.
/// </summary>
public sealed class CapturingServer : IAsyncDisposable
{
    private readonly Channel<CapturedRequest> _requests = Channel.CreateUnbounded<CapturedRequest>();
    private readonly WebApplication _app;

    private CapturingServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The status code every request gets. Defaults to 200.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    /// <summary>Starts the server.</summary>
    public static async Task<CapturingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CapturingServer? self = null;
        app.Run(async context =>
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
                : [];
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await self!._requests.Writer.WriteAsync(new CapturedRequest(context.Request.Method, context.Request.Path, form, headers));
            context.Response.StatusCode = self.StatusCode;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new CapturingServer(app, new Uri(address.TrimEnd('/') + "/"));
        return self;
    }

    /// <summary>Waits for the next request (generous timeout: the machine is shared); throws on timeout.</summary>
    public async Task<CapturedRequest> NextRequestAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _requests.Reader.ReadAsync(cts.Token);
    }

    /// <summary>A request already received, if any, without waiting.</summary>
    public bool TryTake(out CapturedRequest? request) => _requests.Reader.TryRead(out request);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
