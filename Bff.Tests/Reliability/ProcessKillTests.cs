using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.Bench;
using Bff.DevIdp;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Reliability;

/// <summary>
/// The BFF as a child process (dotnet Bff.Web.dll), killed with SIGKILL in the middle of a burst of
/// sign-ins and note writes, then started again on the same data folder.
/// </summary>
public sealed class ProcessKillTests : IAsyncLifetime
{
    private DevIdpServer idp = null!;
    private readonly BffTempFolder folder = new();

    public async Task InitializeAsync() => idp = await DevIdpServer.StartAsync(new DevIdpServerOptions());

    public async Task DisposeAsync()
    {
        await idp.DisposeAsync();
        folder.Dispose();
    }

    [Fact]
    public async Task Every_acknowledged_write_and_session_survives_a_SIGKILL()
    {
        var first = await StartBffAsync();
        var firstUrl = first.Address;
        var sessions = new ConcurrentBag<string>();
        var notes = new ConcurrentBag<(string Cookie, string Id, string Title)>();
        using var stop = new CancellationTokenSource();
        try
        {
            var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                for (var round = 0; !stop.IsCancellationRequested; round++)
                {
                    try
                    {
                        using var browser = await SignInAsync(firstUrl, w % 2 == 0 ? "alice" : "bob");
                        var cookie = browser.GetCookie("__Host-bff") ?? throw new InvalidOperationException("The sign-in did not finish.");
                        sessions.Add(cookie);
                        for (var n = 0; n < 5 && !stop.IsCancellationRequested; n++)
                        {
                            var title = $"w{w}-r{round}-n{n}";
                            using var created = await browser.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title, text = "x" }));
                            if (created.StatusCode == HttpStatusCode.Created)
                            {
                                var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                                notes.Add((cookie, id, title));
                            }
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or TaskCanceledException)
                    {
                        // The process died under this request: not acknowledged, nothing to check.
                        return;
                    }
                }
            })).ToList();

            // Let the burst run, then kill mid-flight.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (notes.Count < 30 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            first.Kill();
            stop.Cancel();
            await Task.WhenAll(workers);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.False(notes.IsEmpty, "the burst acknowledged no write before the kill");
        var second = await StartBffAsync();
        var secondUrl = second.Address;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = secondUrl };
            foreach (var cookie in sessions.Distinct())
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/bff/user");
                request.Headers.TryAddWithoutValidation("Cookie", "__Host-bff=" + cookie);
                request.Headers.Add("X-CSRF", "1");
                using var user = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            }

            foreach (var (cookie, id, title) in notes)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notes/" + id);
                request.Headers.TryAddWithoutValidation("Cookie", "__Host-bff=" + cookie);
                request.Headers.Add("X-CSRF", "1");
                using var note = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, note.StatusCode);
                Assert.Equal(title, (await note.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            }
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private static Task<BrowserClient> SignInAsync(Uri bff, string user) => BrowserClient.SignedInAsync(bff, user, user + "-password", "/app");

    /// <summary>The Bff.Web build of this test build's configuration as a child process, on the folder's data.</summary>
    private async Task<BffChildProcess> StartBffAsync()
    {
        var child = await BffChildProcess.StartAsync(
            BffHost.Settings(folder, idp.Authority("bff")),
            TimeSpan.FromSeconds(90));
        idp.AllowRedirectsTo(child.Address);
        return child;
    }
}
