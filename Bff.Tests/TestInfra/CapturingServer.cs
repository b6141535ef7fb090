using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
    private LoopbackSite _site = null!;

    private CapturingServer()
    {
    }

    /// <summary>The server's root, ending with <c>/</c>.</summary>
    public Uri BaseAddress => _site.BaseAddress;

    /// <summary>The status code every request gets. Defaults to 200.</summary>
    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    /// <summary>Starts the server.</summary>
    public static async Task<CapturingServer> StartAsync()
    {
        var self = new CapturingServer();
        self._site = await LoopbackSite.StartAsync(app => app.Run(async context =>
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
                : [];
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            await self._requests.Writer.WriteAsync(new CapturedRequest(context.Request.Method, context.Request.Path, form, headers));
            context.Response.StatusCode = self.StatusCode;
        }));
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
    public ValueTask DisposeAsync() => _site.DisposeAsync();
}
