using Bff.Web;
using Microsoft.AspNetCore.Builder;

namespace Bff.Tests.TestInfra;

/// <summary>
/// Bff.Web running for real on a free loopback port (built by <see cref="BffWebApp"/>, as Program.cs
/// does), with a test's configuration: its own database file and keys folder, so that a second host
/// on the same <see cref="BffTempFolder"/> is a restart of the first.
/// </summary>
public sealed class BffHost : IAsyncDisposable
{
    private BffHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>The app's address, ending with <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The configuration every test host gets (<see cref="BffTestSettings"/>): client bff, data in the folder.</summary>
    public static Dictionary<string, string?> Settings(BffTempFolder folder, Uri authority) =>
        BffTestSettings.For(authority, TestClients.Bff, folder.Path);

    public static async Task<BffHost> StartAsync(IDictionary<string, string?> settings, string environment = "Production", Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = BffWebApp.CreateBuilder(LoopbackApp.Arguments(environment)).WithSettings(settings);
        configure?.Invoke(builder);
        var app = await BffWebApp.BuildAsync(builder);
        return new BffHost(app, await app.StartOnLoopbackAsync());
    }

    /// <summary>A client that neither follows redirects nor keeps cookies, for single-response checks.</summary>
    public HttpClient CreateRawClient() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync() => await App.StopAndDisposeAsync();
}
