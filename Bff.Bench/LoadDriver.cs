namespace Bff.Bench;

/// <summary>One request a load driver repeats: a GET with fixed headers (cookie, X-CSRF, bearer).</summary>
internal sealed record LoadRequest(Uri Uri, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, Uri);
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}

/// <summary>Drives one request in a closed loop over a number of connections for a fixed time.</summary>
internal interface ILoadDriver : IDisposable
{
    /// <summary>What the table says the load came from.</summary>
    string Description { get; }

    Task<LoadResult> RunAsync(LoadRequest request, int connections, TimeSpan duration);
}

/// <summary>
/// The smoke run's driver: <see cref="LoadGenerator"/>, an HttpClient in the harness's own process.
/// Its figures mean nothing (it shares the machine's cores with the servers and is slower than wrk);
/// it proves that every row runs without wrk.
/// </summary>
internal sealed class InProcessLoadDriver(int connections) : ILoadDriver
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = connections,
    }) { Timeout = TimeSpan.FromSeconds(30) };

    public string Description => "an HttpClient in the harness process (smoke run)";

    public Task<LoadResult> RunAsync(LoadRequest request, int connections, TimeSpan duration) =>
        LoadGenerator.RunAsync(_client, request.ToMessage, connections, duration);

    public void Dispose() => _client.Dispose();
}
